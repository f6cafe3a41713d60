"""unknown-key: every key must be one the template knows, so a typo never hides an answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule
from qaudit.suggest import did_you_mean

AUDIT_KEYS = ("template", "template_version", "status", "created")
FREE_TABLES = ("extra",)  # a council's own data; never checked
# Kept by qaudit itself: what the panel saw (moderation-stale) and why an audit was reopened.
QAUDIT_TABLES = ("panel_digest", "reopened")
DELEGATED = ("events", "cycle")  # the chronology and the cycle have rules of their own


def _unknown(ctx: AuditContext, table: dict[str, Any], prefix: str, known: list[str],
             what: str) -> Iterator[Finding]:
    for name in table:
        if name not in known:
            key = f"{prefix}.{name}" if prefix else name
            shown = ", ".join(known) if len(known) <= 8 else f"{len(known)} keys, see the template"
            yield ctx.finding(
                key, Level.ERROR, "unknown-key",
                f"unknown key {name!r} in {what}{did_you_mean(name, known)} (allowed: {shown})",
                at_value=False,
            )


def check(ctx: AuditContext) -> Iterator[Finding]:
    template = ctx.template
    data = ctx.doc.data
    tables = template.tables()
    roots = {t.split(".")[0] for t in tables}
    group_tables = {g.table: g for _, g in template.groups()}
    top_known = sorted({"audit", "answers", *roots, *group_tables, *FREE_TABLES, *DELEGATED,
                        *QAUDIT_TABLES})
    yield from _unknown(ctx, data, "", top_known, "the audit file")

    audit = data.get("audit")
    if isinstance(audit, dict):
        yield from _unknown(ctx, audit, "audit", list(AUDIT_KEYS), "[audit]")

    for table_path, sections in tables.items():
        node = ctx.get(table_path)
        if node is None:
            continue
        if not isinstance(node, dict):
            continue  # value-kind says it must be a table
        known = [f.id for s in sections for f in s.fields]
        yield from _unknown(ctx, node, table_path, known, f"[{table_path}]")

    sections_node = data.get("sections")
    if isinstance(sections_node, dict):
        known = sorted(t.split(".", 1)[1] for t in tables if t.startswith("sections."))
        yield from _unknown(ctx, sections_node, "sections", known, "[sections]")

    answers = data.get("answers")
    if isinstance(answers, dict):
        ids = [q.id for _, q in template.questions()]
        yield from _unknown(ctx, answers, "answers", ids, "[answers]")
        for qid, entry in answers.items():
            question = template.question(qid)
            if question is None:
                continue
            if not isinstance(entry, dict):
                continue  # value-kind
            allowed = [question.value_key, "comment"]
            if question.evidence:
                allowed.insert(1, "evidence")
            yield from _unknown(ctx, entry, f"answers.{qid}", allowed, f"[answers.{qid}]")

    for table, group in group_tables.items():
        records = data.get(table)
        if records is None:
            continue
        if not isinstance(records, list):
            continue  # value-kind
        known = [f.id for f in group.fields]
        for index, record in enumerate(records):
            if isinstance(record, dict):
                yield from _unknown(ctx, record, f"{table}[{index}]", known,
                                    f"[[{table}]] record {index + 1}")


RULE = Rule(
    id="unknown-key",
    summary="A key the template does not define (with a did-you-mean).",
    source="The audit file holds only the template's questions and fields; [extra] is free.",
    check=check,
)
