"""``qaudit import-xlsx panel.xlsx``: record the moderation panel's decisions in the audits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qaudit.cli.common import (
    OutputFormat,
    dump_json,
    handle_errors,
    parse_date,
    say_fitted,
    stdout,
    today,
)
from qaudit.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError

if TYPE_CHECKING:
    from qaudit.export.panel_import import ImportResult


def _as_dict(result: ImportResult) -> dict[str, object]:
    return {
        "workbook": str(result.workbook),
        "changed": result.count("changed"),
        "unchanged": result.count("unchanged"),
        "refused": result.count("refused"),
        "rows_without_decision": result.blank_rows,
        "rows": [{"sheet": o.sheet, "row": o.row, "path": o.path or o.link, "status": o.status,
                  "changes": [{"key": c.key, "old": c.old, "new": c.new} for c in o.changes],
                  "refused": o.refused, "note": o.note} for o in result.outcomes],
    }


@handle_errors
def import_xlsx(
    workbook: Annotated[Path, typer.Argument(
        help="The workbook written by export-xlsx, with the panel's decisions typed in.")],
    date: Annotated[str | None, typer.Option(
        "--date", help="The panel's date, YYYY-MM-DD (default today): recorded as the "
        "moderation date.")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Check and report; write nothing.")] = False,
    output: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="text or json.")] = OutputFormat.text,
    root: Annotated[Path | None, typer.Option(
        "--root", help="Write only audits inside this folder (default: the workbook's "
        "folder). A row whose path leads elsewhere is refused.")] = None,
) -> None:
    """Record the panel's decisions (moderator grade, agree?, comments, moderator, scaling,
    area grades) in the audits, matched by the workbook's hidden path column.

    A row is refused when a value is not on its drop-down, when the row contradicts itself,
    or when its audit changed since the export (SHA-256), or when its path leads outside the
    workbook's folder (or --root). The whole workbook is checked before the first write.
    Every change and every refusal is reported. Exit 0 when no row was refused, 1 when any
    was, 2 on a usage or I/O error (a workbook that is not one, or a zip bomb).
    """
    console = stdout()
    day = parse_date(date, "--date") or today()
    from qaudit.export.panel_import import import_panel

    if root is not None and not root.is_dir():
        raise UsageError(f"--root {root} is not a folder")
    result = import_panel(workbook, day, dry_run=dry_run, root=root, today=today())
    if output is OutputFormat.json:
        console.out(dump_json(_as_dict(result)))
    else:
        verb = "would change" if dry_run else "changed"
        for o in result.outcomes:
            where = o.path or o.link
            if o.refused:
                say_fitted(console, f"refused {where}: {o.refused}",
                           head=f"{workbook}:{o.sheet}!row {o.row}: ")
            elif o.changes:
                say_fitted(console, f"{where}: {verb} (row {o.row})")
                for change in o.changes:
                    say_fitted(console, change.describe(), head="  ", indent="    ")
            else:
                say_fitted(console, f"{where}: unchanged (row {o.row})")
            if o.note:
                say_fitted(console, o.note, head="  note: ", indent="    ")
        say_fitted(console, f"{result.count('changed')} {verb}, {result.count('unchanged')} "
                   f"unchanged, {result.count('refused')} refused, {result.blank_rows} "
                   "without a decision")
    raise typer.Exit(EXIT_FINDINGS if result.count("refused") else EXIT_CLEAN)


def register(app: typer.Typer) -> None:
    app.command("import-xlsx")(import_xlsx)
