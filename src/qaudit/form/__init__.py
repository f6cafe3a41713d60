"""The full-screen form of ``qaudit fill`` and ``qaudit moderate`` (Textual, imported only
when the form is used, so other commands start fast)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from qaudit.form.session import FILL, MODERATE, FormSession

__all__ = ["FILL", "MODERATE", "can_show", "run_form"]


def can_show() -> bool:
    """The form needs a terminal both ways that can draw it (not a pipe, not TERM=dumb)."""
    term = os.environ.get("TERM", "")
    return sys.stdin.isatty() and sys.stdout.isatty() and term not in ("", "dumb")


def run_form(path: Path, today: dt.date, mode: str = FILL) -> str:
    """Open the audit in the form; returns what was saved, to print on leaving."""
    from qaudit.form.app import FormApp, leaving_message

    session = FormSession.open(path, today, mode)
    result = FormApp(session).run()
    return result if isinstance(result, str) else leaving_message(session)
