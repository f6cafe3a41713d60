"""Sheet names and the headers both the export and the import rely on.

import-xlsx finds its columns by these header texts, not by position, so a panel may hide,
widen or reorder columns; it must not rename these headers.
"""

from __future__ import annotations

AUDITS = "Audits"
ANSWERS = "Answers"
KPIS = "KPIs"
ACTIONS = "Actions"
CHARTS = "Charts"

H_CASE = "Case number"
H_CHILD = "Child"
H_CHILD_REDACTED = "Child (pseudonym)"
H_OVERALL = "Auditor's overall grade"
H_PRACTITIONER_GRADE = "Practitioner's grade"
H_KPIS_MISSED = "KPI timescales missed"
H_OPEN_ACTIONS = "Open actions"
H_GRADE = "Moderator grade"
H_AGREE = "Agree?"
H_COMMENT = "Moderator comments"
H_MODERATOR = "Moderator"
H_SCALING = "Scaling of audit (A)"
H_PATH = "qaudit path (do not edit)"
H_HASH = "qaudit sha256 (do not edit)"

PANEL_HEADERS = (H_GRADE, H_AGREE, H_COMMENT, H_MODERATOR, H_SCALING)
AGREE_VALUES = ("Yes", "No")
