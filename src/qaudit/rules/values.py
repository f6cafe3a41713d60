"""value-kind: every answer that is not a grade is of its question's kind (choices written
exactly, whole numbers in range, real dates, text in quotes). Grades are ``rules/grades.py``.

Both rules walk the audit's values with ``answer_values`` and check each with the same
``kinds.problem`` the editing use cases and the parsers share.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qaudit.audit.kinds import problem
from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule
from qaudit.templates.catalogue import Item


def answer_values(ctx: AuditContext) -> Iterator[tuple[Item, str, Any, str]]:
    """Every section field, question answer and record field: (item, key, value, label)."""
    for section, item, key, value in ctx.fields():
        yield item, key, value, f"{section.heading}, {item.text}"
    for _, item, key, value in ctx.questions():
        yield item, key, value, f"Question {item.number or item.id}"
    for _, group, index, record in ctx.group_records():
        for item in group.fields:
            if item.id in record:
                yield (item, f"{group.table}[{index}].{item.id}", record[item.id],
                       f"{group.label} {index + 1}, {item.text}")


def check_value(ctx: AuditContext, rule: str, item: Item, key: str, value: Any,
                label: str) -> Iterator[Finding]:
    message = problem(item.kind, value)
    if message is not None:
        yield ctx.finding(key, Level.ERROR, rule, f"{label}: {message}")


def _text_boxes(ctx: AuditContext) -> Iterator[Finding]:
    answers = ctx.doc.data.get("answers")
    answers = answers if isinstance(answers, dict) else {}
    for _, item, _key, _value in ctx.questions():
        entry = answers.get(item.id)
        if not isinstance(entry, dict):
            continue
        for text_key in ("evidence", "comment"):
            text = entry.get(text_key)
            if text is not None and not isinstance(text, str):
                yield ctx.finding(f"answers.{item.id}.{text_key}", Level.ERROR, "value-kind",
                                  f"Question {item.number or item.id}: {text_key} must be "
                                  "text in quotes")


def _shapes(ctx: AuditContext) -> Iterator[Finding]:
    """Tables written as tables and records as [[records]]."""
    def not_table(key: str, what: str = "") -> Finding:
        return ctx.finding(key, Level.ERROR, "value-kind", what or f"{key} must be a table",
                           at_value=False)

    for table_path in ctx.template.tables():
        node = ctx.get(table_path)
        if node is not None and not isinstance(node, dict):
            yield not_table(table_path)
    answers = ctx.doc.data.get("answers")
    if answers is not None and not isinstance(answers, dict):
        yield not_table("answers")
    elif isinstance(answers, dict):
        for qid, entry in answers.items():
            if ctx.template.question(qid) is not None and not isinstance(entry, dict):
                yield not_table(f"answers.{qid}")
    for _, group in ctx.template.groups():
        records = ctx.doc.data.get(group.table)
        if records is not None and not isinstance(records, list):
            yield not_table(group.table, f"{group.table} must be written as [[{group.table}]] "
                                         "records")


def check_values(ctx: AuditContext) -> Iterator[Finding]:
    yield from _shapes(ctx)
    for item, key, value, label in answer_values(ctx):
        if item.kind.base != "grade":
            yield from check_value(ctx, "value-kind", item, key, value, label)
    yield from _text_boxes(ctx)


RULE = Rule(
    id="value-kind",
    summary="An answer of the wrong kind (grades: grade-value).",
    source="Each question's kind in the template: its options, its range, a real date.",
    check=check_values,
)
