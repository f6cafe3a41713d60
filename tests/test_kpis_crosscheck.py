"""Answers checked against the timescales, both directions on both templates: a YES (or a
Good grade) contradicted by missed timescales, a NO (or an Inadequate / Requires Improvement
grade) where every timescale was met. Flags are findings, for the moderator (warnings)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from conftest import SAMPLES
from qaudit.kpis.check import check_file
from test_kpis import CIN_TO_CP, every_fortnight, write_audit


def _flags(cli, path: Path) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    data = json.loads(cli("check-kpis", path, "--format", "json").output)
    return [f for f in data["findings"] if f["rule"] in ("kpi-grade", "kpi-answer")]


def team_manager(folder: Path, name: str, visits_answer: str, events: str) -> Path:
    path = folder / name
    path.write_text(f"""[audit]
template = "team-manager"
template_version = "1.0"
status = "draft"

[case]
case_number = "FICT-800001"
case_status = "CP"
team = "Fictional Team B"
audit_date = 2026-10-30

[answers.intervention_1]
answer = "{visits_answer}"

[answers.supervision_3]
answer = "PARTIALLY"
{events}""", encoding="utf-8")
    return path


def weekly_visits(start: dt.date, end: dt.date) -> str:
    days = [start + dt.timedelta(days=7 * n) for n in range((end - start).days // 7 + 1)]
    return "".join(f'\n[[events]]\ndate = {d}\nkind = "visit"\nseen_alone = true\n'
                   for d in days)


def test_team_manager_yes_with_late_visits_is_flagged(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = team_manager(tmp_path, "tm.toml", "YES", CIN_TO_CP)
    flags = _flags(cli, path)
    assert [(f["rule"], f["key"], f["level"]) for f in flags] == [
        ("kpi-answer", "answers.intervention_1.answer", "warning")]
    assert "6.1 \u201cAre visits timely?\u201d answered YES" in flags[0]["message"]
    assert "missed (visits-cin, visits-cp)" in flags[0]["message"]
    assert flags[0]["line"] == 13  # the answer's own line


def test_team_manager_no_where_every_visit_was_on_time_is_flagged(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = team_manager(tmp_path, "tm.toml", "NO",
                        weekly_visits(dt.date(2026, 4, 30), dt.date(2026, 10, 29)))
    flags = _flags(cli, path)
    assert [f["key"] for f in flags] == ["answers.intervention_1.answer"]
    assert "answered NO" in flags[0]["message"]
    assert "every timescale judged was met" in flags[0]["message"]


def test_team_manager_answers_that_agree_are_not_flagged(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    on_time = team_manager(tmp_path, "yes.toml", "YES",
                           weekly_visits(dt.date(2026, 4, 30), dt.date(2026, 10, 29)))
    (tmp_path / "late").mkdir()
    late = team_manager(tmp_path / "late", "no.toml", "NO", CIN_TO_CP)
    assert _flags(cli, on_time) == [] and _flags(cli, late) == []


def test_core_good_grade_with_missed_visits_and_inadequate_with_all_met(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    high = write_audit(tmp_path, "high.toml", "2026-10-30", "CP", CIN_TO_CP, kpi_visits=3)
    assert [f["key"] for f in _flags(cli, high)] == ["answers.kpi_visits.grade"]
    (tmp_path / "low").mkdir()
    low = write_audit(tmp_path / "low", "low.toml", "2026-10-30", "CIN",
                      every_fortnight(dt.date(2026, 4, 30), dt.date(2026, 10, 30)),
                      kpi_visits=1)
    flags = [f for f in _flags(cli, low) if f["key"] == "answers.kpi_visits.grade"]
    assert len(flags) == 1
    assert "graded 1 (Inadequate)" in flags[0]["message"]
    assert "every timescale judged was met" in flags[0]["message"]


def test_a_sample_team_manager_audit_is_flagged_for_the_moderator() -> None:
    result = check_file(SAMPLES / "2026-07-08_FICT-200114_team-manager.toml",
                        dt.date(2026, 11, 23))
    keys = {f.key: f for f in result.flags}
    assert "answers.supervision_4.answer" in keys
    assert "missed (tm-reflective-supervision)" in keys["answers.supervision_4.answer"].message
    assert all(f.rule == "kpi-answer" for f in result.flags)
