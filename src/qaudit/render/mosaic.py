"""``--format mosaic``: the plain text the QA team pastes into the case record (core guidance
12): the auditor's comments (the rationale for the overall grading) and the actions for the
practitioner, nothing else. Paragraphs are not hard-wrapped, so the case record wraps them."""

from __future__ import annotations

from qaudit.render.model import Document


def render_mosaic(doc: Document) -> str:
    lines = ["AUDITOR'S COMMENTS"]
    if doc.overall_grade is not None:
        lines.append(f"Overall grading: {doc.overall_grade.text}")
    lines.append(doc.overall_comments or "(no comments written yet)")
    lines += ["", "ACTIONS FOR THE PRACTITIONER"]
    if not doc.actions:
        lines.append("(no actions recorded)")
    for number, record in enumerate(doc.actions, start=1):
        lines.append(f"{number}. {record.value('action') or '(no action written)'}")
        details = []
        if record.value("by_whom"):
            details.append(f"By whom: {record.value('by_whom')}")
        if record.value("due"):
            details.append(f"Agreed due date: {record.value('due')}")
        if record.value("status"):
            details.append(f"Status: {record.value('status')}")
        if details:
            lines.append("   " + "; ".join(details))
    return "\n".join(lines) + "\n"
