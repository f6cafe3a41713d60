"""The typer application behind ``qaudit``: the root group, whose subcommands are imported
when they are asked for (``qaudit.cli.app.COMMANDS``), and ``--version``.

Only command lines the short way in does not take (``qaudit.cli.fastpath``) import this.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
from typer.core import TyperGroup

from qaudit import __version__
from qaudit.cli.app import COMMANDS

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
