"""The validation rules, one small module each, run by ``qaudit.validate`` in this order."""

from __future__ import annotations

from qaudit.rules import (
    chronology,
    dates,
    evidence,
    groups,
    moderation,
    rationale,
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
    evidence.RULE,
    rationale.RULE,
    required.RULE,
    dates.FUTURE,
    dates.ORDER_RULE,
    groups.RULE,
    moderation.RULE,
    *chronology.RULES,
)

# Findings raised outside the rule modules: reading a file and resolving its template.
FILE_RULES = {
    "toml-syntax": "The file is not valid TOML (line and column of the first error).",
    "file-empty": "The file is empty.",
    "file-binary": "The file is binary, not text.",
    "file-encoding": "The file is not UTF-8 text.",
    "file-unreadable": "The file cannot be read (missing, a folder, no permission).",
    "audit-header": "No [audit] table naming the template.",
    "template-unknown": "The template or its version is not available.",
}

__all__ = ["RULES", "FILE_RULES", "AuditContext", "Rule"]
