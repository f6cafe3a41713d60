"""The ``qaudit`` command. Each subcommand lives in its own module, imported only when it runs.

To add a command: one line in ``COMMANDS`` (its name and the ``qaudit.cli`` module whose
``register(app)`` defines it). ``qaudit --help`` imports them all to list them; ``qaudit
validate`` imports only ``validate_cmd``, and pre-commit's ``qaudit validate FILE...`` not
even typer (``qaudit.cli.fastpath``: pre-commit starts qaudit once per commit). The typer
application is ``qaudit.cli.root.app``, also reachable as ``qaudit.cli.app.app``.
"""

from __future__ import annotations

COMMANDS: dict[str, str] = {  # command -> module in qaudit.cli with register(app)
    "templates": "templates_cmd",
    "schema": "templates_cmd",
    "new": "new_cmd",
    "validate": "validate_cmd",
    "fill": "fill_cmd",
    "moderate": "moderate_cmd",
    "actions": "actions_cmd",
    "due": "due_cmd",
    "check-kpis": "kpis_cmd",
    "export-xlsx": "export_cmd",
    "import-xlsx": "import_cmd",
    "status": "status_cmd",
    "show": "show_cmd",
    "render": "render_cmd",
}

SCRIPTED_OPTIONS = {"fill": {"--set", "--add", "--complete", "--reopen"}}


def _scripted(argv: list[str]) -> bool:
    """A one-shot edit with nobody typing (``actions add``, ``fill --set``, ``moderate`` with
    its decision as options): its audit is locked from the read to the save, so two at once
    both land, one after the other."""
    if not argv or "--help" in argv:
        return False
    command, rest = argv[0], argv[1:]
    if command == "actions":
        return bool(rest) and rest[0] in {"add", "agree", "done"}
    if command == "moderate":
        return "--summary" not in rest and any(w.startswith("--") for w in rest)
    return any(w.split("=", 1)[0] in SCRIPTED_OPTIONS.get(command, ()) for w in rest)


def main() -> None:
    """The console script: pre-commit's command line (``validate --quiet FILE...``) and
    ``--version`` run without importing typer (``qaudit.cli.fastpath``); every other
    command line goes through typer."""
    import gc
    import sys

    if sys.argv[1:] == ["--version"]:  # as typer's --version prints it, without typer
        from qaudit import __version__

        print(f"qaudit {__version__}")
        sys.exit(0)
    gc.disable()  # while the command's code is imported (qaudit.cli.fastpath.started)
    from qaudit.cli.fastpath import run_fast, started

    if _scripted(sys.argv[1:]):
        from qaudit.audit.writer import hold_locks_from_read

        hold_locks_from_read()
    code = run_fast(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    from qaudit.cli.root import app

    started()
    app()


def __getattr__(name: str) -> object:
    """``qaudit.cli.app.app``: the typer application, built on first use."""
    if name == "app":
        from qaudit.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
