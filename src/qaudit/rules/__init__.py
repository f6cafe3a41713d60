"""The validation rules, one small module each, run by ``qaudit.validate`` in this order."""

from __future__ import annotations

from qaudit.rules import (
    chronology,
    cycle_questions,
    dates,
    escalation,
    evidence,
    grades,
    groups,
    moderation,
    moderation_stale,
    rationale,
    repeat_audit,
    required,
    status,
    unknown_keys,
    values,
)
from qaudit.rules.base import AuditContext, Rule

RULES: tuple[Rule, ...] = (
    status.RULE,
    unknown_keys.RULE,
    values.RULE,
    grades.RULE,
    evidence.RULE,
    rationale.RULE,
    required.RULE,
    dates.FUTURE,
    dates.ORDER_RULE,
    groups.RULE,
    moderation.RULE,
    moderation_stale.RULE,
    escalation.RULE,
    cycle_questions.RULE,
    repeat_audit.RULE,
    *chronology.RULES,
)

__all__ = ["RULES", "AuditContext", "Rule"]
