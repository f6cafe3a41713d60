"""The action register's edits: add an action, agree its due date, close it.

API::

    add_action(session, action, by_whom=None, *, save=True) -> RecordResult
        the same record ``fill --add action`` writes (every field, status open)
    agree_action(session, number, due, agreed_on=None, *, save=True) -> list[Finding]
    close_action(session, number, done_on=None, update=None, *, save=True) -> list[Finding]

``number`` is the action's 1-based place in the file, as ``qaudit actions`` lists it. Dates
are typed text (``2026-12-01``, ``01/12/2026``) or dates; ``agreed_on`` / ``done_on``
default to the session's today. Each returns the refusals ([] when written): an unknown
action, a bad date, a due date before its agreement, a date in the future.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from qaudit.actions.register import DONE, action_group
from qaudit.audit.values import Mode, parse_value
from qaudit.edit.check import Plan, check_plan
from qaudit.edit.records import RecordResult, add_record, record_form
from qaudit.edit.session import AuditSession
from qaudit.findings import Finding, Level
from qaudit.templates.catalogue import Kind

DATE = Kind(name="date", base="date")


def add_action(session: AuditSession, action: str, by_whom: str | None = None, *,
               save: bool = True) -> RecordResult:
    if not action.strip():
        return RecordResult(refusals=[_refusal(session, "actions", "the action is empty; say "
                                                                   "what needs to happen")])
    values: dict[str, object] = {"action": action}
    if by_whom is not None:
        values["by_whom"] = by_whom
    return add_record(session, record_form(session, "action"), values, save=save)


def _refusal(session: AuditSession, key: str, message: str) -> Finding:
    return Finding(session.display, 1, 1, Level.ERROR, "value-kind", message, key)


def _record_key(session: AuditSession, number: int) -> str | Finding:
    group = action_group(session.template)
    if group is None:
        return _refusal(session, "", f"template {session.template.id} has no action records")
    records = session.get(group.table)
    total = len(records) if isinstance(records, list) else 0
    if not 1 <= number <= total:
        allowed = f"1 to {total}" if total else "none: the audit has no actions yet"
        return _refusal(session, group.table,
                        f"there is no action {number}; actions in this audit: {allowed}")
    return f"{group.table}[{number - 1}]"


def _day(session: AuditSession, key: str, raw: object, what: str) -> dt.date | Finding:
    if raw is None:
        return session.today
    parsed = parse_value(DATE, raw, Mode.LENIENT)
    if not parsed.ok or parsed.value is None:
        return _refusal(session, key, f"{what}: {parsed.error or 'a date is needed'}")
    value: dt.date = parsed.value
    return value


def _write(session: AuditSession, values: dict[str, Any], save: bool) -> list[Finding]:
    verdict = check_plan(session, Plan(values))
    if not verdict.ok:
        return verdict.refusals
    for key, value in values.items():
        session.set(key, value)
    if save:
        session.save()
    return []


def agree_action(session: AuditSession, number: int, due: object,
                 agreed_on: object = None, *, save: bool = True) -> list[Finding]:
    """Record the due date manager and practitioner agreed for action ``number``."""
    key = _record_key(session, number)
    if isinstance(key, Finding):
        return [key]
    due_day = _day(session, f"{key}.due", due if due is not None else "", "the due date")
    agreed = _day(session, f"{key}.agreed_on", agreed_on, "the date it was agreed")
    wrong = [d for d in (due_day, agreed) if isinstance(d, Finding)]
    if wrong:
        return wrong
    assert isinstance(due_day, dt.date) and isinstance(agreed, dt.date)
    if due_day < agreed:
        return [_refusal(session, f"{key}.due", f"the due date {due_day.isoformat()} is before "
                                                f"the date it was agreed ({agreed.isoformat()})")]
    return _write(session, {f"{key}.due": due_day, f"{key}.agreed_on": agreed}, save)


def close_action(session: AuditSession, number: int, done_on: object = None,
                 update: str | None = None, *, save: bool = True) -> list[Finding]:
    """Mark action ``number`` done on ``done_on`` (default today), with the update."""
    key = _record_key(session, number)
    if isinstance(key, Finding):
        return [key]
    finished = _day(session, f"{key}.done_on", done_on, "the date it was done")
    if isinstance(finished, Finding):
        return [finished]
    values: dict[str, Any] = {f"{key}.status": DONE, f"{key}.done_on": finished}
    if update is not None:
        values[f"{key}.update"] = update
    return _write(session, values, save)
