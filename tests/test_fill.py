"""`qaudit fill`: the guided walk, --set, --add and --complete, through the CLI with scripted
input, and the core (slots, progress, typed answers) directly."""

from __future__ import annotations

import datetime as dt
import difflib
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from builders import blank_audit, complete_audit, template
from qaudit.audit.kinds import problem
from qaudit.audit.reader import lookup
from qaudit.cli import line_input
from qaudit.errors import UsageError
from qaudit.fill.answers import (
    ANSWER,
    EVIDENCE,
    FIELD,
    RECORD,
    audit_slots,
    parse_answer,
    progress,
    resolve_key,
)
from qaudit.fill.complete import complete

RULE_WORDS = "Auditors should not use half gradings"


def data(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def value(path: Path, key: str) -> Any:
    return lookup(data(path), key)


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


# --- typed answers ---------------------------------------------------------------------------


def test_typed_grades_are_read_as_the_template_means_them() -> None:
    grade = template("core").kinds["grade"]
    assert parse_answer(grade, "3").value == 3
    assert parse_answer(grade, " 4 ").value == 4
    assert parse_answer(grade, "n/a").value == "N/A"
    assert parse_answer(grade, "NA").value == "N/A"
    assert parse_answer(grade, "good").value == 3
    assert parse_answer(grade, "").value is None and parse_answer(grade, "").ok


@pytest.mark.parametrize("typed", ["2.5", "0", "5", "three", "-1"])
def test_a_bad_grade_is_refused_in_one_short_line_naming_the_grades(typed: str) -> None:
    parsed = parse_answer(template("core").kinds["grade"], typed)
    assert not parsed.ok
    assert RULE_WORDS not in parsed.error  # the full template rule is for '?' (issue 9 item 4)
    assert "1 Inadequate" in parsed.error and "\n" not in parsed.error


def test_na_is_refused_where_the_grade_has_no_na() -> None:
    parsed = parse_answer(template("core").kinds["grade_no_na"], "n/a")
    assert not parsed.ok and "N/A" in parsed.error


def test_choices_accept_an_unambiguous_spelling_only() -> None:
    kinds = template("team-manager").kinds
    options = kinds["yes_no_na_partially"]
    assert options.values == ("YES", "NO", "N/A", "PARTIALLY")
    assert parse_answer(options, "yes").value == "YES"
    assert parse_answer(options, "y").value == "YES"
    assert parse_answer(options, "n/a").value == "N/A"
    assert parse_answer(options, "partially").value == "PARTIALLY"
    ambiguous = parse_answer(options, "n")  # NO or N/A
    assert not ambiguous.ok and "YES / NO / N/A / PARTIALLY" in ambiguous.error
    assert parse_answer(template("core").kinds["case_status"], "lac").value == "LAC"


def test_dates_numbers_and_text() -> None:
    kinds = template("core").kinds
    assert parse_answer(kinds["date"], "2026-05-04").value == dt.date(2026, 5, 4)
    assert parse_answer(kinds["date"], "04/05/2026").value == dt.date(2026, 5, 4)  # UK order
    refused = parse_answer(kinds["date"], "31/02/2026")
    assert not refused.ok and "YYYY-MM-DD" in refused.error
    assert parse_answer(kinds["score_0_10"], "7").value == 7
    assert not parse_answer(kinds["score_0_10"], "11").ok
    assert not parse_answer(kinds["integer"], "-1").ok
    assert parse_answer(kinds["text"], "line one\nline two\n").value == "line one\nline two"


def test_every_accepted_answer_passes_the_validate_check() -> None:
    for kind in template("core").kinds.values():
        for typed in ("1", "3", "N/A", "yes", "Yes", "CIN", "open", "2026-01-31", "10", "x"):
            parsed = parse_answer(kind, typed)
            if parsed.ok and parsed.value is not None:
                assert problem(kind, parsed.value) is None, (kind.name, typed)


# --- slots and progress ----------------------------------------------------------------------


def test_slots_come_in_template_order(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    t = template("core")
    slots = audit_slots(t, lambda key: value(path, key))
    keys = [s.key for s in slots]
    assert keys[0] == "case.case_number"
    assessment = [s for s in slots if s.section.id == "assessment"]
    assert [(s.key, s.part) for s in assessment[:3]] == [
        ("answers.q4.grade", ANSWER), ("answers.q4.evidence", EVIDENCE),
        ("answers.q5.grade", ANSWER)]
    assert [s.key for s in assessment[-2:]] == ["sections.assessment.grade",
                                                "sections.assessment.rationale"]
    assert assessment[-1].part == FIELD
    # the blank parent/carer record `new` writes is asked; moderator fields and actions are not
    assert "parents[0].name" in keys and slots[keys.index("parents[0].name")].part == RECORD
    assert not [k for k in keys if k.startswith(("moderation.", "actions"))]
    assert keys.index("case.audit_date") < keys.index("answers.kpi_recording.grade") < \
        keys.index("answers.q59.grade")


def test_progress_counts_answered_slots_per_section(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    t = template("core")
    before = progress(audit_slots(t, lambda key: value(path, key)), lambda key: value(path, key))
    assert cli("fill", path, "--set", "q4=3", "--set", "q4.evidence=Seen").exit_code == 0
    after = progress(audit_slots(t, lambda key: value(path, key)), lambda key: value(path, key))
    assert after.answered == before.answered + 2
    assert after.total == before.total
    section = t.sections[[s.id for s in t.sections].index("assessment")]
    assert after.of(section)[0] == before.of(section)[0] + 2


# --- the interactive walk --------------------------------------------------------------------


def test_walk_saves_each_answer_refuses_a_bad_grade_and_stops_at_end_of_input(
        tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    # a blank line inside the text does not end it (plain mode ends text with a "." line)
    script = "5\n3\nReason is clear\n\nin the C&F assessment of 04/03\n.\n"
    result = cli("fill", path, "--section", "assessment", input=script)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Section 4: Assessment and Analysis" in out
    assert "4. Is the reason for Children’s Services Involvement clear?" in out
    assert "1 Inadequate, 2 Requires Improvement to be Good, 3 Good, 4 Outstanding" in out
    refusal = next(line for line in out.splitlines() if "Not accepted" in line)
    assert '5 is out of range' in refusal and "? shows the template's rule" in refusal
    assert RULE_WORDS not in refusal  # the long rule only on ?
    assert "Completing the audit:" in out  # the template's introduction, once at the top
    assert 'then a line with only "." to finish it' in out
    assert "End of input: 2 answer(s) saved" in out
    assert "Traceback" not in out
    assert value(path, "answers.q4.grade") == 3
    assert value(path, "answers.q4.evidence") == ("Reason is clear\n\n"
                                                  "in the C&F assessment of 04/03")
    assert value(path, "answers.q5.grade") == ""
    assert no_temp_files(tmp_path)
    assert cli("validate", path).exit_code == 0

    resumed = cli("fill", path, "--section", "assessment", input="q\n")
    assert resumed.exit_code == 0
    assert "Is the reason for Children’s Services Involvement clear?" not in resumed.output
    assert "5. Does the most recent assessment clearly identify" in resumed.output


def test_a_second_fill_resumes_at_the_first_unanswered_slot(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    first = cli("fill", path, input="Fictional Child\n7\n")  # a name is one line
    assert first.exit_code == 0, first.output
    assert value(path, "case.child_name") == "Fictional Child"
    assert value(path, "case.child_age") == 7
    second = cli("fill", path, input="")
    prompts = [line for line in second.output.splitlines() if line.endswith(": ") or ":" in line]
    assert "Case Status (CIN/CP/LAC/EH)" in second.output
    assert "Child Name" not in second.output and "Child age" not in second.output
    assert prompts  # something was asked
    assert value(path, "case.child_age") == 7


def test_empty_input_skips_and_q_quits(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    result = cli("fill", path, "--section", "assessment", input="\n\n2\nq\n")
    assert result.exit_code == 0
    assert "Stopped: 1 answer(s) saved" in result.output
    assert value(path, "answers.q4.grade") == ""
    assert value(path, "answers.q5.grade") == 2


def test_help_and_skip_commands(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    result = cli("fill", path, "--section", "assessment", input="?\ns\ns\n2\n")
    assert result.exit_code == 0
    assert "Key: answers.q4.grade" in result.output
    assert "Template rule: Guidance 3 and 4" in result.output
    assert value(path, "answers.q4.grade") == "" and value(path, "answers.q4.evidence") == ""
    assert value(path, "answers.q5.grade") == 2


def test_ctrl_c_stops_cleanly_with_answers_so_far_saved(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    typed = iter(["3"])

    def keyboard(prompt: str = "") -> str:
        answer = next(typed, None)
        if answer is None:
            raise KeyboardInterrupt
        return answer

    monkeypatch.setattr(line_input, "input", keyboard, raising=False)
    result = cli("fill", path, "--section", "assessment")
    assert result.exit_code == 130
    assert "Interrupted: 1 answer(s) saved" in result.output
    assert "Traceback" not in result.output
    assert value(path, "answers.q4.grade") == 3
    assert no_temp_files(tmp_path)


def test_team_manager_choices_and_yes_no(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path, "team-manager")
    result = cli("fill", path, "--question", "risk_1", input="maybe\nyes\n")
    assert result.exit_code == 0, result.output
    assert "YES / NO / N/A / PARTIALLY" in result.output and "Not accepted" in result.output
    assert value(path, "answers.risk_1.answer") == "YES"


def test_review_shows_the_current_answer_and_enter_keeps_it(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    cli("fill", path, "--set", "q4=3", "--set", "q4.evidence=Seen on file")
    result = cli("fill", path, "--question", "q4", input="\n\n")
    assert "[3 Good]" in result.output and "Seen on file" in result.output
    assert value(path, "answers.q4.grade") == 3
    changed = cli("fill", path, "--question", "4", input="n/a\n\n")
    assert changed.exit_code == 0
    assert value(path, "answers.q4.grade") == "N/A"
    assert value(path, "answers.q4.evidence") == "Seen on file"
    reviewed = cli("fill", path, "--section", "assessment", "--review", input="q\n")
    assert "[N/A]" in reviewed.output


def test_evidence_written_in_the_editor(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    script = tmp_path / "editor.py"
    script.write_text("import sys\nopen(sys.argv[1], 'w').write('From the editor\\nline 2\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    result = cli("fill", path, "--question", "q4", input="3\ne\n")
    assert result.exit_code == 0, result.output
    assert value(path, "answers.q4.evidence") == "From the editor\nline 2"


def test_a_file_changed_underneath_is_never_overwritten(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    theirs = path.read_text(encoding="utf-8").replace('case_number = "T0001"',
                                                      'case_number = "T0001-edited"')

    def typed_while_someone_else_saves(prompt: str = "") -> str:
        path.write_text(theirs, encoding="utf-8")  # another editor saves meanwhile
        return "3"

    monkeypatch.setattr(line_input, "input", typed_while_someone_else_saves, raising=False)
    result = cli("fill", path, "--section", "assessment")
    assert result.exit_code == 2
    assert "NOT SAVED: answers.q4.grade = 3 Good" in result.output
    assert "changed on disk" in result.output
    assert path.read_text(encoding="utf-8") == theirs
    assert no_temp_files(tmp_path)


# --- --set -----------------------------------------------------------------------------------


def test_set_writes_values_checked_like_prompt_answers(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    evidence = tmp_path / "q4.txt"
    evidence.write_text("Reason for involvement is clear\nin the C&F assessment.\n")
    result = cli("fill", path, "--set", "q4=3", "--set", f"q4.evidence=@{evidence}",
                 "--set", "case.audit_date=2026-11-01", "--set", "sections.assessment.grade=n/a",
                 "--set", "answers.q5.grade=4", "--set", "case.case_status=cp")
    assert result.exit_code == 0, result.output
    assert value(path, "answers.q4.grade") == 3
    assert value(path, "answers.q4.evidence") == ("Reason for involvement is clear\n"
                                                 "in the C&F assessment.")
    assert value(path, "case.audit_date") == dt.date(2026, 11, 1)
    assert value(path, "sections.assessment.grade") == "N/A"
    assert value(path, "answers.q5.grade") == 4
    assert value(path, "case.case_status") == "CP"
    cleared = cli("fill", path, "--set", "q5=")
    assert cleared.exit_code == 0 and value(path, "answers.q5.grade") == ""


def test_set_refuses_a_bad_value_and_writes_nothing(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    before = path.read_bytes()
    result = cli("fill", path, "--set", "q5=2", "--set", "q4=2.5")
    assert result.exit_code == 1
    assert "grade 2.5 is not a whole grade" in result.output
    assert "audit.toml:" in result.output and "grade-value" in result.output
    assert path.read_bytes() == before


def test_set_refuses_an_unknown_key_with_did_you_mean(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    result = cli("fill", path, "--set", "case.audit_dat=2026-11-01")
    assert result.exit_code == 2
    assert "unknown key “case.audit_dat”" in result.output
    assert "did you mean “case.audit_date”" in result.output
    missing = cli("fill", path, "--set", "q4=@nowhere.txt")
    assert missing.exit_code == 2 and "nowhere.txt" in missing.output


def test_resolve_key_accepts_bare_ids_and_record_indexes(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    t = template("core")
    get = lambda key: value(path, key)  # noqa: E731
    assert resolve_key(t, get, "q59").key == "answers.q59.grade"
    assert resolve_key(t, get, "q59.evidence").key == "answers.q59.evidence"
    assert resolve_key(t, get, "parents.0.name").key == "parents[0].name"
    assert resolve_key(t, get, "moderation.date").item.moderator_only
    with pytest.raises(UsageError, match="did you mean"):
        resolve_key(t, get, "answers.q4.grde")


# --- records ---------------------------------------------------------------------------------


def test_add_action_parent_and_event_non_interactively(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    assert cli("fill", path, "--add", "action", "--set", "action=Update the safety plan",
               "--set", "by_whom=Fictional Worker").exit_code == 0
    assert cli("fill", path, "--add", "parent", "--set", "name=Fictional Mother",
               "--set", "q51=8").exit_code == 0
    assert cli("fill", path, "--add", "event", "--set", "kind=visit", "--set", "date=2026-06-01",
               "--set", "seen_alone=yes").exit_code == 0
    assert cli("fill", path, "--add", "event", "--set", "kind=status", "--set", "date=2026-05-01",
               "--set", "status=lac").exit_code == 0
    found = data(path)
    assert found["actions"] == [{"action": "Update the safety plan", "by_whom": "Fictional Worker",
                                 "due": "", "agreed_on": "", "status": "open", "done_on": "",
                                 "update": ""}]
    assert len(found["parents"]) == 1  # the blank record `new` wrote was filled in
    assert found["parents"][0]["name"] == "Fictional Mother" and found["parents"][0]["q51"] == 8
    assert found["events"] == [
        {"date": dt.date(2026, 6, 1), "kind": "visit", "seen_alone": True},
        {"date": dt.date(2026, 5, 1), "kind": "status", "status": "LAC"}]
    assert cli("validate", path).exit_code == 0


def test_add_refuses_bad_records(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    before = path.read_bytes()
    bad_kind = cli("fill", path, "--add", "event", "--set", "kind=vist", "--set", "date=2026-06-01")
    assert bad_kind.exit_code == 2  # usage: no such kind (a refused value exits 1)
    assert "did you mean “visit”" in bad_kind.output
    no_date = cli("fill", path, "--add", "event", "--set", "kind=visit")
    assert no_date.exit_code == 1 and "Date is required" in no_date.output
    early = cli("fill", path, "--add", "event", "--set", "kind=supervision",
                "--set", "date=2026-06-03", "--set", "recorded=2026-06-01")
    assert early.exit_code == 1 and "before the supervision itself" in early.output
    no_status = cli("fill", path, "--add", "event", "--set", "kind=status",
                    "--set", "date=2026-06-03")
    assert no_status.exit_code == 1 and "Case status is required" in no_status.output
    no_action = cli("fill", path, "--add", "action", "--set", "by_whom=Someone")
    assert no_action.exit_code == 1 and "required" in no_action.output
    bad_score = cli("fill", path, "--add", "parent", "--set", "q51=11")
    assert bad_score.exit_code == 1 and "11" in bad_score.output
    assert path.read_bytes() == before
    for name in ("Fictional Mother", "Fictional Father"):
        assert cli("fill", path, "--add", "parent", "--set", f"name={name}").exit_code == 0
    third = cli("fill", path, "--add", "parent", "--set", "name=Fictional Carer")
    assert third.exit_code == 2 and "at most 2" in third.output


def test_add_records_interactively(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    action = cli("fill", path, "--add", "action",
                 input="Review the plan with the family\n.\nFictional Worker\n")
    assert action.exit_code == 0, action.output
    assert "Timescale" not in action.output  # left for the manager and practitioner
    event = cli("fill", path, "--add", "event",
                input="supervision\n2026-06-03\n2026-06-02x\n2026-06-05\nyes\n\n")
    assert event.exit_code == 0, event.output
    assert "Not accepted" in event.output
    found = data(path)
    assert found["actions"][0]["action"] == "Review the plan with the family"
    assert found["actions"][0]["by_whom"] == "Fictional Worker"
    assert found["actions"][0]["due"] == "" and found["actions"][0]["status"] == "open"
    assert found["events"] == [{"date": dt.date(2026, 6, 3), "kind": "supervision",
                                "recorded": dt.date(2026, 6, 5), "reflective": True}]


# --- --complete ------------------------------------------------------------------------------


def test_complete_moves_a_finished_draft_to_complete(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = complete_audit(tmp_path, status="draft")
    before = path.read_text(encoding="utf-8")
    result = cli("fill", path, "--complete")
    assert result.exit_code == 0, result.output
    assert "draft -> complete" in result.output
    assert value(path, "audit.status") == "complete"
    changed = [line for line in difflib.ndiff(before.splitlines(), path.read_text().splitlines())
               if line.startswith(("- ", "+ "))]
    assert [c.split("#")[0].strip() for c in changed] == ['- status = "draft"',
                                                         '+ status = "complete"']
    assert cli("validate", path).exit_code == 0


def test_complete_lists_what_is_missing_and_leaves_the_status(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    cli("fill", path, "--set", "q4=3")
    before = path.read_bytes()
    result = cli("fill", path, "--complete")
    assert result.exit_code == 1
    assert "required-missing" in result.output
    assert "question 5 is not answered" in result.output
    assert "evidence" in result.output  # q4 has a grade but no evidence
    assert "status left as “draft”" in result.output
    assert path.read_bytes() == before


def test_complete_core_keeps_a_moderated_audit(tmp_path: Path) -> None:
    path = complete_audit(tmp_path, status="moderated")
    with pytest.raises(UsageError, match="already moderated"):
        complete(path, dt.date(2026, 11, 23))
    outcome = complete(complete_audit(tmp_path, name="b.toml", status="complete"),
                       dt.date(2026, 11, 23))
    assert outcome.after == "complete" and not outcome.completed and not outcome.missing


def test_plain_asks_line_by_line(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    result = cli("fill", "--plain", path, "--section", "assessment", input="2\n")
    assert result.exit_code == 0, result.output
    assert value(path, "answers.q4.grade") == 2
