"""The full-screen form of ``qaudit fill`` and ``qaudit moderate`` (Textual). The commands
import it only when the form is shown (a terminal both ways, not ``--plain``), so every other
command starts without loading Textual."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qaudit.form.session import FILL, MODERATE, FormSession

__all__ = ["FILL", "MODERATE", "run_form"]


def run_form(path: Path, today: dt.date, mode: str = FILL, *, start: str = "") -> str:
    """Open the audit in the form (at ``start``: a question or section number or id) and
    return what was saved, to print when the form has closed."""
    from qaudit.form.app import FormApp
    from qaudit.form.panels import leaving_message

    session = FormSession.open(path, today, mode)
    result = FormApp(session, start=start).run()
    return result if isinstance(result, str) else leaving_message(session)
