"""Sheet names and the headers both the export and the import rely on.

import-xlsx finds its columns by these header texts, not by position, so a panel may hide,
widen or reorder columns; it must not rename these headers. Each template (and version) has
its own Audits sheet, ``Audits core 1.1``, so audits of different templates never share a
section column; import-xlsx reads every sheet whose name starts with ``Audits``.
"""

from __future__ import annotations

import re

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

MAX_SHEET_NAME = 31  # Excel's limit
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\'\x00-\x1f]")


def audit_sheet_name(template_id: str, version: str, taken: set[str]) -> str:
    """``Audits core 1.1``: the Audits sheet of one template version, a name Excel accepts
    (31 characters, none of ``[]:*?/\\'``) and not already in ``taken``."""
    base = _NOT_IN_SHEET_NAME.sub("", f"{AUDITS} {template_id} {version}")[:MAX_SHEET_NAME]
    name, number = base.rstrip(), 1
    while name.casefold() in {t.casefold() for t in taken}:
        number += 1
        suffix = f" ~{number}"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
    return name


def is_audit_sheet(name: str) -> bool:
    return name == AUDITS or name.startswith(AUDITS + " ")
