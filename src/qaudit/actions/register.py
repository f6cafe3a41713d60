"""The register of recommended actions across audits, and the edits that keep it up to date.

Pure: an audit's values (through ``get``), its template, the date to judge against, the
agreement rule and the working-day calendar in; one ``ActionRow`` per action out. Actions are
the records of the template group with role ``actions`` (fields ``action``, ``by_whom``,
``due``, ``agreed_on``, ``status``, ``done_on``, ``update``); learning actions (role
``learning_actions``, team-manager: "not to go on the file") are rows with ``learning=True``,
which callers keep apart.

Flags (open actions unless said):

* ``no-owner``: nobody named in ``by_whom``.
* ``not-agreed``: no due date, and the agreement deadline has passed: the rule set's limit
  (rule ``action-agreement``: 10 working days by core guidance 13, 5 by Section 17's note; a
  folder picks in ``qaudit.toml``) counted from the audit's ``audit_uploaded`` event.
* ``agreed-late``: (any status) the due date was agreed (``agreed_on``) after that deadline.
* ``overdue``: still open and the due date is before the date judged against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from qaudit.audit.kinds import is_blank
from qaudit.chronology.events import as_date, read_events
from qaudit.chronology.workdays import WorkCalendar
from qaudit.config import FolderConfig
from qaudit.kpis.agreement import judge_agreement
from qaudit.kpis.interval import count
from qaudit.kpis.ruleset import load_ruleset
from qaudit.templates.catalogue import Group, Template

Getter = Callable[[str], Any]

OPEN = "open"
DONE = "done"
STATUSES = (OPEN, DONE)
FLAGS = ("no-owner", "not-agreed", "agreed-late", "overdue")
UPLOAD_EVENT = "audit_uploaded"
AGREEMENT_RULE = "action-agreement"


@dataclass(frozen=True)
class AgreementRule:
    """How long manager and practitioner have to agree a due date after the upload."""

    limit: int = 10
    unit: str = "working_days"
    source: str = "core guidance 13: timescales agreed within 10 working days"


def agreement_rule(config: FolderConfig) -> tuple[AgreementRule | None, WorkCalendar]:
    """The folder's rule set's ``action-agreement`` rule (after its ``qaudit.toml``
    overrides, e.g. ``[rules.action-agreement] limit = 5``) and its working-day calendar.

    None when the rule is switched off (``enabled = false``): nothing is flagged not agreed or
    agreed late. A rule set without the rule gets the core default (10 working days). A broken
    rule set or override stops the command (UsageError naming the file and key).
    """
    rules = load_ruleset("", config)
    found = next((r for r in rules.rules if r.id == AGREEMENT_RULE), None)
    if found is None:
        return AgreementRule(), rules.calendar
    if not found.enabled:
        return None, rules.calendar
    where = found.overridden_by or rules.source
    return AgreementRule(found.limit, found.unit, f"{where}: {found.title}"), rules.calendar


@dataclass(frozen=True)
class ActionRow:
    path: str
    number: int                 # 1-based place among its group's records in the file
    learning: bool
    template: str
    case_number: str
    team: str
    child: str
    action: str
    by_whom: str
    status: str
    due: dt.date | None = None
    agreed_on: dt.date | None = None
    done_on: dt.date | None = None
    update: str = ""
    uploaded: dt.date | None = None
    agree_by: dt.date | None = None
    agree_by_counting: str = ""
    flags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        def day(value: dt.date | None) -> str:
            return value.isoformat() if value else ""

        return {
            "path": self.path, "number": self.number, "learning": self.learning,
            "template": self.template, "case_number": self.case_number, "team": self.team,
            "child": self.child, "action": self.action, "by_whom": self.by_whom,
            "status": self.status, "due": day(self.due), "agreed_on": day(self.agreed_on),
            "done_on": day(self.done_on), "update": self.update,
            "uploaded": day(self.uploaded), "agree_by": day(self.agree_by),
            "agree_by_counting": self.agree_by_counting, "flags": list(self.flags),
        }


def _text(value: Any) -> str:
    return "" if is_blank(value) else str(value).strip()


def upload_date(events: Any) -> dt.date | None:
    """The first ``audit_uploaded`` event of the chronology, or None."""
    found, _ = read_events(events)
    return next((e.date for e in found if e.kind == UPLOAD_EVENT), None)


def action_status(record: dict[str, Any]) -> str:
    """``open`` or ``done``: as written, else done when a ``done_on`` date is recorded."""
    written = _text(record.get("status")).casefold()
    if written in STATUSES:
        return written
    return DONE if as_date(record.get("done_on")) else OPEN


def _flags(record: dict[str, Any], status: str, agree_by: dt.date | None,
           as_of: dt.date, calendar: WorkCalendar) -> tuple[str, ...]:
    due = as_date(record.get("due"))
    flags = []
    if status == OPEN and is_blank(record.get("by_whom")):
        flags.append("no-owner")
    # not-agreed / agreed-late: the one computation check-kpis' action-agreement rule uses
    agreement = judge_agreement(agree_by, due, as_date(record.get("agreed_on")),
                                status == OPEN, as_of, calendar).flag
    if agreement is not None:
        flags.append(agreement)
    if status == OPEN and due is not None and due < as_of:
        flags.append("overdue")
    return tuple(flags)


def audit_actions(path: str, template: Template, get: Getter, as_of: dt.date,
                  rule: AgreementRule | None, calendar: WorkCalendar) -> list[ActionRow]:
    """Every action and learning action of one audit, with its flags on ``as_of``."""
    def role(name: str) -> str:
        key = template.role_path(name)
        return _text(get(key)) if key else ""

    uploaded = upload_date(get("events"))
    counted = count(uploaded, rule.limit, rule.unit, calendar) if uploaded and rule else None
    agree_by = counted.due if counted else None
    rows: list[ActionRow] = []
    for group_role, learning in (("actions", False), ("learning_actions", True)):
        group = template.group_by_role(group_role)
        records = get(group.table) if group else None
        if not isinstance(records, list):
            continue
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                continue
            status = action_status(record)
            rows.append(ActionRow(
                path=path, number=index + 1, learning=learning, template=template.id,
                case_number=role("case_number"), team=role("team"), child=role("child_name"),
                action=_text(record.get("action")), by_whom=_text(record.get("by_whom")),
                status=status, due=as_date(record.get("due")),
                agreed_on=as_date(record.get("agreed_on")),
                done_on=as_date(record.get("done_on")), update=_text(record.get("update")),
                uploaded=uploaded, agree_by=None if learning else agree_by,
                agree_by_counting=counted.counting if counted and not learning else "",
                flags=_flags(record, status, None if learning else agree_by, as_of, calendar)
                if not learning else (("no-owner",) if status == OPEN
                                      and is_blank(record.get("by_whom")) else ()),
            ))
    return rows


@dataclass(frozen=True)
class RowFilter:
    """Which rows a register shows. Text filters match case-insensitively, as substrings
    for a person and a team, exactly for a case number."""

    person: str | None = None
    team: str | None = None
    status: str | None = None
    case: str | None = None
    flag: str | None = None
    learning: bool = False

    def keeps(self, row: ActionRow) -> bool:
        if row.learning and not self.learning:
            return False
        if self.person and self.person.casefold() not in row.by_whom.casefold():
            return False
        if self.team and self.team.casefold() not in row.team.casefold():
            return False
        if self.status and row.status != self.status:
            return False
        if self.case and row.case_number.casefold() != self.case.casefold():
            return False
        return not (self.flag and self.flag not in row.flags)


def select(rows: Iterable[ActionRow], keep: RowFilter) -> list[ActionRow]:
    """Rows kept by the filter: actions first, then (with ``learning``) learning actions."""
    kept = [row for row in rows if keep.keeps(row)]
    return sorted(kept, key=lambda r: r.learning)


# --- the action records of a template ---------------------------------------------------------
# Editing them (add, agree, done) is ``qaudit.edit.actions``.


def action_group(template: Template) -> Group | None:
    return template.group_by_role("actions")
