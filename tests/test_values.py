"""The one parser per answer kind (qaudit.audit.values), directly: lenient for people,
strict for the workbook, total (never raises), ASCII digits and real calendar days only."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import template
from qaudit.audit.kinds import problem
from qaudit.audit.values import Mode, echo, is_single_line, parse_value
from qaudit.templates.catalogue import Kind

CORE = template("core").kinds
TM = template("team-manager").kinds
ALL_KINDS = list(CORE.values()) + list(TM.values())


@pytest.mark.parametrize(("typed", "value"), [
    ("3", 3), (" 4 ", 4), ("good", 3), ("Good", 3), ("GOOD", 3), ("out", 4),
    ("3 Good", 3), ("inad", 1), ("n/a", "N/A"), ("NA", "N/A"), ("N.A.", "N/A"),
])
def test_lenient_grades(typed: str, value: object) -> None:
    assert parse_value(CORE["grade"], typed).value == value


@pytest.mark.parametrize("typed", ["²", "٣", "３", "2.5", "0", "5", "-1", "three", "3 Outstanding",
                                   "1e3", "99999999999999999999"])
def test_lenient_grades_refused_with_one_line_naming_the_grades(typed: str) -> None:
    parsed = parse_value(CORE["grade"], typed)
    assert not parsed.ok, typed
    assert "allowed: 1 Inadequate" in parsed.error and "\n" not in parsed.error
    assert "template rule" not in parsed.error


def test_an_unambiguous_prefix_of_a_grade_name_is_that_grade() -> None:
    assert parse_value(TM["grade"], "requires").value == 2
    assert parse_value(CORE["grade"], "requires").value == 2
    assert parse_value(CORE["grade"], "requires improvement").value == 2


def test_na_only_where_allowed() -> None:
    assert not parse_value(CORE["grade_no_na"], "n/a").ok
    assert "N/A" in parse_value(CORE["grade_no_na"], "n/a").error


@pytest.mark.parametrize(("typed", "value"), [
    ("yes", "YES"), ("Yes", "YES"), ("y", "YES"), ("no", "NO"), ("n/a", "N/A"), ("na", "N/A"),
    ("partially", "PARTIALLY"), ("part", "PARTIALLY"), ("True", "YES"),
])
def test_lenient_choices(typed: str, value: str) -> None:
    assert parse_value(TM["yes_no_na_partially"], typed).value == value


def test_an_ambiguous_choice_is_refused_naming_the_options() -> None:
    parsed = parse_value(TM["yes_no_na_partially"], "n")  # NO or N/A
    assert not parsed.ok and "more than one" in parsed.error
    assert "YES / NO / N/A / PARTIALLY" in parsed.error


@pytest.mark.parametrize(("typed", "day"), [
    ("2026-11-18", dt.date(2026, 11, 18)), ("18/11/2026", dt.date(2026, 11, 18)),
    ("4/5/2026", dt.date(2026, 5, 4)), ("04.05.2026", dt.date(2026, 5, 4)),
])
def test_lenient_dates_in_uk_order(typed: str, day: dt.date) -> None:
    assert parse_value(CORE["date"], typed).value == day


@pytest.mark.parametrize("typed", ["31/02/2026", "2026-13-01", "0001-01-01", "9999-12-31",
                                   "11/18/2026", "２０２６-01-01", "yesterday", "2026-1-1x"])
def test_impossible_dates_are_refused(typed: str) -> None:
    parsed = parse_value(CORE["date"], typed)
    assert not parsed.ok and "YYYY-MM-DD or DD/MM/YYYY" in parsed.error


def test_strict_mode_takes_exactly_the_drop_down() -> None:
    grade = CORE["grade"]
    assert parse_value(grade, 3, Mode.STRICT).value == 3
    assert parse_value(grade, 3.0, Mode.STRICT).value == 3
    assert parse_value(grade, "3", Mode.STRICT).value == 3
    for cell in ("good", "3 Good", 2.5, "²", True):
        assert not parse_value(grade, cell, Mode.STRICT).ok, cell
    choice = TM["yes_no"]
    assert parse_value(choice, "YES", Mode.STRICT).value == "YES"
    assert not parse_value(choice, "yes", Mode.STRICT).ok
    assert not parse_value(CORE["date"], "18/11/2026", Mode.STRICT).ok
    assert parse_value(CORE["date"], dt.datetime(2026, 11, 18), Mode.STRICT).value == \
        dt.date(2026, 11, 18)


def test_scores_and_ages() -> None:
    assert parse_value(CORE["score_0_10"], "7").value == 7
    assert "above 10" in parse_value(CORE["score_0_10"], "11").error
    assert not parse_value(CORE["score_0_10"], "⁷").ok
    age = CORE["integer"]
    assert parse_value(age, "7 years").value == 7
    assert parse_value(age, "7").value == 7
    assert "below 0" in parse_value(age, "-1").error
    assert not parse_value(age, "²").ok


def test_single_line_text_refuses_a_line_break() -> None:
    name = next(f for s in template("core").sections for f in s.fields if f.role == "child_name")
    assert is_single_line(name)
    assert not parse_value(name.kind, "Two\nlines", single_line=True).ok
    assert parse_value(CORE["text"], "Two\nlines\n").value == "Two\nlines"


def test_blank_is_nothing_given() -> None:
    for kind in ALL_KINDS:
        assert parse_value(kind, "  ").blank


def test_echo_says_a_date_as_a_person_reads_it() -> None:
    assert echo(CORE["date"], dt.date(2026, 11, 18)) == "Wed 18 Nov 2026"
    assert echo(CORE["grade"], 3) == "3 Good"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALL_KINDS), st.one_of(st.text(max_size=30), st.integers(),
                                              st.floats(allow_nan=True), st.booleans(),
                                              st.dates(), st.none()),
       st.sampled_from(list(Mode)))
def test_parsers_are_total_and_what_they_accept_validates(kind: Kind, raw: object,
                                                          mode: Mode) -> None:
    parsed = parse_value(kind, raw, mode)  # never raises
    if parsed.ok and parsed.value is not None:
        assert problem(kind, parsed.value) is None, (kind.name, raw)
    if parsed.ok and isinstance(parsed.value, int) and isinstance(raw, str):
        assert raw.strip().isascii()


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(ALL_KINDS), st.one_of(st.text(max_size=30), st.integers(),
                                              st.floats(), st.dates(), st.lists(st.text())))
def test_the_stored_value_check_is_total(kind: Kind, value: object) -> None:
    message = problem(kind, value)
    assert message is None or ("datetime" not in message and "\n" not in message)
