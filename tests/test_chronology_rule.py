"""The case chronology checked by ``qaudit validate``: kinds, dates, keys, statuses, order."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import SAMPLES
from qaudit.chronology.events import read_events

HEAD = """[audit]
template = "core"
template_version = "1.1"
status = "draft"

[case]
case_number = "FICT-900001"
case_status = "CIN"
team = "Test Team A"
audit_date = 2026-10-30
"""


def audit(tmp_path: Path, events: str, name: str = "audit.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + events, encoding="utf-8")
    return path


def findings(cli, path: Path) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    result = cli("validate", path, "--format", "json")
    found: list[dict[str, object]] = json.loads(result.output)["findings"]
    return [f for f in found if str(f["rule"]).startswith("event-")]


def test_a_good_chronology_gives_no_event_findings(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = audit(tmp_path, """
[[events]]
date = 2026-06-01
kind = "status"
status = "LAC"            # read as CIC

[[events]]
date = 2026-06-02
kind = "icpc"
outcome_circulated = 2026-06-03
minutes_distributed = 2026-06-20
note = "Fictional conference."

[[events]]
date = 2026-06-05
kind = "record_update"
event_date = 2026-06-04
""")
    result = cli("validate", path)
    assert result.exit_code == 0, result.output
    assert findings(cli, path) == []


def test_an_unknown_kind_gets_a_did_you_mean_at_its_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = audit(tmp_path, '\n[[events]]\ndate = 2026-06-01\nkind = "vist"\n')
    result = cli("validate", path)
    assert result.exit_code == 1
    assert f"{path}:14:8: error event-kind" in result.output
    assert "unknown kind “vist”; did you mean “visit”?" in result.output


def test_dates_must_be_real_toml_dates(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = audit(tmp_path, """
[[events]]
date = "2026-06-02"
kind = "visit"

[[events]]
date = 2026-06-03T10:00:00
kind = "visit"

[[events]]
kind = "visit"

[[events]]
date = 2026-06-04
kind = "supervision"
recorded = "04/06/2026"

[[events]]
date = 2027-01-06
kind = "visit"
""")
    found = findings(cli, path)
    messages = [str(f["message"]) for f in found]
    assert {f["rule"] for f in found} == {"event-date"}
    assert any("“2026-06-02” is text; write it as a TOML date without quotes" in m
               for m in messages)
    assert any("has a time; write the date alone" in m for m in messages)
    assert any("has no date" in m for m in messages)
    uk_date = 'recorded “04/06/2026” is text; write it as a TOML date without quotes: 2026-06-04'
    assert any(uk_date in m for m in messages)
    assert any("2027-01-06 is in the future" in m for m in messages)


def test_keys_are_allowed_per_kind_and_typed(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = audit(tmp_path, """
[[events]]
date = 2026-06-03
kind = "visit"
seen_alon = true

[[events]]
date = 2026-06-04
kind = "visit"
seen_alone = "yes"

[[events]]
date = 2026-06-05
kind = "record_update"
""")
    messages = [str(f["message"]) for f in findings(cli, path)]
    assert any("no key “seen_alon”; did you mean “seen_alone”?" in m for m in messages)
    assert any("seen_alone must be true or false" in m for m in messages)
    assert any("record_update event needs event_date" in m for m in messages)


def test_a_record_dated_before_its_meeting_is_an_order_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = audit(tmp_path, """
[[events]]
date = 2026-06-04
kind = "icpc"
minutes_distributed = 2026-06-01

[[events]]
date = 2026-06-05
kind = "record_update"
event_date = 2026-06-09
""")
    found = findings(cli, path)
    assert [f["rule"] for f in found] == ["event-order", "event-order"]
    assert found[0]["key"] == "events[0].minutes_distributed"
    assert found[0]["line"] == 15
    assert "before the icpc itself on 2026-06-04" in str(found[0]["message"])
    assert "after the record_update itself" in str(found[1]["message"])


def test_a_status_must_be_a_case_status(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = audit(tmp_path, '\n[[events]]\ndate = 2026-06-05\nkind = "status"\nstatus = "CPP"\n')
    found = findings(cli, path)
    assert [f["rule"] for f in found] == ["event-status"]
    assert "did you mean “CP”?" in str(found[0]["message"])


def test_read_events_sorts_by_date_and_normalises_statuses() -> None:
    events, problems = read_events([
        {"date": dt.date(2026, 7, 1), "kind": "visit"},
        {"date": dt.date(2026, 6, 1), "kind": "status", "status": "lac"},
    ])
    assert problems == []
    assert [(e.kind, e.date) for e in events] == [("status", dt.date(2026, 6, 1)),
                                                 ("visit", dt.date(2026, 7, 1))]
    assert events[0].values["status"] == "CIC"


def test_read_events_keeps_file_order_within_a_day_and_leaves_the_tables_as_read() -> None:
    raw = [{"date": dt.date(2026, 6, 2), "kind": "visit", "seen_alone": True},
           {"date": dt.date(2026, 6, 1), "kind": "status", "status": "LAC"},
           {"date": dt.date(2026, 6, 2), "kind": "status", "status": "CP"},
           {"date": dt.date(2026, 6, 1), "kind": "visit"},
           {"date": dt.date(2026, 6, 2), "kind": "supervision", "reflective": False}]
    written = [dict(record) for record in raw]
    events, problems = read_events(raw)
    assert problems == []
    assert [e.index for e in events] == [1, 3, 0, 2, 4]  # by date, then as written
    assert [e.values.get("status") for e in events if e.kind == "status"] == ["CIC", "CP"]
    assert events[2].flag("seen_alone") is True and events[4].flag("reflective") is False
    assert raw == written  # the parsed document is never changed (LAC stays as written)


def test_the_sample_audits_chronologies_are_clean(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", SAMPLES, "--format", "json")
    assert result.exit_code == 0
    rules = {f["rule"] for f in json.loads(result.output)["findings"]}
    assert not any(str(r).startswith("event-") for r in rules)
