from qaudit.cli.app import main

main()
