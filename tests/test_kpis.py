"""``qaudit check-kpis``: timescales from the case chronology, through the CLI and the core.

Every expected date below is counted by hand in the comments (working days skip weekends and
England bank holidays; the anchor day is not counted).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES
from qaudit.config import FolderConfig, load_config
from qaudit.errors import UsageError
from qaudit.kpis.check import check_file
from qaudit.kpis.ruleset import load_ruleset

D = dt.date


def write_audit(folder: Path, name: str, audit_date: str, case_status: str, events: str,
                *, kpi_visits: int = 3, team: str = "Fictional Team A", extra: str = "",
                template: str = "core") -> Path:
    path = folder / name
    path.write_text(f"""[audit]
template = "{template}"
template_version = "1.1"
status = "draft"

[case]
case_number = "FICT-9{len(name):05d}"
case_status = "{case_status}"
team = "{team}"
audit_date = {audit_date}

[answers.kpi_visits]
grade = {kpi_visits}
evidence = "Fictional evidence."
{extra}
{events}""", encoding="utf-8")
    return path


def records(cli, *paths: Path, options: tuple[str, ...] = ()) -> tuple[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    result = cli("check-kpis", *paths, "--format", "json", *options)
    return result.exit_code, json.loads(result.output)


def by_rule(data: dict[str, Any], rule: str) -> list[tuple[Any, ...]]:
    return [(r["status"], r["anchor"], r["due"], r["done"], r["working_days_late"])
            for r in data["records"] if r["rule"] == rule]


# Audit 30 Oct 2026: review window from Thu 30 Apr 2026. CIN, then CP from Wed 1 Jul.
CIN_TO_CP = """
[[events]]
date = 2026-03-01
kind = "status"
status = "CIN"

[[events]]
date = 2026-07-01
kind = "status"
status = "CP"

[[events]]
date = 2026-05-22
kind = "visit"
seen_alone = true

[[events]]
date = 2026-06-17
kind = "visit"
seen_alone = false

[[events]]
date = 2026-07-10
kind = "visit"
seen_alone = true
"""


def test_visits_follow_the_status_in_force_from_cin_to_cp(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_audit(tmp_path, "a.toml", "2026-10-30", "CP", CIN_TO_CP)
    code, data = records(cli, path)
    assert code == 1
    # CIN, first interval from the window start Thu 30 Apr: 15 working days = Fri 1 May (1),
    # Mon 4 May bank holiday, 5-8 May (5), 11-15 (10), 18-22 (15) -> Fri 22 May: visit, met.
    # From Fri 22 May: Mon 25 May bank holiday, 26-29 (4), 1-5 Jun (9), 8-12 (14),
    # Mon 15 Jun (15): the visit on Wed 17 Jun is 2 working days late (16, 17 Jun).
    # From 17 Jun the next CIN visit would be due Wed 8 Jul, after CIN ended on 30 Jun.
    assert by_rule(data, "visits-cin") == [
        ("met", "2026-04-30", "2026-05-22", "2026-05-22", 0),
        ("late", "2026-05-22", "2026-06-15", "2026-06-17", 2),
    ]
    # CP from Wed 1 Jul: 10 working days = 2-3 Jul (2), 6-10 (7), 13-15 (10) -> Wed 15 Jul;
    # visit Fri 10 Jul, met. From 10 Jul: 13-17 (5), 20-24 (10) -> Fri 24 Jul: no visit.
    # Working days from 24 Jul to the audit on 30 Oct: 27-31 Jul (5), August 20 (31 Aug is a
    # bank holiday), September 22, 1-30 Oct 22 = 69.
    assert by_rule(data, "visits-cp") == [
        ("met", "2026-07-01", "2026-07-15", "2026-07-10", 0),
        ("overdue", "2026-07-10", "2026-07-24", None, 69),
    ]
    cin = [r for r in data["records"] if r["rule"] == "visits-cin"]
    assert {r["case_status"] for r in cin} == {"CIN"}
    assert "(CP from this date)" in next(
        r["explanation"] for r in data["records"] if r["rule"] == "visits-cp")
    assert [r["status"] for r in data["records"] if r["rule"] == "visits-seen-alone"] == [
        "met", "missed", "met"]
    assert by_rule(data, "visits-cic")[0][0] == "not_applicable"


def test_a_good_kpi_grade_with_missed_visits_is_flagged_for_the_moderator(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    good = write_audit(tmp_path, "good.toml", "2026-10-30", "CP", CIN_TO_CP, kpi_visits=3)
    code, data = records(cli, good)
    flags = [f for f in data["findings"] if f["key"] == "answers.kpi_visits.grade"]
    assert len(flags) == 1 and flags[0]["rule"] == "kpi-grade"
    assert flags[0]["level"] == "warning" and (flags[0]["line"], flags[0]["column"]) == (13, 9)
    assert "graded 3 (Good)" in flags[0]["message"]
    assert "(visits-cin, visits-cp)" in flags[0]["message"]
    text = cli("check-kpis", good).output
    assert f"{good}:13:9:\n    warning kpi-grade KPI visits graded 3 (Good)" in text
    assert "for the moderator" in text
    (tmp_path / "low").mkdir()
    low = write_audit(tmp_path / "low", "low.toml", "2026-10-30", "CP", CIN_TO_CP,
                      kpi_visits=2)
    assert [f for f in records(cli, low)[1]["findings"]
            if f["key"] == "answers.kpi_visits.grade"] == []


# Audit 30 Jun 2026: window from 30 Dec 2025. Easter 2026: Good Friday 3 Apr, Easter Monday 6 Apr.
EASTER = """
[[events]]
date = 2026-03-26
kind = "strategy_discussion"
minutes_distributed = 2026-03-27

