"""Each rule module emits the rule id it is named for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builders import blank_audit
from qaudit.rules import RULES
from qaudit.validate import load, validate_file

TODAY = dt.date(2026, 11, 23)


def _bad_audit(tmp_path: Path) -> Path:
    path = blank_audit(tmp_path)
    text = path.read_text(encoding="utf-8")
    text += '\nactions = "see the plan"\n' if "[[actions]]" not in text else ""
    text = text.replace("[answers.q4]\ngrade = \"\"", "[answers.q4]\ngrade = 2.5", 1)
    text = text.replace('case_status = ""', 'case_status = "cp"', 1)
    text += '\n[[events]]\nkind = "vist"\ndate = 2026-04-02\n'
    path.write_text(text, encoding="utf-8")
    return path


def test_every_rule_emits_only_its_own_id(tmp_path: Path) -> None:
    path = _bad_audit(tmp_path)
    result = load(path)
    assert result.document is not None and result.template is not None
    from qaudit.config import config_for
    from qaudit.rules.base import AuditContext

    context = AuditContext(result.document, result.template, TODAY, config_for(path))
    seen = set()
    for rule in RULES:
        for finding in rule.check(context):
            assert finding.rule == rule.id, (rule.id, finding.rule, finding.message)
            seen.add(rule.id)
    assert {"grade-value", "value-kind", "event-kind"} <= seen, seen


def test_a_value_that_is_not_a_table_is_a_value_kind_finding(tmp_path: Path) -> None:
    path = tmp_path / "shape.toml"
    path.write_text('answers = 3\nparents = "two"\n[audit]\ntemplate = "core"\n'
                    'template_version = "1.1"\nstatus = "draft"\n', encoding="utf-8")
    findings = validate_file(path, TODAY).findings
    shapes = sorted((f.key, f.rule) for f in findings if "must be" in f.message)
    assert shapes == [("answers", "value-kind"), ("parents", "value-kind")]
    assert "unknown-key" not in {f.rule for f in findings}
