"""The audit's status, in one place: an audit moves draft -> complete -> moderated.

API: ``DRAFT``, ``COMPLETE``, ``MODERATED``; ``STATUSES`` (all three, in order);
``FINISHED`` (complete or moderated: every completeness rule applies); ``CAN_MODERATE``;
``STATUS_KEY`` (``audit.status``, where the file keeps it); ``status_of(get) -> str``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DRAFT = "draft"
COMPLETE = "complete"
MODERATED = "moderated"
STATUSES = (DRAFT, COMPLETE, MODERATED)
FINISHED = (COMPLETE, MODERATED)
CAN_MODERATE = (COMPLETE, MODERATED)
STATUS_KEY = "audit.status"


def status_of(get: Callable[[str], Any]) -> str:
    """The status written in the file, or "" when it is missing or not text."""
    value = get(STATUS_KEY)
    return value if isinstance(value, str) else ""
