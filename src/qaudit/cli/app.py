"""The ``qaudit`` command. Each subcommand lives in its own module and registers itself here."""

from __future__ import annotations

import typer

from qaudit import __version__

app = typer.Typer(
    name="qaudit",
    help="Case audits for children's social care QA teams, kept as TOML files in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
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


def _register() -> None:
    from qaudit.cli import fill_cmd, new_cmd, templates_cmd, validate_cmd

    for module in (templates_cmd, new_cmd, validate_cmd, fill_cmd):
        module.register(app)

    from qaudit.cli import actions_cmd, moderate_cmd

    moderate_cmd.register(app)
    actions_cmd.register(app)

    from qaudit.cli import due_cmd, kpis_cmd

    due_cmd.register(app)
    kpis_cmd.register(app)

    from qaudit.cli import export_cmd, import_cmd

    export_cmd.register(app)
    import_cmd.register(app)

    from qaudit.cli import render_cmd, show_cmd, status_cmd

    status_cmd.register(app)
    show_cmd.register(app)
    render_cmd.register(app)


_register()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
