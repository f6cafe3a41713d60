"""``qaudit due`` at the edges: huge amounts, out-of-range dates, a bare number, a bad folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qaudit.chronology.workdays import OutOfCalendarError, WorkCalendar
from qaudit.errors import UsageError
from qaudit.kpis.interval import count, due_date


@pytest.mark.parametrize("option, amount", [
    ("--working-days", "99999999"), ("--days", "9999999"), ("--weeks", "999999"),
    ("--months", "99999"), ("--working-days", "60000")])
def test_a_huge_amount_is_a_usage_error_not_a_traceback(cli, option: str,  # type: ignore[no-untyped-def]
                                                         amount: str) -> None:
    result = cli("due", "2026-12-18", option, amount)
    assert result.exit_code == 2
    assert "past the end of the calendar qaudit counts" in result.output
    assert "from 1800-01-01 to 2199-12-31" in result.output
    assert "Traceback" not in result.output and "Overflow" not in result.output


def test_a_valid_date_plus_a_real_timescale_always_counts(cli) -> None:  # type: ignore[no-untyped-def]
    # dates are written up to 2099; counting from them may run into 2100 (a batch must not stop)
    result = cli("due", "2099-12-31", "--working-days", "15")
    assert result.exit_code == 0 and "2100" in result.output
    assert cli("due", "2099-12-31", "--months", "1200").exit_code == 0
    assert cli("due", "2099-12-31", "--months", "1201").exit_code == 2


@pytest.mark.parametrize("unit, amount", [
    ("working_days", 10**12), ("working_days", -10**12), ("days", 10**12), ("weeks", -10**9),
    ("months", 10**9), ("hours", 10**15)])
def test_the_core_raises_the_usage_error_family(unit: str, amount: int) -> None:
    with pytest.raises(OutOfCalendarError) as caught:
        due_date(dt.date(2026, 12, 18), amount, unit, WorkCalendar())
    assert isinstance(caught.value, UsageError)
    with pytest.raises(UsageError):
        count(dt.date(2026, 12, 18), amount, unit, WorkCalendar())


def test_counting_back_before_1900_says_before_the_start() -> None:
    with pytest.raises(OutOfCalendarError, match="before the start"):
        WorkCalendar().add_working_days(dt.date(1900, 1, 10), -30000)


def test_a_real_date_out_of_range_says_so(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("due", "9999-12-31", "--days", "1")
    assert result.exit_code == 2
    assert 'DATE “9999-12-31” is out of the range qaudit counts' in result.output
    assert "1900-01-01 to 2099-12-31" in result.output
    assert "not a real date" not in result.output
    impossible = cli("due", "2026-02-30", "--days", "1")
    assert impossible.exit_code == 2 and 'DATE “2026-02-30” is not a real date' in impossible.output


def test_help_names_the_argument_date_as_the_messages_do(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("due", "--help")
    assert "DATE" in result.output and "start" not in result.output.split("Options")[0]


def test_a_bare_number_hints_at_working_days(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("due", "2026-12-18", "10")
    assert result.exit_code == 2
    assert 'unexpected extra argument “10”; did you mean --working-days 10?' in result.output
    word = cli("due", "2026-12-18", "ten")
    assert word.exit_code == 2 and "--working-days N" in word.output


def test_a_missing_folder_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("due", "--folder", tmp_path / "nonexist", "2026-12-18", "--days", "1")
    assert result.exit_code == 2 and "no such folder" in result.output
    (tmp_path / "file").write_text("x", "utf-8")
    result = cli("due", "--folder", tmp_path / "file", "2026-12-18", "--days", "1")
    assert result.exit_code == 2 and "is not a folder" in result.output
    assert cli("due", "--folder", tmp_path, "2026-12-18", "--days", "1").exit_code == 0


def test_check_kpis_with_a_huge_rule_set_limit_is_a_finding_per_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from conftest import SAMPLES

    (tmp_path / "a.toml").write_bytes((SAMPLES / "2026-06-10_FICT-100472_core.toml").read_bytes())
    (tmp_path / "qaudit.toml").write_text('[qaudit]\nruleset = "core-v1.1"\n\n'
                                          "[rules.action-agreement]\nlimit = 99999999\n", "utf-8")
    result = cli("check-kpis", tmp_path)
    assert result.exit_code == 1  # a finding for the file (out-of-calendar), the batch goes on
    assert "a.toml" in result.output
    assert "past the end of the calendar qaudit counts" in result.output
    assert "Traceback" not in result.output
