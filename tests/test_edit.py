"""The editing use cases (qaudit.edit), called directly as the form and the prompts call
them: real audit files in, the file on disk checked after."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builders import blank_audit, complete_audit
from qaudit.audit.reader import read_audit
from qaudit.edit.actions import add_action, agree_action, close_action
from qaudit.edit.lifecycle import complete_audit as complete_use_case
from qaudit.edit.lifecycle import reopen
from qaudit.edit.moderate import (
    check_moderation_field,
    decision_from_text,
    moderate_audit,
    moderation_fields,
)
from qaudit.edit.records import add_record, check_record, check_record_field, record_form
from qaudit.edit.session import open_audit
from qaudit.edit.values import check_value, set_values
from qaudit.errors import ConflictError, UsageError
from qaudit.validate import validate_file

TODAY = dt.date(2026, 11, 23)


def value(path: Path, key: str) -> object:
    doc = read_audit(path)
    assert not isinstance(doc, type(None))
    return doc.get(key)  # type: ignore[union-attr]


def rules(path: Path) -> list[str]:
    return [f.rule for f in validate_file(path, TODAY).findings]


# --- set a value ------------------------------------------------------------------------------


def test_set_values_reads_people_spellings_and_saves_once(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    session = open_audit(path, TODAY)
    result = set_values(session, [("q4", "good"), ("case.audit_date", "18/11/2026"),
                                  ("sections.assessment.grade", "n/a")])
    assert result.ok, result.refusals
    assert value(path, "answers.q4.grade") == 3
    assert value(path, "case.audit_date") == dt.date(2026, 11, 18)
    assert value(path, "sections.assessment.grade") == "N/A"
    assert "date = 2026-11-18" in path.read_text(encoding="utf-8").replace("audit_", "")


@pytest.mark.parametrize(("assignments", "rule"), [
    ([("q4", "²")], "grade-value"),
    ([("case.audit_date", "2027-01-05")], "date-future"),
    ([("case.practitioner_meeting_date", "2026-11-10"), ("case.audit_date", "2026-11-01")],
     "date-order"),
    ([("case.child_age", "²")], "value-kind"),
])
def test_a_refused_value_is_never_written(tmp_path: Path, assignments: list[tuple[str, str]],
                                          rule: str) -> None:
    path = blank_audit(tmp_path)
    before = path.read_bytes()
    result = set_values(open_audit(path, TODAY), assignments)
    assert not result.ok and rule in [f.rule for f in result.refusals]
    assert all(f.line > 1 for f in result.refusals)  # file:line:col of the key
    assert path.read_bytes() == before


def test_a_cross_field_problem_is_found_as_the_value_is_typed(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)  # meeting 2026-10-01, audit 2026-10-02
    session = open_audit(path, TODAY)
    early = check_value(session, "case.audit_date", "30/09/2026")
    assert not early.ok and early.refusals[0].rule == "date-order"
    assert "before the practitioner meeting date" in early.message
    assert check_value(session, "case.audit_date", "03/10/2026").ok
    feedback = check_value(session, "case.family_feedback_date", "2026-10-20")
    assert feedback.ok and [w.rule for w in feedback.warnings] == ["date-order"]
    assert not check_value(session, "case.family_feedback_date", "2026-12-20").ok
    assert not session.editor.changed_on_disk


def test_problems_already_in_the_file_do_not_block_an_unrelated_edit(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    text = path.read_text(encoding="utf-8").replace('audit_date = ""', "audit_date = 2027-02-01")
    path.write_text(text, encoding="utf-8")
    assert "date-future" in rules(path)
    assert set_values(open_audit(path, TODAY), [("q4", "3")]).ok


def test_changed_on_disk_is_detected_and_never_overwritten(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    session = open_audit(path, TODAY)
    path.write_text(path.read_text(encoding="utf-8") + "# a colleague\n", encoding="utf-8")
    assert session.changed_on_disk
    with pytest.raises(ConflictError):
        set_values(session, [("q4", "3")])
    assert path.read_text(encoding="utf-8").endswith("# a colleague\n")
    session.reload()
    assert set_values(session, [("q4", "3")]).ok


def test_open_audit_refuses_what_it_cannot_edit(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        open_audit(tmp_path, TODAY)
    broken = tmp_path / "x.toml"
    broken.write_text('[audit]\ntemplate = "nope"\ntemplate_version = "1"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="unknown template"):
        open_audit(broken, TODAY)


# --- records ----------------------------------------------------------------------------------


def test_actions_add_and_fill_add_action_write_the_same_keys(tmp_path: Path) -> None:
    one = blank_audit(tmp_path, name="one.toml")
    two = blank_audit(tmp_path, name="two.toml")
    assert add_action(open_audit(one, TODAY), "Update the plan", "A. Worker").ok
    session = open_audit(two, TODAY)
    assert add_record(session, record_form(session, "action"),
                      {"action": "Update the plan", "by_whom": "A. Worker"}).ok
    first, second = value(one, "actions"), value(two, "actions")
    assert first == second
    assert isinstance(first, list) and set(first[0]) >= {"action", "by_whom", "due", "status"}
    assert first[0]["status"] == "open"


def test_an_event_record_is_checked_field_by_field(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    session = open_audit(path, TODAY)
    form = record_form(session, "event", "supervision")
    assert check_record_field(session, form, "date", "03/06/2026").ok
    early = check_record_field(session, form, "recorded", "2026-06-01",
                               {"date": dt.date(2026, 6, 3)})
    assert not early.ok and "before the supervision itself" in early.message
    whole = check_record(session, form, {"date": "2026-06-03", "recorded": "2026-06-01"})
    assert list(whole.by_field()) == ["recorded"]  # ask that one again, keep the date
    future = check_record(session, form, {"date": "2027-06-03"})
    assert not future.ok and future.refusals[0].rule == "event-date"
    saved = add_record(session, form, {"date": "2026-06-03", "recorded": "04/06/2026"})
    assert saved.ok and saved.key == "events[0]"
    assert value(path, "events[0].recorded") == dt.date(2026, 6, 4)


def test_a_parent_fills_the_blank_record_new_left(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    session = open_audit(path, TODAY)
    result = add_record(session, record_form(session, "parent"), {"name": "Fictional Mum"})
    assert result.ok and result.key == "parents[0]"
    records = value(path, "parents")
    assert isinstance(records, list) and len(records) == 1
    with pytest.raises(UsageError, match="no records called"):
        record_form(session, "grandparent")


def test_agree_and_close_an_action(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    session = open_audit(path, TODAY)
    assert add_action(session, "Update the plan", "A. Worker").ok
    assert agree_action(session, 2, "2026-12-01") != []
    late = agree_action(session, 1, "2027-01-10", "2026-12-20")
    assert late and late[0].rule == "date-future"
    assert agree_action(session, 1, "2026-11-01", "2026-11-10")[0].message.startswith(
        "the due date 2026-11-01 is before")
    assert agree_action(session, 1, "01/12/2026", "2026-11-20") == []
    assert close_action(session, 1, None, "Done at review") == []
    assert value(path, "actions[0].status") == "done"
    assert value(path, "actions[0].done_on") == TODAY
    assert value(path, "actions[0].due") == dt.date(2026, 12, 1)


# --- complete, moderate, reopen -------------------------------------------------------------


def test_complete_only_when_nothing_is_missing(tmp_path: Path) -> None:
    draft = blank_audit(tmp_path)
    before = draft.read_bytes()
    outcome = complete_use_case(open_audit(draft, TODAY))
    assert outcome.missing and not outcome.completed and draft.read_bytes() == before
    ready = complete_audit(tmp_path, name="ready.toml", status="draft")
    assert complete_use_case(open_audit(ready, TODAY)).completed
    assert value(ready, "audit.status") == "complete"


def _moderated(tmp_path: Path) -> Path:
    path = complete_audit(tmp_path)
    session = open_audit(path, TODAY)
    decision, refusals = decision_from_text(session, {"date": "20/10/2026", "scaling": "3"},
                                            agree=True)
    assert refusals == []
    result = moderate_audit(session, decision)
    assert result.ok and result.after == "moderated", result
    return path


def test_moderation_records_a_digest_and_validates_clean(tmp_path: Path) -> None:
    path = _moderated(tmp_path)
    assert value(path, "panel_digest.date") == dt.date(2026, 10, 20)
    assert isinstance(value(path, "panel_digest.assessment"), str)
    assert rules(path) == []


def test_a_moderated_answer_is_refused_unless_reopened_with_a_reason(tmp_path: Path) -> None:
    path = _moderated(tmp_path)
    before = path.read_bytes()
    refused = set_values(open_audit(path, TODAY), [("q59", "1")])
    assert [f.rule for f in refused.refusals] == ["moderation-stale"]
    assert "--reopen" in refused.refusals[0].message and path.read_bytes() == before
    assert not set_values(open_audit(path, TODAY), [("q59", "1")], reopen="  ").ok
    done = set_values(open_audit(path, TODAY), [("q59", "1")], reopen="Grade typed wrong")
    assert done.ok and done.reopened
    assert value(path, "audit.status") == "complete"
    assert value(path, "reopened") == [{"date": TODAY, "reason": "Grade typed wrong"}]
    assert value(path, "answers.q59.grade") == 1
    assert rules(path) == []


def test_validate_reports_a_moderated_audit_changed_behind_the_panel(tmp_path: Path) -> None:
    path = _moderated(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Evidence for q4, seen on file.", "Rewritten later."),
                    encoding="utf-8")
    findings = validate_file(path, TODAY).findings
    assert [f.rule for f in findings] == ["moderation-stale"]
    assert "Section 4: Assessment and Analysis" in findings[0].message
    assert "2026-10-20" in findings[0].message


def test_reopen_needs_a_moderated_audit_and_a_reason(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    assert reopen(open_audit(path, TODAY), "why")[0].message.startswith("only a moderated")
    (tmp_path / "m").mkdir()
    moderated = _moderated(tmp_path / "m")
    assert reopen(open_audit(moderated, TODAY), "") != []
    assert reopen(open_audit(moderated, TODAY), "Panel asked for more evidence") == []
    assert value(moderated, "audit.status") == "complete"


def test_moderation_fields_come_in_order_and_are_checked_as_typed(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    session = open_audit(path, TODAY)
    fields = moderation_fields(session.template)
    assert [f.attribute for f in fields][:3] == ["date", "moderator", "scaling"]
    date = fields[0]
    assert not check_moderation_field(session, date, "2026-09-01").ok  # before the audit
    assert not check_moderation_field(session, date, "2026-12-01").ok  # in the future
    assert check_moderation_field(session, date, "21/10/2026").value == dt.date(2026, 10, 21)
    scaling = fields[2]
    assert "out of range" in check_moderation_field(session, scaling, "7").message


def test_moderate_writes_nothing_when_the_record_is_incomplete(tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "team-manager")
    before = path.read_bytes()
    session = open_audit(path, TODAY)
    decision, refusals = decision_from_text(session, {"date": "2026-10-20",
                                                      "overall_grade": "good"})
    assert refusals == [] and decision.overall_grade == 3  # the same spelling as fill
    result = moderate_audit(session, decision)
    assert result.missing and not result.written and path.read_bytes() == before
    partial = moderate_audit(session, decision, partial=True)
    assert partial.written and partial.after == "complete"
    assert value(path, "sections.overall.moderator_grade") == 3


def test_checks_follow_changes_made_through_the_session_or_saved_by_the_editor(
        tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    session = open_audit(path, TODAY)
    assert check_value(session, "case.audit_date", "2026-11-01").ok
    session.set("case.practitioner_meeting_date", dt.date(2026, 11, 10))  # not saved yet
    assert not check_value(session, "case.audit_date", "2026-11-01").ok
    session.reload()
    assert check_value(session, "case.audit_date", "2026-11-01").ok
    session.editor.set("case.practitioner_meeting_date", dt.date(2026, 11, 10))
    session.editor.save()  # a front-end saving through the editor directly
    assert not check_value(session, "case.audit_date", "2026-11-01").ok
