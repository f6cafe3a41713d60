"""``qaudit new``: write a blank audit for a case, non-interactively, and print its path."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from qaudit.audit.memory import earlier_audits, memory_root, previously_values
from qaudit.audit.scaffold import audit_filename, initial_values, render_audit, schema_ref_for
from qaudit.audit.schema import schema_filename, schema_text
from qaudit.audit.values import parse_item
from qaudit.audit.writer import atomic_write
from qaudit.cli.common import handle_errors, parse_date, today
from qaudit.config import config_for
from qaudit.errors import FileAccessError, UsageError
from qaudit.templates.catalogue import Catalogue, Template
from qaudit.templates.cycle import folder_cycle


def _checked(template: Template, given: dict[str, object]) -> dict[str, object]:
    """Each option read by its field's parser (``cp`` is "CP", one line for names); a value
    the field refuses stops the command, naming the option and what is allowed."""
    checked: dict[str, object] = {}
    for role, raw in given.items():
        hit = template.by_role().get(role)
        if raw is None or hit is None:
            checked[role] = raw
            continue
        parsed = parse_item(hit[1], raw)
        if not parsed.ok:
            raise UsageError(f"--{role.replace('_', '-')}: {parsed.error}")
        checked[role] = parsed.value
    return checked


def _schema_ref(folder: Path, name: str, text: str) -> str:
    """Point at the nearest schemas/<name>; otherwise put one beside the audits."""
    found = schema_ref_for(folder.resolve(), name)
    if found is None:
        found = folder / "schemas" / name
        found.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(found, text)
    return Path(os.path.relpath(found.resolve(), folder.resolve())).as_posix()


def _refuse_a_folder_out_of_reach(folder: Path) -> None:
    """--dir may name a new folder only inside one that exists: a typo in the path must not
    write a tree of folders somewhere new."""
    if folder.is_dir():
        return
    if folder.exists() or folder.is_symlink():
        raise UsageError("is not a folder; nothing was written", path=str(folder))
    parent = folder.absolute().parent
    if not parent.is_dir():
        raise UsageError(f"no such folder, and its parent {parent} does not exist either; "
                         "nothing was written (create the folder first)", path=str(folder))


@handle_errors
def new(
    template: str = typer.Option(..., "--template", "-t", help="Template id, e.g. core or "
                                 "team-manager (see `qaudit templates`)."),
    case_number: str = typer.Option(..., "--case-number", "-c", help="The case number."),
    folder: Path = typer.Option(Path("."), "--dir", "-d", help="Folder to write the audit in."),
    version: str = typer.Option(None, "--version", help="Template version (default: newest)."),
    child_name: str = typer.Option(None, "--child-name", help="The child's name."),
    case_status: str = typer.Option(None, "--case-status", help="CIN, CP, CIC/LAC, EH."),
    team: str = typer.Option(None, "--team"),
    practitioner: str = typer.Option(None, "--practitioner"),
    team_manager: str = typer.Option(None, "--team-manager"),
    auditor: str = typer.Option(None, "--auditor"),
    audit_date: str = typer.Option(None, "--audit-date", help="YYYY-MM-DD; default today. "
                                   "Also the date in the file name."),
    schema_ref: str = typer.Option(None, "--schema-ref", help="What the #:schema line points "
                                   "at (path or URL)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a new draft audit: every question with its guidance as comments."""
    _refuse_a_folder_out_of_reach(folder)
    config = config_for(folder)
    catalogue = Catalogue(config.template_dirs)
    chosen = catalogue.require(template, version)
    day = parse_date(audit_date, "--audit-date") or today()
    cycle = folder_cycle(config, chosen)
    earlier = earlier_audits(memory_root(config, folder), case_number, day, catalogue)
    remembered = {role: value for role, value in previously_values(earlier).items()
                  if chosen.role_path(role)}
    given = _checked(chosen, {
        "case_number": case_number, "child_name": child_name, "case_status": case_status,
        "team": team, "practitioner": practitioner, "team_manager": team_manager,
        "auditor": auditor, "audit_date": day,
    })
    values = initial_values(chosen, {**given, **remembered})
    name = audit_filename(chosen, case_number, day)
    if not folder.is_dir():
        try:
            folder.mkdir()
        except OSError as exc:
            raise FileAccessError(f"cannot create the folder: {exc.strerror}",
                                  path=str(folder)) from exc
        typer.echo(f"created folder {folder}", err=True)
    path = folder / name
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; nothing was written (use --force to replace it)")
    ref = schema_ref or _schema_ref(folder, schema_filename(chosen), schema_text(chosen))
    atomic_write(path, render_audit(chosen, values, ref, today(), cycle))
    typer.echo(str(path))
    if earlier:
        typer.echo(f"Case {case_number} was audited before in this folder: "
                   f"{', '.join(a.describe() for a in earlier)}"
                   + ("; filled in \"Audited previously?\" and \"When?\"" if remembered
                      else ""), err=True)
    if cycle is not None:
        typer.echo(f"Audit cycle {cycle.name or '(unnamed)'}: {len(cycle.key_lines)} key "
                   f"line(s) of enquiry and {len(cycle.bespoke)} bespoke question(s) added",
                   err=True)


def register(app: typer.Typer) -> None:
    app.command("new")(new)
