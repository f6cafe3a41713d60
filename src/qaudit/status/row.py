"""One audit's state for ``qaudit status``: data in (the file, read with the fast reader),
one small ``AuditRow`` out. Nothing of the document is kept, so a folder of 10,000 audits
holds 10,000 rows of a few hundred bytes, never the audits.

The figures come from the cores the other commands use: validate's rules (errors, warnings,
``moderation-stale``), check-kpis (timescales missed), the actions register (open and flagged
actions) and the chronology (``audit_emailed``, ``audit_uploaded`` events, core guidance 11
and 12).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from qaudit.actions.register import OPEN, AgreementRule, agreement_rule, audit_actions
from qaudit.audit.kinds import is_blank
from qaudit.audit.status import COMPLETE, DRAFT, MODERATED
from qaudit.chronology.events import as_date, read_events
from qaudit.chronology.workdays import WorkCalendar
from qaudit.config import FolderConfig, config_for
from qaudit.findings import Finding, Level
from qaudit.kpis import check as kpis
from qaudit.kpis.ruleset import RuleSet, load_ruleset
from qaudit.rules.base import AuditContext
from qaudit.templates.catalogue import Template
from qaudit.validate import check_document, load

STALE = "stale"              # moderated, but graded answers changed since (moderation-stale)
UNREADABLE = "unreadable"    # not an audit qaudit can read (bad TOML, unknown template...)
ROW_STATUSES = (DRAFT, COMPLETE, MODERATED, STALE, UNREADABLE)
STALE_RULE = "moderation-stale"
EMAILED, UPLOADED = "audit_emailed", "audit_uploaded"


@dataclass(frozen=True, slots=True)
class AuditRow:
    file: str
    status: str
    case_number: str = ""
    template: str = ""
    auditor: str = ""
    team: str = ""
    audit_date: dt.date | None = None
    given: int = 0               # required answers given
    required: int = 0            # required answers in all
    errors: int = 0
    warnings: int = 0
    missed: int = 0              # timescales late, overdue or missed (check-kpis)
    open_actions: int = 0
    flagged_actions: int = 0     # open actions with a flag (no owner, not agreed, overdue...)
    awaiting_days: int | None = None   # complete, not moderated: working days since the audit
    moderated_on: dt.date | None = None
    emailed_on: dt.date | None = None
    uploaded_on: dt.date | None = None
    problem: str = ""            # why an unreadable file could not be read

    @property
    def emailed(self) -> str:
        """``yes`` (on the audit's day, guidance 11), ``late``, ``no`` or ``-`` (a draft)."""
        if self.emailed_on is not None:
            return "yes" if self.audit_date is None or self.emailed_on <= self.audit_date \
                else "late"
        return "no" if self.status in (COMPLETE, MODERATED, STALE) else "-"

    @property
    def uploaded(self) -> str:
        if self.uploaded_on is not None:
            return "yes"
        return "no" if self.status in (COMPLETE, MODERATED, STALE) else "-"

    @property
    def moderation(self) -> str:
        """``done``, ``awaiting`` (with ``awaiting_days``) or ``-`` (a draft)."""
        if self.status in (MODERATED, STALE):
            return "done"
        return "awaiting" if self.status == COMPLETE else "-"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("audit_date", "moderated_on", "emailed_on", "uploaded_on"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        data.update(moderation=self.moderation, emailed=self.emailed, uploaded=self.uploaded,
                    attention=reasons(self))
        return data


def reasons(row: AuditRow) -> list[str]:
    """What needs doing about an audit, most pressing first (empty: nothing)."""
    def count(n: int, what: str) -> str:
        return f"{n} {what}{'s' if n != 1 else ''}"

    found = []
    if row.status == UNREADABLE:
        found.append("cannot be read")
    if row.errors:
        found.append(count(row.errors, "error"))
    if row.status == STALE:
        found.append("changed since moderation")
    if row.flagged_actions:
        found.append(count(row.flagged_actions, "flagged action"))
    if row.emailed in ("no", "late"):
        found.append("not e-mailed on the day" if row.emailed == "late" else "not e-mailed")
    if row.status == COMPLETE:
        found.append("awaiting moderation")
    if row.status == DRAFT:
        found.append("draft")
    if row.missed:
        found.append(count(row.missed, "timescale") + " missed")
    return found


def attention(row: AuditRow) -> tuple[Any, ...]:
    """Sort key: unreadable, then errors, stale moderation, flagged actions or not e-mailed,
    awaiting moderation (longest wait first), drafts (oldest first), moderated last."""
    if row.status == UNREADABLE:
        rank = 0
    elif row.errors:
        rank = 1
    elif row.status == STALE:
        rank = 2
    elif row.flagged_actions or row.emailed in ("no", "late"):
        rank = 3
    elif row.status == COMPLETE:
        rank = 4
    elif row.status == DRAFT:
        rank = 5
    else:
        rank = 6
    oldest = row.audit_date.toordinal() if row.audit_date else 0
    return (rank, -row.errors, -row.flagged_actions, -(row.awaiting_days or 0), -row.missed,
            oldest, row.file)


@cache
def _rules(config: FolderConfig) -> tuple[RuleSet, AgreementRule | None, WorkCalendar]:
    ruleset = load_ruleset("", config)
    agreement, calendar = agreement_rule(config)
    return ruleset, agreement, calendar


def _text(value: Any) -> str:
    return "" if is_blank(value) else str(value).strip()


def progress(context: AuditContext) -> tuple[int, int]:
    """Required answers given, and required in all, as ``fill --complete`` counts them: every
    required field and question (moderator-only ones not), a section excused by its reason
    counting as given, and parents' views (or why not) as one answer."""
    given = required = 0
    for _, item, _, value in context.fields():
        if item.required and not item.moderator_only:
            required += 1
            given += not is_blank(value)
    for section, item, _, value in context.questions():
        if item.required:
            required += 1
            given += not is_blank(value) or context.section_excused(section)
    for section, group in context.template.groups():
        if group.role == "parents_views":
            required += 1
            records = context.get(group.table)
            filled = any(isinstance(r, dict) and any(not is_blank(v) for v in r.values())
                         for r in (records if isinstance(records, list) else []))
            given += filled or context.section_excused(section)
    return given, required


def _unreadable(shown: str, findings: list[Finding]) -> AuditRow:
    first = findings[0] if findings else None
    return AuditRow(shown, UNREADABLE, errors=max(1, len(findings)),
                    problem=first.message if first else "cannot be read")


def row_for(doc_path: Path, today: dt.date) -> AuditRow:
    """One audit's row. Every way a file can fail is a row saying so, never an exception."""
    loaded = load(doc_path)
    doc, template = loaded.document, loaded.template
    if doc is None or template is None:
        return _unreadable(loaded.path, loaded.findings)
    config = config_for(doc_path)
    return _row(loaded.path, doc, template, today, config)


def _row(shown: str, doc: Any, template: Template, today: dt.date,
         config: FolderConfig) -> AuditRow:
    ruleset, agreement, calendar = _rules(config)
    context = AuditContext(doc, template, today, config)
    findings = check_document(doc, template, today, config)
    errors = sum(1 for f in findings if f.level is Level.ERROR)
    status = doc.status or "(none)"
    if status in (MODERATED, COMPLETE) and any(f.rule == STALE_RULE for f in findings):
        status = STALE
    given, required = progress(context)
    timescales = kpis.check_document(doc, template, ruleset, today)
    actions = [a for a in audit_actions(shown, template, doc.get, today, agreement, calendar)
               if not a.learning and a.status == OPEN]
    events, _ = read_events(doc.get("events"))

    def role(name: str) -> Any:
        key = template.role_path(name)
        return doc.get(key) if key else None

    audit_date = as_date(role("audit_date"))
    emailed = next((e.date for e in events if e.kind == EMAILED), None)
    uploaded = next((e.date for e in events if e.kind == UPLOADED), None)
    awaiting = None
    if status == COMPLETE and audit_date is not None and audit_date <= today:
        awaiting = calendar.working_days_between(audit_date, today)
    return AuditRow(
        file=shown, status=status, case_number=_text(role("case_number")),
        template=template.id, auditor=_text(role("auditor")), team=_text(role("team")),
        audit_date=audit_date, given=given, required=required, errors=errors,
        warnings=len(findings) - errors, missed=timescales.missed,
        open_actions=len(actions), flagged_actions=sum(1 for a in actions if a.flags),
        awaiting_days=awaiting, moderated_on=as_date(role("moderation_date")),
        emailed_on=emailed, uploaded_on=uploaded,
    )
