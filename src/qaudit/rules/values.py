"""value-kind and grade-value: every answer is of its question's kind.

Grades get their own rule id because the template states the rule in so many words
(core guidance 3 and 4: a grading between 1 and 4, no half gradings, no 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qaudit.audit.kinds import problem
from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule
from qaudit.templates.catalogue import Item


def _check_value(ctx: AuditContext, item: Item, key: str, value: Any,
                 label: str) -> Iterator[Finding]:
    message = problem(item.kind, value)
    if message is None:
        return
    rule = "grade-value" if item.kind.base == "grade" else "value-kind"
    yield ctx.finding(key, Level.ERROR, rule, f"{label}: {message}")


def check_values(ctx: AuditContext) -> Iterator[Finding]:
    for section, item, key, value in ctx.fields():
        yield from _check_value(ctx, item, key, value, f"{section.heading}, {item.text}")
    answers = ctx.doc.data.get("answers")
    answers = answers if isinstance(answers, dict) else {}
    for _, item, key, value in ctx.questions():
        yield from _check_value(ctx, item, key, value, f"Question {item.number or item.id}")
        entry = answers.get(item.id)
        if isinstance(entry, dict):
            for text_key in ("evidence", "comment"):
                text = entry.get(text_key)
                if text is not None and not isinstance(text, str):
                    yield ctx.finding(f"answers.{item.id}.{text_key}", Level.ERROR, "value-kind",
                                      f"Question {item.number or item.id}: {text_key} must be "
                                      "text in quotes")
    for _, group, index, record in ctx.group_records():
        for item in group.fields:
            if item.id in record:
                yield from _check_value(ctx, item, f"{group.table}[{index}].{item.id}",
                                        record[item.id], f"{group.label} {index + 1}, {item.text}")


RULE = Rule(
    id="value-kind",
    summary="An answer of the wrong kind; grade-value for grades outside 1-4 / N/A.",
    source="Core guidance 3-4: a grading between 1 and 4 for every question; no half gradings "
    "or decimal points such as 2.5, 3.5; nor a rating of 0.",
    check=check_values,
)