[[events]]
date = 2026-04-01
kind = "strategy_discussion"
minutes_distributed = 2026-04-02

[[events]]
date = 2026-04-21
kind = "status"
status = "CP"

[[events]]
date = 2026-04-21
kind = "icpc"
outcome_circulated = 2026-04-22
minutes_distributed = 2026-05-27
"""


def test_conference_timescales_across_easter(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_audit(tmp_path, "easter.toml", "2026-06-30", "CP", EASTER)
    _, data = records(cli, path)
    # From the initial strategy discussion Thu 26 Mar: 27 Mar (1), 30 Mar-2 Apr (5), Good
    # Friday and Easter Monday skipped, 7-10 Apr (9), 13-17 (14), Mon 20 Apr (15). The ICPC
    # on Tue 21 Apr is 1 working day late. The second discussion (1 Apr) is not the initial
    # one: it adds no second ICPC due date.
    assert by_rule(data, "icpc") == [("late", "2026-03-26", "2026-04-20", "2026-04-21", 1)]
    explanation = next(r["explanation"] for r in data["records"] if r["rule"] == "icpc")
    assert "skipping Fri 3 Apr (Good Friday), Mon 6 Apr (Easter Monday) and weekends" \
        in explanation
    # 24 hours on date-only data: the next calendar day.
    assert by_rule(data, "strategy-minutes") == [
        ("met", "2026-03-26", "2026-03-27", "2026-03-27", 0),
        ("met", "2026-04-01", "2026-04-02", "2026-04-02", 0),
    ]
    assert by_rule(data, "cp-outcome-circulated") == [
        ("met", "2026-04-21", "2026-04-22", "2026-04-22", 0)]
    # 20 working days after Tue 21 Apr: 22-24 Apr (3), 27 Apr-1 May (8), Mon 4 May bank
    # holiday, 5-8 May (12), 11-15 (17), 18-20 (20) -> Wed 20 May; sent Wed 27 May:
    # 21, 22 May (2), Mon 25 May bank holiday, 26, 27 (4) = 4 working days late.
    assert by_rule(data, "cp-minutes-sent") == [
        ("late", "2026-04-21", "2026-05-20", "2026-05-27", 4)]


def test_a_folder_overrides_a_limit_adds_closure_days_and_counts_the_anchor(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text(
        "[qaudit]\nclosure_days = [2026-04-22]\n\n[rules.cp-minutes-sent]\nlimit = 10\n",
        encoding="utf-8")
    path = write_audit(tmp_path, "local.toml", "2026-06-30", "CP", EASTER)
    _, data = records(cli, path)
    # Closure day Wed 22 Apr: 1 working day after Tue 21 Apr is Thu 23 Apr; sent 22 Apr: met.
    assert by_rule(data, "cp-outcome-circulated") == [
        ("met", "2026-04-21", "2026-04-23", "2026-04-22", 0)]
    # Local target 10 working days: 23, 24 Apr (2; 22 closed), 27 Apr-1 May (7), 5-7 May (10)
    # -> Thu 7 May. Sent 27 May: 8 (1), 11-15 (6), 18-22 (11), 26, 27 (13) = 13 late.
    assert by_rule(data, "cp-minutes-sent") == [
        ("late", "2026-04-21", "2026-05-07", "2026-05-27", 13)]

    anchored = tmp_path / "anchored"
    anchored.mkdir()
    (anchored / "qaudit.toml").write_text("[qaudit]\ncount_anchor_day = true\n",
                                          encoding="utf-8")
    path = write_audit(anchored, "a.toml", "2026-06-30", "CP", EASTER)
    _, data = records(cli, path)
    # The conference day Tue 21 Apr is working day 1: the outcome was due that day.
    assert by_rule(data, "cp-outcome-circulated") == [
        ("late", "2026-04-21", "2026-04-21", "2026-04-22", 1)]


# Audit 28 Feb 2023: window from 28 Aug 2022. Christmas 2022 substitute days, the state funeral.
CHRISTMAS_2022 = """
[[events]]
date = 2022-09-16
kind = "icpc"
outcome_circulated = 2022-09-20

