"""``qaudit due``: the due date and how it was counted, through the CLI and the core."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from qaudit.chronology.workdays import WorkCalendar
from qaudit.kpis.interval import count


def test_the_issue_example_over_christmas_2022(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("due", "2022-12-15", "--working-days", "15")
    assert result.exit_code == 0
    assert result.output.strip() == (
        "Tue 10 Jan 2023, 15 working days after Thu 15 Dec 2022, skipping Mon 26 Dec "
        "(Boxing Day), Tue 27 Dec (Christmas Day, substitute), Mon 2 Jan (New Year's Day, "
        "substitute) and weekends")


def test_json_gives_the_due_date_and_the_days_skipped(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("due", "2022-12-15", "--working-days", "15", "--format", "json")
    data = json.loads(result.output)
    assert data["due"] == "2023-01-10"
    assert data["skipped"] == [
        {"date": "2022-12-26", "name": "Boxing Day"},
        {"date": "2022-12-27", "name": "Christmas Day, substitute"},
        {"date": "2023-01-02", "name": "New Year's Day, substitute"},
    ]
    # 17-18 Dec, 24-25 Dec, 31 Dec-1 Jan, 7-8 Jan
    assert data["weekend_days"] == 8


@pytest.mark.parametrize(("args", "line"), [
    # Easter 2026: Good Friday 3 Apr and Easter Monday 6 Apr.
    (("2026-04-02", "--working-days", "1"),
     "Tue 7 Apr 2026, 1 working day after Thu 2 Apr 2026, skipping Fri 3 Apr (Good "
     "Friday), Mon 6 Apr (Easter Monday) and weekends"),
    # Platinum Jubilee 2022: the spring bank holiday moved to Thu 2 Jun, Fri 3 Jun added.
    (("2022-06-01", "--working-days", "1"),
     "Mon 6 Jun 2022, 1 working day after Wed 1 Jun 2022, skipping Thu 2 Jun (Spring "
     "Bank Holiday), Fri 3 Jun (Platinum Jubilee of Elizabeth II) and weekends"),
    (("2022-09-16", "--working-days", "1"),
     "Tue 20 Sep 2022, 1 working day after Fri 16 Sep 2022, skipping Mon 19 Sep (State "
     "Funeral of Queen Elizabeth II) and weekends"),
    (("2023-05-05", "--working-days", "1"),
     "Tue 9 May 2023, 1 working day after Fri 5 May 2023, skipping Mon 8 May "
     "(Coronation of Charles III) and weekends"),
    # No weekend and no holiday in between: nothing skipped.
    (("2026-06-01", "--working-days", "2"), "Wed 3 Jun 2026, 2 working days after Mon "
     "1 Jun 2026"),
    (("2026-01-31", "--months", "1"),
     "Sat 28 Feb 2026, 1 month after Sat 31 Jan 2026 (clamped to the end of the month)"),
    (("2024-01-31", "--months", "1"),
     "Thu 29 Feb 2024, 1 month after Wed 31 Jan 2024 (clamped to the end of the month)"),
    (("2026-03-02", "--weeks", "6"), "Mon 13 Apr 2026, 6 weeks after Mon 2 Mar 2026"),
    (("2026-12-20", "--days", "28"), "Sun 17 Jan 2027, 28 days after Sun 20 Dec 2026"),
])
def test_due_dates_across_holidays_and_month_ends(cli, args, line) -> None:  # type: ignore[no-untyped-def]
    result = cli("due", *args)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == line


def test_a_folder_adds_closure_days_and_can_count_the_anchor_day(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text(
        "[qaudit]\nclosure_days = [2026-12-24]\n", encoding="utf-8")
    closed = cli("due", "2026-12-23", "--working-days", "1", "--folder", tmp_path)
    assert closed.output.strip() == (
        "Tue 29 Dec 2026, 1 working day after Wed 23 Dec 2026, skipping Thu 24 Dec "
        "(local closure day), Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, "
        "substitute) and weekends")
    anchored = tmp_path / "anchored"
    anchored.mkdir()
    (anchored / "qaudit.toml").write_text("[qaudit]\ncount_anchor_day = true\n",
                                          encoding="utf-8")
    result = cli("due", "2026-06-02", "--working-days", "3", "--folder", anchored,
                 "--format", "json")
    data = json.loads(result.output)
    assert data["due"] == "2026-06-04"
    assert data["count_anchor_day"] is True
    assert "3 working days from Tue 2 Jun 2026, that day counted as day 1" in data["explanation"]


@pytest.mark.parametrize(("args", "message"), [
    (("2026-06-01",), "give exactly one of"),
    (("2026-06-01", "--days", "3", "--weeks", "1"), "give exactly one of"),
    (("31/02/2026", "--days", "3"), "is not a real date"),
    (("2026-06-01", "--days", "-3"), "must be 0 or more"),
])
def test_usage_mistakes_exit_2_with_a_message(cli, args, message) -> None:  # type: ignore[no-untyped-def]
    result = cli("due", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_broken_folder_config_is_a_usage_error(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "qaudit.toml").write_text("[qaudit]\nclosure_days = ['24/12/2026']\n",
                                          encoding="utf-8")
    result = cli("due", "2026-12-23", "--working-days", "1", "--folder", tmp_path)
    assert result.exit_code == 2
    assert "qaudit.toml" in result.output and "closure_days" in result.output


def test_core_counting_reports_hours_as_the_next_calendar_day() -> None:
    counted = count(dt.date(2026, 4, 2), 24, "hours", WorkCalendar())
    assert counted.due == dt.date(2026, 4, 3)
    assert "dates without times" in counted.explanation
