"""The command line: parses options, calls the core, renders what it returns."""
