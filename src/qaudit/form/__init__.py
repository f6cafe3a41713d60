"""The full-screen form of ``qaudit fill`` and ``qaudit moderate`` (Textual). The commands
import it only when the form is shown (a terminal both ways, not ``--plain``), so every other
command starts without loading Textual.

Modules: ``session`` (the open audit; a typed value checked and saved through
``qaudit.edit``; drafts), ``outline`` (where a finding belongs, each section's progress),
``finishing`` (add a record, mark complete / moderated) — none of them imports Textual;
``app`` (the screen and its keys), ``view`` (a section's widgets), ``widgets``, ``screens``,
``panels`` (lists and lines), ``style`` (its CSS)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qaudit.form.session import FILL, MODERATE, FormSession

__all__ = ["FILL", "MODERATE", "run_form"]


def run_form(path: Path, today: dt.date, mode: str = FILL, *,
             start: str = "") -> tuple[str, bool]:
    """Open the audit in the form (at ``start``: a question or section number or id) and
    return what was saved, to print when the form has closed, and whether everything typed
    was saved (False: some values were refused or not written; they are kept as drafts)."""
    from qaudit.form.app import FormApp
    from qaudit.form.panels import leaving_message

    session = FormSession.open(path, today, mode)
    result = FormApp(session, start=start).run()
    session.keep_drafts()  # however the form closed (drafts already kept are not redone)
    said = result if isinstance(result, str) else leaving_message(session)
    return said, not session.unsaved
