"""``qaudit actions PATH...``: the register of recommended actions; ``add``, ``agree`` and
``done`` keep it up to date by writing the audit file back safely.

``qaudit actions PATH...`` is short for ``qaudit actions list PATH...``: a group whose first
argument is not one of its verbs runs ``list``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from qaudit.actions.register import (
    FLAGS,
    ActionRow,
    RowFilter,
    agreement_rule,
    audit_actions,
    select,
)
from qaudit.audit.reader import expand_paths
from qaudit.cli.common import (
    TableFormat,
    dump_json,
    existing_paths,
    handle_errors,
    parse_date,
    say_fitted,
    stderr,
    stdout,
    today,
)
from qaudit.cli.reporters import finding_line
from qaudit.cli.reporters.layout import NBSP
from qaudit.config import config_for
from qaudit.edit.actions import add_action, agree_action, close_action
from qaudit.edit.session import AuditSession, open_audit
from qaudit.errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE
from qaudit.findings import Finding
from qaudit.validate import load

VERBS = ("list", "add", "agree", "done")


class _ListByDefault(TyperGroup):
    """``qaudit actions a.toml`` runs ``qaudit actions list a.toml``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["list", *args]
        return super().parse_args(ctx, args)


actions_app = typer.Typer(
    cls=_ListByDefault, no_args_is_help=True, rich_markup_mode=None,
    help="The register of recommended actions across audits (PATH... lists them; add, agree "
    "and done update one audit).",
)


class Status(StrEnum):
    open = "open"
    done = "done"


Flag = StrEnum("Flag", {name.replace("-", "_"): name for name in FLAGS})  # type: ignore[misc]


def _rows(paths: list[Path], as_of: dt.date) -> tuple[list[ActionRow], list[Finding]]:
    rows: list[ActionRow] = []
    unreadable: list[Finding] = []
    for path in expand_paths(existing_paths(paths)):
        result = load(path)
        if result.document is None or result.template is None:
            unreadable.extend(result.findings)
            continue
        rule, calendar = agreement_rule(config_for(path))
        rows.extend(audit_actions(result.path, result.template, result.document.get, as_of,
                                  rule, calendar))
    return rows, unreadable


CSV_COLUMNS = ("path", "number", "learning", "case_number", "team", "child", "action",
               "by_whom", "due", "agreed_on", "status", "done_on", "update", "uploaded",
               "agree_by", "flags")


def _csv(rows: list[ActionRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        data = row.as_dict()
        data["flags"] = ";".join(row.flags)
        writer.writerow([data[c] for c in CSV_COLUMNS])
    return out.getvalue()


def _print_table(rows: list[ActionRow], title: str, console: Any) -> None:
    """One block per audit: its path, case, team and child, then its actions, each in full
    (never cut): its text, then who, when and its flags. At a terminal every line is
    wrapped to its width at spaces (no date or name split); piped, one line each."""
    say_fitted(console, title, style="bold")
    by_audit: dict[str, list[ActionRow]] = {}
    for row in rows:
        by_audit.setdefault(row.path, []).append(row)
    for path, found in by_audit.items():
        first = found[0]
        about = " · ".join(part for part in (f"case {first.case_number}", first.team,
                                               first.child) if part)
        console.print()
        say_fitted(console, f"({about})", head=f"{path} ", head_style="bold", indent="  ")
        for row in found:
            number = f"{row.number}. "
            say_fitted(console, row.action, head=number, indent=" " * len(number))
            done = f" on {row.done_on}" if row.done_on else ""
            dates = [f"due {row.due or '-'}", f"agreed on {row.agreed_on or '-'}",
                     f"{row.status}{done}"]  # each kept whole on a line
            facts = [f"by {row.by_whom or '-'}", *(d.replace(" ", NBSP) for d in dates)]
            pad = " " * len(number)
            say_fitted(console, pad + " · ".join(facts), indent=pad + "  ")
            if row.flags:
                say_fitted(console, ", ".join(row.flags), head=f"{pad}flags: ",
                    head_style="bold", style="bold red", indent=pad + "  ")


@actions_app.command("list")
@handle_errors
def list_actions(
    paths: Annotated[list[Path], typer.Argument(help="Audit files, or folders to search.")],
    person: Annotated[str | None, typer.Option(help="Only actions for this person "
                                               "(by whom, part of the name).")] = None,
    team: Annotated[str | None, typer.Option(help="Only this team (part of the name).")] = None,
    status: Annotated[Status | None, typer.Option(help="open or done.")] = None,
    case: Annotated[str | None, typer.Option(help="Only this case number.")] = None,
    flag: Annotated[Flag | None, typer.Option(help="Only actions with this flag.")] = None,
    as_of: Annotated[str | None, typer.Option(help="Judge overdue and not agreed on this "
                                              "date, YYYY-MM-DD (default today).")] = None,
    learning: Annotated[bool, typer.Option("--learning", help="Also show learning actions "
                                           "(team-manager: not to go on the file).")] = False,
    output: Annotated[TableFormat, typer.Option("--format", "-f",
                                                help="table, json or csv.")] = TableFormat.table,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when any action shown is "
                                        "flagged (for CI).")] = False,
) -> None:
    """List recommended actions: audit, case, team, action, owner, due date, status, flags.

    Flags: no-owner, not-agreed (no due date agreed within the rule set's working days of the
    audit_uploaded event), agreed-late, overdue. Exit 0: the register is a report (--check:
    1 when a flagged action is shown); 1 when a file could not be read; 2 on a usage error.
    """
    day = parse_date(as_of, "--as-of") or today()
    rows, unreadable = _rows(paths, day)
    shown = select(rows, RowFilter(person=person, team=team,
                                   status=status.value if status else None, case=case,
                                   flag=flag.value if flag else None, learning=learning))
    actions = [r for r in shown if not r.learning]
    learning_rows = [r for r in shown if r.learning]
    console = stdout()
    if output is TableFormat.json:
        report: dict[str, Any] = {"as_of": day.isoformat(),
                                  "actions": [r.as_dict() for r in actions]}
        if learning:
            report["learning_actions"] = [r.as_dict() for r in learning_rows]
        report["unreadable"] = [f.as_dict() for f in unreadable]
        console.out(dump_json(report))
    elif output is TableFormat.csv:
        console.out(_csv(shown), end="")
    else:
        flagged_count = sum(1 for r in actions if r.flags)
        _print_table(actions, f"Actions as of {day}: {len(actions)} ({flagged_count} "
                     "flagged)", console)
        if learning:
            console.print()
            _print_table(learning_rows, "Learning actions (not to go on the file): "
                         f"{len(learning_rows)}", console)
    for finding in unreadable:
        finding_line(finding, stderr())
    flagged = check and any(r.flags for r in shown)
    raise typer.Exit(EXIT_FINDINGS if unreadable or flagged else EXIT_CLEAN)


