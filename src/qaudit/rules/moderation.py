"""moderation-incomplete: a moderated audit carries the panel's record; a changed grade a reason."""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.findings import Finding, Level
from qaudit.kinds import NA, is_blank
from qaudit.rules.base import AuditContext, Rule


def check(ctx: AuditContext) -> Iterator[Finding]:
    template = ctx.template
    changed_path = template.role_path("moderation_changed_grade")
    reason_path = template.role_path("moderation_change_reason")
    if changed_path and reason_path:
        changed = ctx.get(changed_path)
        if not is_blank(changed) and changed != NA and is_blank(ctx.get(reason_path)):
            yield ctx.finding(reason_path, Level.ERROR, "moderation-incomplete",
                              f"the panel changed the auditor's grade to {changed} but gave "
                              "no reason")
    if ctx.status != "moderated":
        return
    for role, label in (("moderation_date", "the moderation date"),
                        ("moderation_scaling", "the panel's scaling of the audit (A)"),
                        ("moderator", "the moderator's name")):
        path = template.role_path(role)
        if path and is_blank(ctx.get(path)) and not (role == "moderator" and
                                                     template.role_path("moderation_scaling")):
            yield ctx.finding(path, Level.ERROR, "moderation-incomplete",
                              f"a moderated audit needs {label}")
    for section in template.sections:
        grade = section.field("moderator_grade")
        if grade is not None and grade.role in ("section_moderator_grade",
                                                "overall_moderator_grade"):
            key = f"{section.table}.{grade.id}"
            if is_blank(ctx.get(key)):
                yield ctx.finding(key, Level.ERROR, "moderation-incomplete",
                                  f"a moderated audit needs the moderator's grade for "
                                  f"{section.heading}")


RULE = Rule(
    id="moderation-incomplete",
    summary="A moderated audit without the panel's record, or a changed grade without a reason.",
    source="Core section 18 (date, A scaling, B change of grade); team-manager: moderator grade "
    "and comments for every area.",
    check=check,
)