[[events]]
date = 2022-12-22
kind = "core_group"
record_uploaded = 2023-01-04

[[events]]
date = 2022-10-31
kind = "management_oversight"

[[events]]
date = 2022-12-31
kind = "management_oversight"

[[events]]
date = 2023-02-28
kind = "management_oversight"
"""


def test_christmas_substitute_days_the_state_funeral_and_month_ends(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    path = write_audit(tmp_path, "xmas.toml", "2023-02-28", "CP", CHRISTMAS_2022)
    _, data = records(cli, path)
    # Fri 16 Sep 2022 + 1 working day: Mon 19 Sep (state funeral) skipped -> Tue 20 Sep.
    assert by_rule(data, "cp-outcome-circulated") == [
        ("met", "2022-09-16", "2022-09-20", "2022-09-20", 0)]
    # Thu 22 Dec + 5: Fri 23 (1), Mon 26 Boxing Day, Tue 27 Christmas substitute, 28-30 (4),
    # Mon 2 Jan New Year substitute, Tue 3 Jan (5). Uploaded Wed 4 Jan: 1 working day late.
    assert by_rule(data, "core-group-record") == [
        ("late", "2022-12-22", "2023-01-03", "2023-01-04", 1)]
    # Oversight every 2 months from the window start Sun 28 Aug: due Fri 28 Oct, held Mon
    # 31 Oct (1 late). 31 Oct + 2 months = 31 Dec: met. 31 Dec + 2 months clamps to 28 Feb.
    assert by_rule(data, "management-oversight") == [
        ("late", "2022-08-28", "2022-10-28", "2022-10-31", 1),
        ("met", "2022-10-31", "2022-12-31", "2022-12-31", 0),
        ("met", "2022-12-31", "2023-02-28", "2023-02-28", 0),
        ("pending", "2023-02-28", "2023-04-28", None, None),
    ]


def test_the_2023_coronation_is_skipped(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_audit(tmp_path, "cic.toml", "2023-06-30", "CIC", """
[[events]]
date = 2023-05-05
kind = "cic_review"
decisions_written = 2023-05-15
record_written = 2023-05-31
""")
    _, data = records(cli, path)
    # Fri 5 May + 5: Mon 8 May coronation skipped, 9-12 (4), Mon 15 (5): met.
    assert by_rule(data, "cic-review-decisions") == [
        ("met", "2023-05-05", "2023-05-15", "2023-05-15", 0)]
    # + 15: 9-12 (4), 15-19 (9), 22-26 (14), Mon 29 May bank holiday, Tue 30 (15); 31: late 1.
    assert by_rule(data, "cic-review-record") == [
        ("late", "2023-05-05", "2023-05-30", "2023-05-31", 1)]


def every_fortnight(start: dt.date, end: dt.date) -> str:
    """A chronology where everything recurring happens every 14 days: all timescales met."""
    lines = []
    day = start
    while day <= end:
        for kind, extra in (("visit", "seen_alone = true"), ("management_oversight", ""),
                            ("case_summary", ""), ("chronology_update", ""),
                            ("supervision", f"recorded = {day}"),
                            ("cin_review", f"record_signed_off = {day}")):
            lines.append(f"[[events]]\ndate = {day}\nkind = \"{kind}\"\n{extra}\n")
        day += dt.timedelta(days=14)
    return "\n".join(lines)


def test_all_timescales_met_exits_0_and_a_broken_audit_exits_1(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = write_audit(tmp_path, "1-good.toml", "2026-10-30", "CIN",
                       every_fortnight(D(2026, 4, 30), D(2026, 10, 30)))
    code, data = records(cli, good)
    assert code == 0, data["summary"]
    statuses = {r["status"] for r in data["records"]}
    assert statuses <= {"met", "pending", "not_applicable"} and "met" in statuses
    assert data["summary"]["total"]["compliance"] == 100.0

    write_audit(tmp_path, "2-broken.toml", "2026-10-30", "CIN",
                '[[events]]\ndate = 2026-06-01\nkind = "vist"\n')
    (tmp_path / "3-not-toml.toml").write_text("[audit\n", encoding="utf-8")
    result = cli("check-kpis", tmp_path)
    assert result.exit_code == 1
    assert "2-broken.toml:18:8:\n    error event-kind" in result.output
    assert "did you mean “visit”?" in result.output
    assert "3-not-toml.toml:1:" in result.output and "toml-syntax" in result.output
    checked = {Path(r["file"]).name for r in records(cli, tmp_path)[1]["records"]}
    assert checked == {"1-good.toml"}                # the good audit is still checked
    assert "3 audits:" in result.output and "2 not checked" in result.output


def test_json_and_csv_carry_each_record(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_audit(tmp_path, "a.toml", "2026-10-30", "CP", CIN_TO_CP)
    _, data = records(cli, path)
    for record in data["records"]:
        assert {"file", "rule", "status", "anchor", "due", "done",
                "working_days_late", "explanation"} <= set(record)
    result = cli("check-kpis", path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(data["records"])
    overdue = [r for r in rows if r["status"] == "overdue"]
    assert overdue[0]["rule"] == "visits-cp" and overdue[0]["working_days_late"] == "69"


def test_the_folder_summary_counts_per_rule_team_and_status(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_audit(tmp_path, "a.toml", "2026-10-30", "CP", CIN_TO_CP, team="Team North")
    write_audit(tmp_path, "b.toml", "2026-06-30", "CP", EASTER, team="Team South")
    _, data = records(cli, tmp_path)
    summary = data["summary"]
    # visits-cin: one met and one late -> 50% on time.
    assert summary["by_rule"]["visits-cin"]["met"] == 1
    assert summary["by_rule"]["visits-cin"]["compliance"] == 50.0
    assert set(summary["by_team"]) == {"Team North", "Team South"}
    assert summary["by_case_status"]["CIN"]["late"] >= 1
    table = cli("check-kpis", tmp_path).output
    assert "Compliance per rule" in table and "Compliance per team" in table
    assert "Compliance per case status" in table


def test_action_agreement_uses_the_folder_limit(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    events = '[[events]]\ndate = 2026-06-01\nkind = "audit_uploaded"\n'
    actions = ('\n[[actions]]\naction = "Fictional action."\nby_whom = "SW"\n'
               'due = 2026-07-31\nagreed_on = 2026-06-19\n')
    path = write_audit(tmp_path, "a.toml", "2026-06-30", "CIN", events, extra=actions)
    # Mon 1 Jun + 10 working days = 2-5 (4), 8-12 (9), Mon 15 Jun; agreed Fri 19 Jun: 4 late.
    assert by_rule(records(cli, path)[1], "action-agreement") == [
        ("late", "2026-06-01", "2026-06-15", "2026-06-19", 4)]
    (tmp_path / "qaudit.toml").write_text("[rules.action-agreement]\nlimit = 5\n",
                                          encoding="utf-8")
    config = load_config(tmp_path / "qaudit.toml")
    assert load_ruleset("", config).rule("action-agreement").limit == 5
    assert load_ruleset("", FolderConfig()).rule("action-agreement").limit == 10
    # Section 17's 5 working days: 2-5 (4), Mon 8 Jun (5); 19 Jun is 9 late.
    fresh = tmp_path / "sub"
    fresh.mkdir()
    path = write_audit(fresh, "b.toml", "2026-06-30", "CIN", events, extra=actions)
    assert by_rule(records(cli, path)[1], "action-agreement") == [
        ("late", "2026-06-01", "2026-06-08", "2026-06-19", 9)]


@pytest.mark.parametrize(("config", "expected"), [
    ("[rules.no-such-rule]\nlimit = 5\n", "rules.no-such-rule"),
    ("[rules.icpc]\nlimt = 5\n", "rules.icpc.limt"),
    ("[rules.icpc]\nunit = \"fortnights\"\n", "rules.icpc.unit"),
    ("[qaudit]\nruleset = \"no-such-set\"\n", "unknown rule set “no-such-set”"),
    ("[qaudit]\nruleset = \"mine.toml\"\n", "rules[0] (x).unit"),
])
def test_a_bad_override_or_rule_file_is_a_usage_error_naming_file_and_key(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path, config: str, expected: str) -> None:
    (tmp_path / "qaudit.toml").write_text(config, encoding="utf-8")
    (tmp_path / "mine.toml").write_text(
        '[ruleset]\nid = "mine"\n\n[[rules]]\nid = "x"\ntype = "once"\nanchor = "icpc"\n'
        'done = "rcpc"\nlimit = 3\nunit = "moons"\nsource = "Fictional."\n', encoding="utf-8")
    path = write_audit(tmp_path, "a.toml", "2026-06-30", "CP", EASTER)
    result = cli("check-kpis", path)
    assert result.exit_code == 2
    assert expected in result.output
    assert ("qaudit.toml" in result.output or "mine.toml" in result.output)


def test_statutory_rule_set_counts_the_first_looked_after_review_in_working_days(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    path = write_audit(tmp_path, "cic.toml", "2026-06-30", "CIC", """
[[events]]
date = 2026-03-30
kind = "looked_after"

