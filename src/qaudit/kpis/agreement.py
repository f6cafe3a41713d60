"""Action agreement: were an action's timescales agreed within the limit after the audit was
uploaded? One computation, used by ``qaudit actions`` (flags ``agreed-late`` and
``not-agreed``) and by ``check-kpis`` (rule ``action-agreement``, one record per action), so
the two commands always give the same figures.

The upload (``audit_uploaded``) and the agreements happen after the audit date, so they are
judged against the date asked about (``--as-of``, default today), never closed by the review
window. Worked example: uploaded Thu 17 Dec 2026, 10 working days to agree: due Tue 5 Jan 2027
(25, 28 Dec and 1 Jan are bank holidays); agreed Wed 6 Jan 2027: ``late``, 1 working day.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from qaudit.chronology.workdays import WorkCalendar

UPLOAD_EVENT = "audit_uploaded"
MET, LATE, OVERDUE, PENDING, NOT_APPLICABLE = "met", "late", "overdue", "pending", \
    "not_applicable"
FLAG_OF = {LATE: "agreed-late", OVERDUE: "not-agreed"}


class Agreement(msgspec.Struct):
    """One action's agreement judged: its status and working days late (met: 0)."""

    status: str
    working_days_late: int | None
    reason: str = ""

    @property
    def flag(self) -> str | None:
        """The ``qaudit actions`` flag this gives (``agreed-late``, ``not-agreed``) or None."""
        return FLAG_OF.get(self.status)


def judge_agreement(agree_by: dt.date | None, due: dt.date | None, agreed_on: dt.date | None,
                    is_open: bool, as_of: dt.date, calendar: WorkCalendar) -> Agreement:
    """met / late: a due date agreed on or before ``agree_by`` / after it; overdue: an open
    action with no due date after ``agree_by`` (still ``pending`` on that day itself);
    not_applicable: no deadline (no upload recorded, or the rule switched off), a done action
    that never had a due date, or a due date without the day it was agreed."""
    if agree_by is None:
        return Agreement(NOT_APPLICABLE, None, "no audit_uploaded event to count from")
    if due is not None and agreed_on is not None:
        if agreed_on <= agree_by:
            return Agreement(MET, 0)
        return Agreement(LATE, calendar.working_days_between(agree_by, agreed_on))
    if due is not None:
        return Agreement(NOT_APPLICABLE, None, "a due date without the day it was agreed")
    if not is_open:
        return Agreement(NOT_APPLICABLE, None, "done without a due date being agreed")
    if as_of > agree_by:
        return Agreement(OVERDUE, calendar.working_days_between(agree_by, as_of))
    return Agreement(PENDING, None)
