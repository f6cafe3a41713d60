"""``qaudit templates`` lists templates; ``qaudit schema`` writes or checks their JSON Schemas."""

from __future__ import annotations

from pathlib import Path

import typer

from qaudit.audit.schema import schema_filename, schema_text
from qaudit.audit.writer import atomic_write
from qaudit.cli.common import OutputFormat, dump_json, handle_errors, stdout
from qaudit.cli.reporters.layout import table, wrap
from qaudit.config import config_for
from qaudit.errors import EXIT_FINDINGS, FileAccessError
from qaudit.templates.catalogue import Catalogue


def _catalogue(folder: Path) -> Catalogue:
    return Catalogue(config_for(folder).template_dirs)


@handle_errors
def templates(
    folder: Path = typer.Option(Path("."), "--dir", help="Folder whose qaudit.toml may add "
                                "templates."),
    output: OutputFormat = typer.Option(OutputFormat.text, "--format", "-f"),
) -> None:
    """List the audit templates available, with their versions."""
    found = _catalogue(folder).all()
    console = stdout()
    if output is OutputFormat.json:
        console.out(dump_json([
            {"id": t.id, "version": t.version, "title": t.title, "source": t.source,
             "sections": len(t.sections), "questions": sum(1 for _ in t.questions())}
            for t in found
        ]))
        return
    rows = [[t.id, t.version, t.title, str(len(t.sections)),
             str(sum(1 for _ in t.questions())), _source(t.source)] for t in found]
    headers = ["id", "version", "title", "sections", "questions", "source"]
    # At a terminal: fitted to its width, titles wrapped (never cut). Piped: one line each.
    width = max(40, console.width) if console.is_terminal else 100_000
    lines = table(headers, rows, width, wrapped=2, right=frozenset({3, 4}))
    if lines is None:  # a long source path: one block per template
        lines = []
        for row in rows:
            lines.extend(wrap(f"{row[0]} {row[1]}: {row[2]}", width, indent="    ", first=""))
            lines.extend(wrap(f"{row[3]} sections, {row[4]} questions; {row[5]}", width,
                              indent="    ", first="    "))
    for line in lines:
        console.out(line, highlight=False)


def _source(source: str) -> str:
    """Where a template comes from: "built-in" for those shipped with qaudit, else its file."""
    return "built-in" if source.startswith("qaudit/templates/") else source


@handle_errors
def schema(
    write: Path = typer.Option(None, "--write", help="Write every template's schema here."),
    check: Path = typer.Option(None, "--check", help="Exit 1 if the schemas here are stale."),
    template: str = typer.Option(None, "--template", "-t", help="Print one template's schema."),
    folder: Path = typer.Option(Path("."), "--dir", help="Folder whose qaudit.toml may add "
                                "templates."),
) -> None:
    """Generate the JSON Schema of each template (for taplo / Even Better TOML)."""
    catalogue = _catalogue(folder)
    if template:
        typer.echo(schema_text(catalogue.require(template)), nl=False)
        return
    target = write or check
    if target is None:
        raise typer.BadParameter("give --write DIR, --check DIR or --template ID")
    stale: list[Path] = []
    for t in catalogue.all():
        path = target / schema_filename(t)
        text = schema_text(t)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if write is not None:
            try:
                target.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise FileAccessError(f"cannot create the folder: {exc.strerror}",
                                      path=str(target)) from exc
            atomic_write(path, text)
            typer.echo(f"wrote {path}")
        else:
            stale.append(path)
    for path in stale:
        typer.echo(f"{path}: stale or missing; run `qaudit schema --write {target}`")
    if stale:
        raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    app.command("templates")(templates)
    app.command("schema")(schema)