[[events]]
date = 2026-04-29
kind = "cic_review"
""")
    # Reg 33(1): 20 working days after Mon 30 Mar: 31 Mar-2 Apr (3), Easter skipped, 7-10 (7),
    # 13-17 (12), 20-24 (17), 27-29 Apr (20) -> Wed 29 Apr: met.
    _, data = records(cli, path, options=("--ruleset", "england-statutory"))
    assert by_rule(data, "cic-review-first") == [
        ("met", "2026-03-30", "2026-04-29", "2026-04-29", 0)]
    # The core template's 28 days: Mon 27 Apr; the same review is 2 working days late.
    _, data = records(cli, path)
    assert by_rule(data, "cic-review-first") == [
        ("late", "2026-03-30", "2026-04-27", "2026-04-29", 2)]


def test_unknown_path_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("check-kpis", tmp_path / "missing")
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_loader_rejects_a_bad_rule_file_by_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text('[qaudit]\nruleset = "r.toml"\n', encoding="utf-8")
    (tmp_path / "r.toml").write_text(
        '[ruleset]\nid = "r"\n\n[[rules]]\nid = "x"\ntype = "once"\nanchor = "vist"\n'
        'done = "visit"\nlimit = 3\nunit = "days"\nsource = "Fictional."\n', encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_ruleset("", load_config(tmp_path / "qaudit.toml"))
    assert "r.toml" in str(caught.value) and "rules[0] (x).anchor" in str(caught.value)
    assert "“vist” names no event kind" in str(caught.value)


# ---- the sample audits ------------------------------------------------------------------------
def test_the_sample_audits_give_a_mix_of_met_late_and_overdue(cli) -> None:  # type: ignore[no-untyped-def]
    code, data = records(cli, SAMPLES)
    assert code == 1
    statuses = {r["status"] for r in data["records"]}
    assert {"met", "late", "overdue", "pending"} <= statuses
    assert {f["level"] for f in data["findings"]} == {"warning"}  # for the moderator only
    assert {f["rule"] for f in data["findings"]} == {"kpi-grade", "kpi-answer"}


def test_sample_cin_to_cp_case_hand_counted() -> None:
    result = check_file(SAMPLES / "2026-06-10_FICT-100472_core.toml", D(2026, 11, 23))
    visits = [(r.status, r.anchor, r.due, r.done, r.working_days_late)
              for r in result.records if r.rule == "visits-cp"]
    # CP from Fri 20 Feb 2026: the first interval counts from the start of the status.
    assert visits[0][1] == D(2026, 2, 20)
    # Mon 30 Mar + 10: 31 Mar-2 Apr (3), Good Friday 3 Apr and Easter Monday 6 Apr skipped,
    # 7-10 Apr (7), 13-15 Apr (10) -> Wed 15 Apr; visited that day: met.
    assert ("met", D(2026, 3, 30), D(2026, 4, 15), D(2026, 4, 15), 0) in visits
    # Tue 5 May + 10: 6-8 May (3), 11-15 (8), 18-19 (10) -> Tue 19 May; visited Fri 22 May:
    # 20, 21, 22 May = 3 working days late.
    assert ("late", D(2026, 5, 5), D(2026, 5, 19), D(2026, 5, 22), 3) in visits


def test_sample_child_in_care_case_hand_counted() -> None:
    result = check_file(SAMPLES / "2026-09-14_FICT-100589_core.toml", D(2026, 11, 23))
    summaries = [(r.status, r.anchor, r.due, r.done) for r in result.records
                 if r.rule == "case-summary"]
    # Last case summary Mon 20 Apr 2026 + 3 months = Mon 20 Jul; none by the audit (14 Sep).
    assert summaries[-1] == ("overdue", D(2026, 4, 20), D(2026, 7, 20), None)
    reviews = [(r.status, r.anchor, r.due, r.done) for r in result.records
               if r.rule == "cic-review-record"]
    # CIC review Thu 20 Aug + 15 working days: 21 Aug (1), 24-28 (6), Mon 31 Aug bank
    # holiday, 1-4 Sep (10), 7-11 Sep (15) -> Fri 11 Sep; no full record by Mon 14 Sep.
    assert ("overdue", D(2026, 8, 20), D(2026, 9, 11), None) in reviews


def test_a_large_folder_lists_at_most_a_screen_of_timescales_missed(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    sample = SAMPLES / "2026-06-10_FICT-100472_core.toml"
    (tmp_path / "qaudit.toml").write_text((SAMPLES / "qaudit.toml").read_text("utf-8"), "utf-8")
    for number in range(21):
        (tmp_path / f"copy-{number:02}.toml").write_text(sample.read_text("utf-8"), "utf-8")
    as_json = json.loads(cli("check-kpis", "--format", "json", tmp_path).output)
    missed = [r for r in as_json["records"] if r["status"] in ("late", "overdue", "missed")]
    assert len(missed) > 20
    result = cli("check-kpis", tmp_path)
    listed = [line for line in result.output.splitlines()
              if line.startswith("  ") and line.split()[0] in ("late", "overdue", "missed")]
    assert len(listed) == 20
    assert f"... and {len(missed) - 20} more timescales missed" in result.output
    first = missed[0]
    assert f"  {first['status']} ({first['working_days_late']} wd) {first['rule']} due " \
        f"{first['due']}" in result.output
    assert "how it was counted" not in result.output  # no per-audit tables for a folder
    assert "Compliance per rule" in result.output and "Compliance per team" in result.output
    detailed = cli("check-kpis", "--detail", tmp_path)
    for number in range(21):
        assert f"copy-{number:02}.toml (review window" in detailed.output
