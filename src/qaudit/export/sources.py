"""The KPIs and Actions sheets, filled by the ``check-kpis`` core (``qaudit.kpis.check``) and
the actions core (``qaudit.actions.register``): the same records those commands print.

Each sheet is a ``SheetSource``: headers, widths and a function giving, for one audit, its rows
(plus, for KPIs, the count of timescales missed shown on the Audits sheet, and any finding).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from qaudit.actions.register import OPEN, AgreementRule, agreement_rule, audit_actions
from qaudit.audit.reader import AuditDocument
from qaudit.chronology.workdays import WorkCalendar
from qaudit.config import FolderConfig, config_for
from qaudit.findings import Finding, Level
from qaudit.kpis.check import check_document
from qaudit.kpis.ruleset import RuleSet, load_ruleset
from qaudit.templates.catalogue import Template


@dataclass
class SourceRows:
    rows: list[list[Any]] = field(default_factory=list)
    missed: int | None = None  # KPI timescales missed (None: not known)
    open_actions: int | None = None  # open actions (not learning actions)
    findings: list[Finding] = field(default_factory=list)


Collect = Callable[[AuditDocument, Template, Path, dt.date], SourceRows]


@dataclass(frozen=True)
class SheetSource:
    title: str
    headers: tuple[str, ...]
    widths: tuple[float, ...]
    collect: Collect
    counts_missed: bool = False  # gives the Audits sheet's "KPI timescales missed"


@cache
def _ruleset(config: FolderConfig) -> RuleSet:
    return load_ruleset("", config)


@cache
def _agreement(config: FolderConfig) -> tuple[AgreementRule | None, WorkCalendar]:
    return agreement_rule(config)


def _kpi_rows(doc: AuditDocument, template: Template, path: Path,
              today: dt.date) -> SourceRows:
    checked = check_document(doc, template, _ruleset(config_for(path)), today)
    found = [Finding(f.path, f.line, f.column, Level.WARNING, f.rule,
                     f"{f.message} (KPIs sheet: no timescales for this audit)", f.key)
             for f in checked.findings if f.level is Level.ERROR]
    case_path = template.role_path("case_number")
    case = doc.get(case_path) if case_path else None
    case_number = case.strip() if isinstance(case, str) else ""
    rows = [[case_number, r.team, r.kpi, r.rule, r.status, r.anchor, r.due, r.done,
             r.working_days_late, r.case_status or "", r.explanation]
            for r in checked.records]
    return SourceRows(rows, missed=None if found else checked.missed, findings=found)


def _action_rows(doc: AuditDocument, template: Template, path: Path,
                 today: dt.date) -> SourceRows:
    rule, calendar = _agreement(config_for(path))
    actions = audit_actions(doc.path, template, doc.get, today, rule, calendar)
    rows = [[a.case_number, a.team, a.number,
             "learning" if a.learning else "action", a.action, a.by_whom, a.status, a.due,
             a.agreed_on, a.done_on, a.agree_by, ", ".join(a.flags), a.update]
            for a in actions]
    open_actions = sum(1 for a in actions if not a.learning and a.status == OPEN)
    return SourceRows(rows, open_actions=open_actions)


KPIS = SheetSource(
    "KPIs",
    ("Case number", "Team", "KPI", "Rule", "Status", "From", "Due", "Done",
     "Working days late", "Case status", "Explanation"),
    (13, 16, 14, 20, 9, 11.5, 11.5, 11.5, 8, 8, 60),
    _kpi_rows, counts_missed=True)

ACTIONS = SheetSource(
    "Actions",
    ("Case number", "Team", "No.", "Kind", "Action", "By whom", "Status", "Due",
     "Agreed on", "Done on", "Agree by", "Flags", "Update"),
    (13, 16, 5, 9, 45, 15, 8, 11.5, 11.5, 11.5, 11.5, 14, 35),
    _action_rows)


def available_sources() -> tuple[list[SheetSource], list[str]]:
    """The sheets to add, and a note for any left out (none in this version)."""
    return [KPIS, ACTIONS], []
