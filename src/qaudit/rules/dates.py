"""date-future and date-order: dates are real, not in the future, and in a sensible order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return None


def check_future(ctx: AuditContext) -> Iterator[Finding]:
    for section, item, key, value in ctx.fields():
        day = _date(value)
        if day and day > ctx.today:
            yield ctx.finding(key, Level.ERROR, "date-future",
                              f"{section.heading}, {item.text}: {day} is in the future "
                              f"(today is {ctx.today})")
    for _, group, index, record in ctx.group_records():
        for item in group.fields:
            day = _date(record.get(item.id))
            if day and day > ctx.today and item.id != "due":
                yield ctx.finding(f"{group.table}[{index}].{item.id}", Level.ERROR, "date-future",
                                  f"{group.label} {index + 1}, {item.text}: {day} is in the "
                                  f"future (today is {ctx.today})")


# (earlier role, later role, what the order means, level, which date the finding points at)
ORDER = (
    ("practitioner_meeting_date", "audit_date",
     "the audit is completed on or after the meeting with the practitioner", Level.ERROR,
     "audit_date"),
    ("audit_date", "moderation_date", "moderation comes after the audit", Level.ERROR,
     "moderation_date"),
    ("family_feedback_date", "audit_date",
     "family feedback is obtained before the audit is completed", Level.WARNING,
     "family_feedback_date"),
)


def check_order(ctx: AuditContext) -> Iterator[Finding]:
    for earlier_role, later_role, meaning, level, blamed in ORDER:
        earlier = _date(ctx.role_value(earlier_role))
        later = _date(ctx.role_value(later_role))
        blamed_path = ctx.template.role_path(blamed)
        if earlier and later and blamed_path and later < earlier:
            yield ctx.finding(blamed_path, level, "date-order",
                              f"the {later_role.replace('_', ' ')} {later} is before the "
                              f"{earlier_role.replace('_', ' ')} {earlier}: {meaning}")
    audit_date = _date(ctx.role_value("audit_date"))
    if audit_date:
        for _, group, index, record in ctx.group_records():
            contact = _date(record.get("contact_date"))
            if contact and contact > audit_date:
                yield ctx.finding(f"{group.table}[{index}].contact_date", Level.WARNING,
                                  "date-order", f"{group.label} {index + 1} was contacted on "
                                  f"{contact}, after the audit date {audit_date}")


FUTURE = Rule(
    id="date-future",
    summary="A date after today (action due dates excepted).",
    source="Dates record what has happened; only an action's due date may lie ahead.",
    check=check_future,
)
ORDER_RULE = Rule(
    id="date-order",
    summary="Audit on or after the practitioner meeting; moderation after the audit.",
    source="Core guidance 1: audits are completed collaboratively with the worker; "
    "Section 18: the panel moderates a completed audit.",
    check=check_order,
)
