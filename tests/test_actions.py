"""`qaudit actions`: the register, its flags across bank holidays, learning actions kept apart,
and the add / agree / done edits that write the audit back."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from builders import complete_audit, template
from conftest import SAMPLES
from qaudit.actions.register import AgreementRule, audit_actions, upload_date
from qaudit.audit.reader import read_audit
from qaudit.audit.writer import AuditEditor
from qaudit.chronology.workdays import WorkCalendar
from qaudit.cli import actions_cmd

D = dt.date

# Audit uploaded to the case record on Thursday 17 December 2026. Counting 10 working days
# after it (the upload day itself not counted):
#   Fri 18 Dec = 1, Mon 21 = 2, Tue 22 = 3, Wed 23 = 4, Thu 24 = 5,
#   Fri 25 Dec Christmas Day, Sat 26 / Sun 27 weekend, Mon 28 Dec Boxing Day (substitute),
#   Tue 29 = 6, Wed 30 = 7, Thu 31 = 8, Fri 1 Jan 2027 New Year's Day, weekend,
#   Mon 4 Jan = 9, Tue 5 Jan = 10.
UPLOADED = D(2026, 12, 17)
DEADLINE_10 = D(2027, 1, 5)
# 5 working days (Section 17's note): Fri 18, Mon 21, Tue 22, Wed 23, Thu 24 Dec.
DEADLINE_5 = D(2026, 12, 24)
# 10 counting the upload day as day 1: Thu 17 = 1 ... Thu 24 = 6, Tue 29 = 7, Wed 30 = 8,
# Thu 31 = 9, Mon 4 Jan = 10.
DEADLINE_10_ANCHOR = D(2027, 1, 4)
# 5 with a local closure on Thu 24 Dec: Fri 18, 21, 22, 23, then Tue 29 Dec = 5.
DEADLINE_5_CLOSED = D(2026, 12, 29)


def audit_with_actions(folder: Path, actions: list[dict[str, Any]], *,
                       template_id: str = "core", name: str = "audit.toml",
                       uploaded: dt.date | None = UPLOADED,
                       learning: list[dict[str, Any]] | None = None) -> Path:
    path = complete_audit(folder, template_id, name)
    editor = AuditEditor(path)
    team = template(template_id).role_path("team")
    assert team is not None
    editor.set(team, "Team Fictional")
    for record in actions:
        editor.append_record("actions", record)
    for record in learning or []:
        editor.append_record("learning_actions", record)
    if uploaded is not None:
        editor.append_record("events", {"date": uploaded, "kind": "audit_uploaded"})
    editor.save()
    return path


def rows_of(path: Path, as_of: dt.date, rule: AgreementRule | None = None,
            calendar: WorkCalendar | None = None) -> list[Any]:
    doc = read_audit(path)
    assert not isinstance(doc, Exception)
    return audit_actions(str(path), template(doc.template_id), doc.get,  # type: ignore[union-attr]
                         as_of, rule or AgreementRule(), calendar or WorkCalendar())


def flags(rows: list[Any]) -> list[tuple[str, ...]]:
    return [row.flags for row in rows]


# --- flags, in the core ------------------------------------------------------------------------


def test_agreement_deadline_skips_christmas_boxing_day_substitute_and_new_year(
        tmp_path: Path) -> None:
    path = audit_with_actions(tmp_path, [{"action": "Update the plan", "by_whom": "Sam Reed"}])
    row = rows_of(path, D(2027, 1, 5))[0]
    assert row.uploaded == UPLOADED
    assert row.agree_by == DEADLINE_10
    assert "Christmas Day" in row.agree_by_counting and "Boxing Day" in row.agree_by_counting


def test_not_agreed_only_after_the_deadline_day(tmp_path: Path) -> None:
    path = audit_with_actions(tmp_path, [{"action": "Update the plan", "by_whom": "Sam Reed"}])
    assert flags(rows_of(path, DEADLINE_10)) == [()]
    assert flags(rows_of(path, DEADLINE_10 + dt.timedelta(days=1))) == [("not-agreed",)]
    assert flags(rows_of(path, D(2026, 12, 31))) == [()]


def test_agreed_late_and_on_time(tmp_path: Path) -> None:
    path = audit_with_actions(tmp_path, [
        {"action": "On the deadline", "by_whom": "A", "due": D(2027, 2, 1),
         "agreed_on": DEADLINE_10},
        {"action": "A day late", "by_whom": "B", "due": D(2027, 2, 1),
         "agreed_on": D(2027, 1, 6)},
        {"action": "Late and done", "by_whom": "C", "due": D(2027, 1, 20),
         "agreed_on": D(2027, 1, 8), "status": "done", "done_on": D(2027, 1, 19)},
    ])
    assert flags(rows_of(path, D(2027, 1, 10))) == [(), ("agreed-late",), ("agreed-late",)]


def test_a_five_day_rule_and_the_anchor_convention_and_closures(tmp_path: Path) -> None:
    path = audit_with_actions(tmp_path, [{"action": "x", "by_whom": "A", "due": D(2027, 2, 1),
                                          "agreed_on": D(2026, 12, 29)}])
    five = AgreementRule(limit=5)
    assert rows_of(path, D(2027, 1, 4), five)[0].agree_by == DEADLINE_5
    assert flags(rows_of(path, D(2027, 1, 4), five)) == [("agreed-late",)]
    anchored = WorkCalendar.with_closures(count_anchor_day=True)
    assert rows_of(path, D(2027, 1, 4), calendar=anchored)[0].agree_by == DEADLINE_10_ANCHOR
    closed = WorkCalendar.with_closures([D(2026, 12, 24)])
    row = rows_of(path, D(2027, 1, 4), five, closed)[0]
    assert row.agree_by == DEADLINE_5_CLOSED and row.flags == ()


def test_overdue_against_the_as_of_date(tmp_path: Path) -> None:
    path = audit_with_actions(tmp_path, [
        {"action": "Open", "by_whom": "A", "due": D(2027, 1, 4), "agreed_on": D(2026, 12, 21)},
        {"action": "Done", "by_whom": "A", "due": D(2027, 1, 4), "agreed_on": D(2026, 12, 21),
         "status": "done", "done_on": D(2027, 1, 4)},
    ])
    assert flags(rows_of(path, D(2027, 1, 4))) == [(), ()]
    assert flags(rows_of(path, D(2027, 1, 5))) == [("overdue",), ()]


def test_no_owner_only_while_open_and_no_upload_means_no_agreement_flags(tmp_path: Path) -> None:
    path = audit_with_actions(tmp_path, [
        {"action": "Nobody", "status": "open"},
        {"action": "Nobody, done", "status": "done", "done_on": D(2027, 1, 4)},
    ], uploaded=None)
    rows = rows_of(path, D(2027, 6, 1))
    assert flags(rows) == [("no-owner",), ()]
    assert rows[0].agree_by is None


def test_upload_date_is_the_first_upload_event() -> None:
    events = [{"date": D(2026, 5, 3), "kind": "audit_uploaded"},
              {"date": D(2026, 5, 1), "kind": "audit_uploaded"},
              {"date": D(2026, 4, 1), "kind": "visit"}]
    assert upload_date(events) == D(2026, 5, 1)
    assert upload_date(None) is None


# --- the register through the CLI --------------------------------------------------------------


def register(cli: Any, *args: Any) -> dict[str, Any]:
    result = cli("actions", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def states_folder(folder: Path) -> Path:
    audit_with_actions(folder, [
        {"action": "No owner yet"},
        {"action": "Agreed in time", "by_whom": "Sam Reed", "due": D(2027, 3, 1),
         "agreed_on": D(2026, 12, 22)},
        {"action": "Agreed late", "by_whom": "Sam Reed", "due": D(2027, 3, 1),
         "agreed_on": D(2027, 1, 7)},
        {"action": "Never agreed", "by_whom": "Kit Moss"},
        {"action": "Overdue", "by_whom": "Kit Moss", "due": D(2027, 1, 4),
         "agreed_on": D(2026, 12, 18)},
        {"action": "Finished", "by_whom": "Kit Moss", "due": D(2027, 1, 4),
         "agreed_on": D(2026, 12, 18), "status": "done", "done_on": D(2026, 12, 30)},
    ])
    return folder


def test_register_shows_each_state_with_its_flags(cli, tmp_path: Path) -> None:
    folder = states_folder(tmp_path)
    report = register(cli, folder, "--as-of", "2027-01-20")
    got = {a["action"]: a["flags"] for a in report["actions"]}
    assert got == {
        "No owner yet": ["no-owner", "not-agreed"],
        "Agreed in time": [],
        "Agreed late": ["agreed-late"],
        "Never agreed": ["not-agreed"],
        "Overdue": ["overdue"],
        "Finished": [],
    }
    assert {a["agree_by"] for a in report["actions"]} == {"2027-01-05"}
    assert [a["number"] for a in report["actions"]] == [1, 2, 3, 4, 5, 6]


def test_register_filters(cli, tmp_path: Path) -> None:
    folder = states_folder(tmp_path)
    as_of = ("--as-of", "2027-01-20")

    def actions(*args: str) -> list[str]:
        return [a["action"] for a in register(cli, folder, *as_of, *args)["actions"]]

    assert actions("--person", "kit") == ["Never agreed", "Overdue", "Finished"]
    assert actions("--status", "done") == ["Finished"]
    assert actions("--flag", "not-agreed") == ["No owner yet", "Never agreed"]
    assert actions("--team", "fictional", "--case", "nope") == []
    assert len(actions("--case", "fictional answer for case_number.")) == 6
    bad = cli("actions", folder, "--flag", "late")
    assert bad.exit_code == 2


def test_rule_set_override_from_qaudit_toml(cli, tmp_path: Path) -> None:
    folder = states_folder(tmp_path)
    (folder / "qaudit.toml").write_text('[qaudit]\nruleset = "core-v1.1"\n\n'
                                        "[rules.action-agreement]\nlimit = 5\n",
                                        encoding="utf-8")
    report = register(cli, folder, "--as-of", "2027-01-20")
    assert {a["agree_by"] for a in report["actions"]} == {DEADLINE_5.isoformat()}
    got = {a["action"]: a["flags"] for a in report["actions"]}
    # agreed on 22 Dec is still in time for the 24th; 7 Jan is late either way.
    assert got["Agreed in time"] == [] and got["Agreed late"] == ["agreed-late"]


def test_table_and_csv_and_check(cli, tmp_path: Path) -> None:
    folder = states_folder(tmp_path)
    table = cli("actions", folder, "--as-of", "2027-01-20")
    assert table.exit_code == 0
    assert "Actions as of 2027-01-20: 6 (4 flagged)" in table.output
    assert "agreed-late" in table.output and "audit.toml" in table.output
    out = cli("actions", folder, "--as-of", "2027-01-20", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [r["flags"] for r in rows] == ["no-owner;not-agreed", "", "agreed-late",
                                          "not-agreed", "overdue", ""]
    assert cli("actions", folder, "--as-of", "2027-01-20", "--check").exit_code == 1
    assert cli("actions", folder, "--as-of", "2027-01-20", "--check", "--status",
               "done").exit_code == 0


def test_an_unreadable_file_is_reported_and_the_rest_listed(cli, tmp_path: Path) -> None:
    states_folder(tmp_path)
    (tmp_path / "bad.toml").write_text("[audit\n", encoding="utf-8")
    result = cli("actions", tmp_path, "--format", "json")
    assert result.exit_code == 1
    assert "bad.toml" in result.output


# --- learning actions --------------------------------------------------------------------------

LEARNING = "Team briefing on Lifelong Links"


def learning_folder(folder: Path) -> Path:
    audit_with_actions(folder, [{"action": "Write the safety plan", "by_whom": "Carys Wren"}],
                       template_id="team-manager",
                       learning=[{"action": LEARNING, "by_whom": "", "status": "open"}])
    return folder


def test_learning_actions_are_never_shown_without_learning(cli, tmp_path: Path) -> None:
    folder = learning_folder(tmp_path)
    for output in ("table", "json", "csv"):
        for extra in ((), ("--flag", "no-owner"), ("--status", "open"), ("--person", "")):
            result = cli("actions", folder, "--format", output, *extra)
            assert result.exit_code == 0
            assert LEARNING not in result.output, (output, extra)
    report = register(cli, folder)
    assert "learning_actions" not in report
    assert [a["learning"] for a in report["actions"]] == [False]


def test_learning_actions_shown_apart_with_learning(cli, tmp_path: Path) -> None:
    folder = learning_folder(tmp_path)
    report = register(cli, folder, "--learning")
    assert [a["action"] for a in report["actions"]] == ["Write the safety plan"]
    assert [a["action"] for a in report["learning_actions"]] == [LEARNING]
    assert report["learning_actions"][0]["flags"] == ["no-owner"]
    table = cli("actions", folder, "--learning")
    assert "Learning actions (not to go on the file): 1" in table.output
    assert LEARNING in table.output
    out = cli("actions", folder, "--learning", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [(r["action"], r["learning"]) for r in rows] == [
        ("Write the safety plan", "False"), (LEARNING, "True")]


# --- add, agree, done --------------------------------------------------------------------------


def removed_lines(before: str, after: str) -> list[str]:
    return [line[2:] for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line.startswith("- ")]


def test_add_appends_a_record_and_keeps_everything_else(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    before = path.read_text(encoding="utf-8")
    result = cli("actions", "add", path, "--action", "Hold a CIN review", "--by", "Kit Moss")
    assert result.exit_code == 0, result.output
    assert "added action 1" in result.output
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))
    assert removed_lines(before, after) == []
    report = register(cli, path)
    assert [(a["action"], a["by_whom"], a["status"]) for a in report["actions"]] == [
        ("Hold a CIN review", "Kit Moss", "open")]
    assert cli("validate", path).exit_code == 0


def test_agree_and_done_change_only_their_lines(cli, tmp_path: Path) -> None:
    path = audit_with_actions(tmp_path, [
        {"action": "First", "by_whom": "A", "due": "", "agreed_on": "", "status": "open",
         "done_on": "", "update": ""},
        {"action": "Second", "by_whom": "B", "status": "open"},
    ], uploaded=D(2026, 11, 2))
    text = path.read_text(encoding="utf-8").replace(
        'action = "First"', 'action = "First"   # kept by hand')
    path.write_text(text, encoding="utf-8")
    result = cli("actions", "agree", path, "1", "--due", "2026-12-18", "--on", "2026-11-10")
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert removed_lines(text, after) == ['due = ""', 'agreed_on = ""']
    assert 'action = "First"   # kept by hand' in after
    done = cli("actions", "done", path, "1", "--on", "2026-11-20", "--update", "Reviewed")
    assert done.exit_code == 0, done.output
    final = path.read_text(encoding="utf-8")
    assert removed_lines(after, final) == ['status = "open"', 'done_on = ""', 'update = ""']
    row = register(cli, path)["actions"][0]
    assert (row["due"], row["agreed_on"], row["status"], row["done_on"], row["update"]) == (
        "2026-12-18", "2026-11-10", "done", "2026-11-20", "Reviewed")
    assert cli("validate", path).exit_code == 0


def test_sub_actions_refuse_bad_input_and_write_nothing(cli, tmp_path: Path) -> None:
    path = audit_with_actions(tmp_path, [{"action": "Only", "by_whom": "A"}])
    before = path.read_bytes()
    cases = [
        (("agree", path, "2", "--due", "2026-12-18"), "there is no action 2"),
        (("agree", path, "1", "--due", "2026-11-01", "--on", "2026-11-10"), "before the date"),
        (("agree", path, "1", "--due", "31/02/2026"), "not a real date"),
        (("agree", path, "1", "--due", "2026-12-18", "--on", "2026-12-01"), "in the future"),
        (("done", path, "0"), "there is no action 0"),
        (("add", path, "--action", "  "), "the action is empty"),
        (("add", tmp_path, "--action", "x"), "is a folder"),
    ]
    for args, message in cases:
        result = cli("actions", *args)
        # the arguments typed are wrong: a usage error (2), whether a value or the path
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    assert path.read_bytes() == before


def test_agree_refuses_to_overwrite_a_file_changed_meanwhile(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = audit_with_actions(tmp_path, [{"action": "Only", "by_whom": "A"}])
    real = actions_cmd.agree_action

    def edited_elsewhere(editor: Any, *args: Any) -> list[str]:
        path.write_text(path.read_text(encoding="utf-8") + "# a colleague's edit\n",
                        encoding="utf-8")
        return real(editor, *args)  # type: ignore[no-any-return]

    monkeypatch.setattr(actions_cmd, "agree_action", edited_elsewhere)
    result = cli("actions", "agree", path, "1", "--due", "2026-12-18")
    assert result.exit_code == 2
    assert "changed on disk" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.endswith("# a colleague's edit\n")
    assert "\nagreed_on = " not in text and "\ndue = " not in text


def test_list_verb_and_default_listing_agree(cli, tmp_path: Path) -> None:
    folder = states_folder(tmp_path)
    plain = cli("actions", folder, "--format", "json", "--as-of", "2027-01-20")
    verb = cli("actions", "list", folder, "--format", "json", "--as-of", "2027-01-20")
    assert plain.exit_code == verb.exit_code == 0
    assert plain.output == verb.output
    assert "add" in cli("actions", "--help").output


def test_sample_audits_hold_actions_in_every_state(cli) -> None:
    report = register(cli, SAMPLES)
    rows = report["actions"]
    every_flag = {flag for row in rows for flag in row["flags"]}
    assert every_flag == {"no-owner", "not-agreed", "agreed-late", "overdue"}
    assert any(r["status"] == "done" for r in rows)
    in_time = [r for r in rows if r["status"] == "open" and r["due"] and not r["flags"]]
    assert in_time, "an open action agreed in time and not yet due"
    assert "learning_actions" not in report
    assert register(cli, SAMPLES, "--learning")["learning_actions"]


def test_a_council_template_keeps_actions_under_its_own_table(cli, tmp_path: Path) -> None:
    text = resources.files("qaudit").joinpath("templates/core.toml").read_text("utf-8")
    text = text.replace('id = "core"', 'id = "council"', 1)
    text = text.replace('table = "actions"', 'table = "recommendations"', 1)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "council.toml").write_text(text, encoding="utf-8")
    (tmp_path / "qaudit.toml").write_text('[qaudit]\ntemplate_dirs = ["templates"]\n',
                                          encoding="utf-8")
    path = complete_audit(tmp_path, "core", "council.toml")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'template = "core"', 'template = "council"', 1), encoding="utf-8")
    result = cli("actions", "add", path, "--action", "Update the chronology")
    assert result.exit_code == 0, result.output
    assert "[[recommendations]]" in path.read_text(encoding="utf-8")
    rows = register(cli, path)["actions"]
    assert [(r["action"], r["flags"]) for r in rows] == [("Update the chronology", ["no-owner"])]
    assert cli("validate", path).exit_code == 0


def test_refused_agree_is_a_usage_error_and_writes_nothing(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    assert cli("actions", "add", path, "--action", "Hold a CIN review").exit_code == 0
    before = path.read_bytes()
    missing = cli("actions", "agree", path, "9", "--due", "2026-12-20")
    assert missing.exit_code == 2
    assert "there is no action 9; actions in this audit: 1 to 1" in missing.output
    bad_date = cli("actions", "agree", path, "1", "--due", "2026-13-01")
    assert bad_date.exit_code == 2 and "nothing was written" in bad_date.output
    assert cli("actions", "done", path, "9").exit_code == 2
    assert path.read_bytes() == before
    assert cli("actions", "agree", path, "1", "--due", "2026-12-20").exit_code == 0


def test_list_with_flagged_actions_is_a_report_exit_0(cli, tmp_path: Path) -> None:
    # README: "Exit 0: the register is a report, not a check; --check exits 1".
    path = complete_audit(tmp_path, "core")
    assert cli("actions", "add", path, "--action", "Hold a CIN review").exit_code == 0
    listed = cli("actions", "list", tmp_path, "--as-of", "2027-06-01")
    assert listed.exit_code == 0 and "(1 flagged)" in listed.output
    assert cli("actions", "list", tmp_path, "--as-of", "2027-06-01", "--check").exit_code == 1