# --- writing ----------------------------------------------------------------------------------


def _session(path: Path) -> AuditSession:
    return open_audit(path, today())


def _report(session: AuditSession, refusals: list[Finding], done: str) -> None:
    """A refusal is the command's arguments being wrong (no such action, a date that is not
    real, a due date before its agreement): exit 2, nothing written. Otherwise say what was
    saved."""
    if refusals:
        for finding in refusals:
            stderr().print(f"{session.display}: {finding.message}", markup=False)
        stderr().print(f"{session.display}: nothing was written", markup=False)
        raise typer.Exit(EXIT_USAGE)
    typer.echo(f"{session.display}: {done}")


@actions_app.command("add")
@handle_errors
def add(
    path: Annotated[Path, typer.Argument(help="The audit file.")],
    action: Annotated[str, typer.Option("--action", help="What needs to happen.")],
    by: Annotated[str | None, typer.Option("--by", help="By whom.")] = None,
) -> None:
    """Add an open action to an audit (its due date is agreed later: `actions agree`)."""
    session = _session(path)
    result = add_action(session, action, by)
    number = int(result.key.rsplit("[", 1)[-1].rstrip("]")) + 1 if result.key else 0
    _report(session, result.refusals, f"added action {number}")


@actions_app.command("agree")
@handle_errors
def agree(
    path: Annotated[Path, typer.Argument(help="The audit file.")],
    number: Annotated[int, typer.Argument(help="The action's number, as listed (1 = first).")],
    due: Annotated[str, typer.Option("--due", help="The agreed due date, YYYY-MM-DD or "
                                     "DD/MM/YYYY.")],
    on: Annotated[str | None, typer.Option("--on", help="When it was agreed (default "
                                           "today).")] = None,
) -> None:
    """Record the due date manager and practitioner agreed for an action."""
    session = _session(path)
    refusals = agree_action(session, number, due, on)
    key = f"actions[{number - 1}]"
    _report(session, refusals, f"action {number} due {session.get(key + '.due')} "
                               f"(agreed {session.get(key + '.agreed_on')})")


@actions_app.command("done")
@handle_errors
def done(
    path: Annotated[Path, typer.Argument(help="The audit file.")],
    number: Annotated[int, typer.Argument(help="The action's number, as listed (1 = first).")],
    on: Annotated[str | None, typer.Option("--on", help="When it was done (default "
                                           "today).")] = None,
    update: Annotated[str | None, typer.Option("--update", help="The supervisor's "
                                               "update.")] = None,
) -> None:
    """Mark an action done."""
    session = _session(path)
    refusals = close_action(session, number, on, update)
    _report(session, refusals, f"action {number} done on "
                               f"{session.get(f'actions[{number - 1}].done_on')}")


def register(app: typer.Typer) -> None:
    app.add_typer(actions_app, name="actions")
