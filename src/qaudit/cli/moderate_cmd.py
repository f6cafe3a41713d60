"""``qaudit moderate FILE``: record the moderation panel's decision; ``--summary PATH...``: report.

With no decision options it asks for each moderation field of the audit's template in turn;
with options (for scripts) it asks nothing. The audit is marked moderated only when the panel's
record is complete; otherwise nothing is written and what is missing is listed.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from qaudit.audit.reader import expand_paths
from qaudit.audit.status import MODERATED
from qaudit.cli.common import (
    dump_json,
    existing_paths,
    handle_errors,
    say_fitted,
    stderr,
    stdout,
    today,
)
from qaudit.cli.fill_prompt import PANEL_KEYS, Asker, Quit, say
from qaudit.cli.fill_walk import EXIT_INTERRUPTED, walk_console
from qaudit.cli.line_input import Interrupted, make_reader, wants_plain_input
from qaudit.cli.moderate_prompt import ask_panel
from qaudit.cli.reporters import finding_line
from qaudit.cli.reporters.layout import table
from qaudit.edit.moderate import decision_from_text, moderate_audit
from qaudit.edit.session import AuditSession, open_audit
from qaudit.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError
from qaudit.moderation.record import ModerationDecision, status_problem
from qaudit.moderation.summary import audit_moderation, summarise
from qaudit.readable import readable
from qaudit.validate import load


class SummaryFormat(StrEnum):
    table = "table"
    json = "json"


def _pairs(given: list[str], option: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for text in given:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{option} {readable(text)}: write it as AREA=VALUE, e.g. "
                             f"{option} risk=3")
        found[name.strip()] = value
    return found


# --- interactive ------------------------------------------------------------------------------


def _interactive(session: AuditSession, partial: bool) -> ModerationDecision:
    """Ask the panel's record at the terminal; stopping (q, Ctrl-C, end of input) writes
    nothing and says so, giving back any text that was being typed."""
    console = walk_console()
    asker = Asker(console, make_reader())
    path = session.display
    say(console, f"Moderating {path}. {PANEL_KEYS}", "cyan")
    try:
        return ask_panel(asker, session, partial)
    except Interrupted as exc:
        say(console, f"\n{exc.how}: stopped; nothing was written to {path}. What you had "
                     f"typed, to copy:\n{exc.typed}", "yellow")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except (Quit, EOFError):
        say(console, f"\nStopped; nothing was written to {path}.", "yellow")
        raise typer.Exit(EXIT_CLEAN) from None
    except KeyboardInterrupt:
        say(console, f"\nInterrupted; nothing was written to {path}.", "yellow")
        raise typer.Exit(EXIT_INTERRUPTED) from None


# --- the commands -----------------------------------------------------------------------------


def _record(session: AuditSession, decision: ModerationDecision | None, partial: bool) -> None:
    path = session.display
    refused = status_problem(session.status)
    if refused:
        raise UsageError(refused, path=path)
    if decision is None:
        decision = _interactive(session, partial)
    result = moderate_audit(session, decision, partial=partial)
    if result.problems:
        raise UsageError("nothing was written:\n  " + "\n  ".join(result.problems), path=path)
    if result.refusals:
        typer.echo(f"{path}: nothing was written:", err=True)
        for finding in result.refusals:
            typer.echo(f"  {finding.message}", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    if not result.written:
        listed = "\n  ".join(f"{what} ({key})" for key, what in result.missing)
        raise UsageError("the moderation record is not complete, so nothing was written "
                         f"(use --partial to record it without marking the audit moderated); "
                         f"missing:\n  {listed}", path=path)
    if result.missing:
        typer.echo(f"{path}: recorded; status stays {readable(result.before)}; still missing: "
                   + "; ".join(what for _, what in result.missing))
    else:
        typer.echo(f"{path}: moderated" + (f" (was {result.before})"
                                           if result.before != MODERATED else ""))


def _summary(paths: list[Path], output: SummaryFormat) -> int:
    records = []
    unreadable = []
    for path in expand_paths(existing_paths(paths)):
        result = load(path)
        if result.document is None or result.template is None:
            unreadable.extend(result.findings)
            continue
        doc = result.document
        records.append(audit_moderation(result.path, result.template, doc.get, doc.status))
    report = summarise(records)
    console = stdout()
    if output is SummaryFormat.json:
        report["unreadable"] = [f.as_dict() for f in unreadable]
        console.out(dump_json(report))
    else:
        _render(report, console)
    for finding in unreadable:
        finding_line(finding, stderr())
    return EXIT_FINDINGS if unreadable else EXIT_CLEAN


def _rate(figures: dict[str, Any]) -> list[str]:
    rate = figures["agreement_rate"]
    kappa = figures["kappa"]
    return [str(figures["pairs"]), f"{rate:.0%}" if rate is not None else "-",
            str(figures["moved_up"]), str(figures["moved_down"]),
            f"{kappa:.2f}" if kappa is not None else "-"]


def _table(console: Any, headers: list[str], rows: list[list[str]]) -> None:
    """Plain columns, the first (a title or a team) wrapped at a terminal, never cut;
    piped, one line a row."""
    width = max(40, console.width) if console.is_terminal else 100_000
    lines = table(headers, rows, width, wrapped=0, right=frozenset(range(1, len(headers))))
    for line in lines or [", ".join(row) for row in rows]:
        console.out(line, highlight=False)


def _render(report: dict[str, Any], console: Any) -> None:
    say_fitted(console, f"{report['audits']} audits: {report['moderated']} moderated, "
        f"{report['awaiting']} awaiting moderation")
    for item in report["awaiting_audits"]:
        say_fitted(console, f"{item['path']} (case {item['case_number']}, {item['team']})",
            head="  awaiting: ", indent="    ")
    say_fitted(console, "Auditor and moderator grades (up/down: moderator's grade "
               "above/below the auditor's; kappa: quadratic-weighted Cohen's kappa)")
    rows = [["overall", *_rate(report["overall"])],
            *([area["title"], *_rate(area)] for area in report["areas"]),
            ["all grades", *_rate(report["all_grades"])]]
    _table(console, ["grades", "pairs", "agreed", "up", "down", "kappa"], rows)
    if report["scaling"]:
        say_fitted(console, "Audit quality (panel scaling A): " + ", ".join(
            f"{grade}: {count}" for grade, count in report["scaling"].items()))
    say_fitted(console, "Per team (overall, and all: share of grades agreed)")
    rows = []
    for team in report["teams"]:
        overall = _rate(team["overall"])
        rows.append([team["team"], str(team["audits"]), str(team["awaiting"]),
                     str(team["moderated"]), overall[1], overall[4],
                     _rate(team["all_grades"])[1]])
    _table(console, ["team", "audits", "awaiting", "moderated", "overall", "kappa", "all"],
           rows)
    for heading, key in (("Themes and learning", "themes"), ("Panel's additional actions",
                                                              "panel_actions")):
        if report[key]:
            say_fitted(console, f"{heading}:")
            for item in report[key]:
                head = f"  {item['case_number']} ({item['team']}): "
                say_fitted(console, item["text"], head=head, indent="    ")


@handle_errors
def moderate(
    paths: Annotated[list[Path], typer.Argument(
        help="The audit to moderate; with --summary, audits or folders.")],
    summary: Annotated[bool, typer.Option(
        "--summary", help="Report over many audits instead.")] = False,
    output: Annotated[SummaryFormat, typer.Option(
        "--format", "-f", help="--summary output: table or json.")] = SummaryFormat.table,
    date: Annotated[str | None, typer.Option(
        help="Panel / moderation date, YYYY-MM-DD.")] = None,
    moderator: Annotated[str | None, typer.Option(help="The moderator's name.")] = None,
    scaling: Annotated[str | None, typer.Option(
        help="Core A: the panel's scaling of the audit, 1-4.")] = None,
    grade: Annotated[str | None, typer.Option(
        help="Core B: the panel's new grade for the case.")] = None,
    reason: Annotated[str | None, typer.Option(
        help="Core B: the reason for the change.")] = None,
    agree: Annotated[bool, typer.Option(
        "--agree", help="The panel agrees with the auditor's overall grade.")] = False,
    actions: Annotated[str | None, typer.Option(help="Core C: additional actions.")] = None,
    themes: Annotated[str | None, typer.Option(help="Core D: themes or learning.")] = None,
    overall_grade: Annotated[str | None, typer.Option(
        help="The moderator's overall grade (core: the auditor's grade = agreement).")] = None,
    overall_comment: Annotated[str | None, typer.Option(
        help="The moderator's overall comment.")] = None,
    area_grade: Annotated[list[str] | None, typer.Option(
        help="AREA=GRADE, repeatable (team-manager areas by section id, e.g. risk=3).")] = None,
    area_comment: Annotated[list[str] | None, typer.Option(
        help="AREA=TEXT, repeatable.")] = None,
    partial: Annotated[bool, typer.Option(
        "--partial", help="Record what is given without marking the audit moderated.")] = False,
    plain: Annotated[bool, typer.Option(
        "--plain", help="Ask line by line, also at a terminal.")] = False,
) -> None:
    """Record the moderation panel's decision on an audit, or (--summary) report on many.

    Without decision options, asks for each moderation field. The audit becomes "moderated"
    only when the record is complete; otherwise nothing is written. --summary exits 0, or 1
    when a file could not be read. Usage errors exit 2.
    """
    if summary:
        raise typer.Exit(_summary(paths, output))
    if len(paths) != 1:
        raise UsageError("give one audit file to moderate (or --summary for a report)")
    path = paths[0]
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give one audit file (or use --summary)")
    session = open_audit(path, today())
    decision, refusals = decision_from_text(session, {
        "date": date, "moderator": moderator, "scaling": scaling, "changed_grade": grade,
        "change_reason": reason, "actions": actions, "themes": themes,
        "overall_grade": overall_grade, "overall_comment": overall_comment,
    }, area_grades=_pairs(area_grade or [], "--area-grade"),
        area_comments=_pairs(area_comment or [], "--area-comment"), agree=agree)
    if refusals:
        for finding in refusals:
            typer.echo(f"{path}: {finding.message}", err=True)
        typer.echo(f"{path}: nothing was written", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    if decision.is_empty() and not plain and not wants_plain_input():
        from qaudit.form import MODERATE, run_form  # Textual only when the form is used

        refused = status_problem(session.status)
        if refused:
            raise UsageError(refused, path=str(path))
        said, all_saved = run_form(path, today(), MODERATE)
        say(walk_console(), said)  # wrapped at words, never cut mid-word
        if not all_saved:  # something typed was not written
            raise typer.Exit(EXIT_FINDINGS)
        return
    _record(session, None if decision.is_empty() else decision, partial)


def register(app: typer.Typer) -> None:
    app.command("moderate")(moderate)
