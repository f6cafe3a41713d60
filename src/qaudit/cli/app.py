"""The ``qaudit`` command. Each subcommand lives in its own module, imported only when it runs.

To add a command: one line in ``COMMANDS`` (its name and the ``qaudit.cli`` module whose
``register(app)`` defines it). ``qaudit --help`` imports them all to list them; ``qaudit
validate`` imports only ``validate_cmd`` (pre-commit starts qaudit once per commit).
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from qaudit import __version__

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

SETTINGS: dict[str, Any] = {
    "no_args_is_help": True,
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}


def _commands_of(module_name: str) -> dict[str, Any]:
    """The click commands a module registers, built on a Typer of their own."""
    module = importlib.import_module(f"qaudit.cli.{module_name}")
    own = typer.Typer(**SETTINGS)
    module.register(own)
    return dict(typer.main.get_group(own).commands)


class LazyGroup(TyperGroup):
    """The root group: a subcommand's module is imported when the subcommand is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.commands, *(name for name in COMMANDS if name not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands.update(_commands_of(COMMANDS[cmd_name]))
        return self.commands.get(cmd_name)


app = typer.Typer(
    name="qaudit",
    help="Case audits for children's social care QA teams, kept as TOML files in git.",
    cls=LazyGroup,
    **SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Case audits for children's social care QA teams, kept as TOML files in git."""


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
    """The console script: pre-commit's command line (``validate --quiet FILE...``) skips
    typer's parameter building (``qaudit.cli.fastpath``); every other goes through typer."""
    import sys

    from qaudit.cli.fastpath import run_fast

    if _scripted(sys.argv[1:]):
        from qaudit.audit.writer import hold_locks_from_read

        hold_locks_from_read()
    code = run_fast(sys.argv[1:])
    if code is not None:
        sys.exit(code)
    app()


if __name__ == "__main__":
    main()
