"""Each validation rule, on its own, through the core: a real file in, the findings out."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from builders import AUDIT, blank_audit, complete_audit
from qaudit.audit.writer import AuditEditor
from qaudit.findings import Finding, Level
from qaudit.rules import RULES
from qaudit.validate import validate_file

TODAY = dt.date(2026, 11, 23)


def findings(path: Path, today: dt.date = TODAY) -> list[Finding]:
    return validate_file(path, today).findings


def edit(path: Path, **values: object) -> Path:
    editor = AuditEditor(path)
    for key, value in values.items():
        editor.set(key.replace("__", "."), value)
    editor.save()
    return path


def rules_of(found: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.rule, f.level.value, f.key) for f in found]


def test_every_rule_states_its_source_sentence() -> None:
    for rule in RULES:
        assert rule.id and rule.summary and len(rule.source) > 20, rule.id


@pytest.mark.parametrize("template_id", ["core", "team-manager"])
def test_complete_audit_built_from_the_template_is_clean(tmp_path: Path, template_id: str) -> None:
    assert findings(complete_audit(tmp_path, template_id)) == []


def test_blank_draft_is_clean(tmp_path: Path) -> None:
    assert findings(blank_audit(tmp_path)) == []


@pytest.mark.parametrize("bad", [0, 2.5, "3", 5, -1, "Good"])
def test_grade_value_refuses_what_the_template_forbids(tmp_path: Path, bad: object) -> None:
    path = edit(complete_audit(tmp_path), answers__q4__grade=bad)
    found = findings(path)
    assert rules_of(found) == [("grade-value", "error", "answers.q4.grade")]
    assert "Question 4" in found[0].message
    if bad in (0, 2.5, 5):
        assert "half gradings" in found[0].message  # quotes guidance 4
    text = path.read_text(encoding="utf-8").splitlines()
    line = text[found[0].line - 1]
    written = json.dumps(bad) if isinstance(bad, str) else str(bad)
    assert line[found[0].column - 1:].startswith(written)


def test_grade_na_allowed_on_questions_but_not_on_the_overall_grading(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), answers__q4__grade="N/A", answers__q59__grade="N/A")
    assert rules_of(findings(path)) == [("grade-value", "error", "answers.q59.grade")]


def test_value_kind_for_dates_choices_and_scores(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    editor = AuditEditor(path)
    editor.set("case.practitioner_meeting_date", "2026-10-01")
    editor.set("answers.q53.answer", "yes")
    editor.doc["parents"][0]["q51"] = 11
    editor.save()
    found = findings(path)
    assert rules_of(found) == [
        ("value-kind", "error", "case.practitioner_meeting_date"),
        ("value-kind", "error", "parents[0].q51"),
        ("value-kind", "error", "answers.q53.answer"),
    ]
    assert "without quotes" in found[0].message
    assert "above 10" in found[1].message
    assert "“Yes”" in found[2].message


def test_unknown_key_suggests_the_near_one(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("[answers.q5]\ngrade =", "[answers.q5]\ngrdae =", 1)
    path.write_text(text, encoding="utf-8")
    found = findings(path)
    unknown = [f for f in found if f.rule == "unknown-key"]
    assert len(unknown) == 1 and "did you mean “grade”" in unknown[0].message
    assert unknown[0].column == 1
    assert ("required-missing", "error", "answers.q5.grade") in rules_of(found)


def test_extra_table_is_free(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + '\n[extra]\nlocal_ref = "X1"\n', "utf-8")
    assert findings(path) == []


def test_status_value(tmp_path: Path) -> None:
    path = edit(blank_audit(tmp_path), audit__status="finished")
    assert rules_of(findings(path)) == [("status-value", "error", "audit.status")]


def test_evidence_missing_is_an_error_once_complete_a_warning_in_a_draft(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), answers__q7__evidence="")
    assert rules_of(findings(path)) == [("evidence-missing", "error", "answers.q7.evidence")]
    edit(path, audit__status="draft")
    assert rules_of(findings(path)) == [("evidence-missing", "warning", "answers.q7.evidence")]


def test_na_needs_no_evidence(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), answers__q21__grade="N/A", answers__q21__evidence="")
    assert findings(path) == []


def test_required_missing_only_once_complete(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), answers__q30__grade="", answers__q30__evidence="",
                case__auditor="")
    assert rules_of(findings(path)) == [
        ("required-missing", "error", "case.auditor"),
        ("required-missing", "error", "answers.q30.grade"),
    ]
    edit(path, audit__status="draft")
    assert findings(path) == []


def test_parents_views_or_the_reason(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    editor = AuditEditor(path)
    editor.doc["parents"][0]["name"] = ""
    editor.doc["parents"][0]["relationship"] = ""
    editor.save()
    assert rules_of(findings(path)) == [("required-missing", "error", "sections.parents")]
    edit(path, sections__parents__views_not_obtained="Mother declined; father not contactable.")
    assert findings(path) == []


def test_team_manager_family_feedback_excused_by_a_reason(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path, "team-manager"), answers__family_2__answer="")
    assert rules_of(findings(path)) == [("required-missing", "error", "answers.family_2.answer")]
    edit(path, sections__family_feedback__views_not_obtained="Family did not respond to 3 calls.")
    assert findings(path) == []


def test_rationale_missing(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), sections__plan__rationale="")
    found = findings(path)
    assert ("rationale-missing", "error", "sections.plan.rationale") in rules_of(found)


def test_date_future(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), case__family_feedback_date=dt.date(2026, 12, 1))
    found = findings(path)
    assert rules_of(found) == [
        ("date-future", "error", "case.family_feedback_date"),
        ("date-order", "warning", "case.family_feedback_date"),
    ]
    assert "2026-12-01 is in the future" in found[0].message


def test_date_order_audit_before_meeting(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), case__audit_date=dt.date(2026, 9, 30))
    assert rules_of(findings(path)) == [("date-order", "error", "case.audit_date")]


def test_date_order_moderation_before_audit(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), moderation__date=AUDIT - dt.timedelta(days=1))
    assert rules_of(findings(path)) == [("date-order", "error", "moderation.date")]


def test_group_limit_two_parents(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    editor = AuditEditor(path)
    editor.append_record("parents", {"name": "Second"})
    editor.append_record("parents", {"name": "Third"})
    editor.save()
    assert rules_of(findings(path)) == [("group-limit", "error", "parents[2]")]


def test_moderation_changed_grade_needs_a_reason(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), moderation__changed_grade=2)
    assert rules_of(findings(path)) == [
        ("rationale-missing", "error", "moderation.change_reason")]


def test_moderated_audit_needs_the_panel_record(tmp_path: Path) -> None:
    path = edit(complete_audit(tmp_path), audit__status="moderated")
    assert {f.key for f in findings(path)} >= {"moderation.date", "moderation.scaling"}


@pytest.mark.parametrize(("content", "rule"), [
    (b"", "file-empty"),
    (b"  \n\n", "file-empty"),
    (b"\x00\x01\x02binary", "file-binary"),
    (b"[audit]\ntemplate = \"core\"\n\xff\xfe\n", "file-encoding"),
    (b"[audit]\ntemplate = core\n", "toml-syntax"),
    (b"[case]\ncase_number = \"1\"\n", "audit-header"),
    (b"[audit]\ntemplate = \"corr\"\ntemplate_version = \"1.1\"\n", "template-unknown"),
    (b"[audit]\ntemplate = \"core\"\ntemplate_version = \"9.9\"\n", "template-unknown"),
])
def test_broken_files_are_findings_not_crashes(tmp_path: Path, content: bytes, rule: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_bytes(content)
    found = findings(path)
    assert [f.rule for f in found] == [rule]
    assert found[0].level is Level.ERROR


def test_syntax_error_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[audit]\ntemplate = "core"\nstatus = draft\n', encoding="utf-8")
    (found,) = findings(path)
    assert (found.line, found.column, found.rule) == (3, 10, "toml-syntax")
