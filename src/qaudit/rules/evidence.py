"""evidence-missing: every grade has evidence (an error once complete, a warning in a draft)."""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.audit.kinds import NA, is_blank
from qaudit.findings import Finding
from qaudit.rules.base import AuditContext, Rule


def check(ctx: AuditContext) -> Iterator[Finding]:
    answers = ctx.doc.data.get("answers")
    if not isinstance(answers, dict):
        return
    for _, item, _, value in ctx.questions():
        if not item.evidence or is_blank(value) or value == NA:
            continue
        if item.evidence_when and value not in item.evidence_when:
            continue  # evidence only for some answers ("Tell us how" after a YES)
        key = f"answers.{item.id}.evidence"
        entry = answers.get(item.id)
        if is_blank(entry.get("evidence") if isinstance(entry, dict) else None):
            yield ctx.finding(
                key, ctx.level_when_finished(), "evidence-missing",
                f"Question {item.number or item.id} is answered ({value}) but has no evidence: "
                f"{item.evidence.lower()} is needed",
            )


RULE = Rule(
    id="evidence-missing",
    summary="A graded answer without evidence: error once complete, warning in a draft.",
    source="Core guidance 7: Auditors should provide evidence and comments to support the "
    "gradings for each individual question.",
    check=check,
)
