"""A chronology event's fields are keys like any other: ``events[0].date`` is resolved, parsed
and checked by the event-* rules ``validate`` applies (``edit.values``), so ``fill --set``,
the line walk and the form change an event the same way. Real files in, the file checked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from builders import blank_audit
from qaudit.audit.reader import read_audit
from qaudit.edit.records import add_record, record_form
from qaudit.edit.session import open_audit
from qaudit.edit.values import check_value, resolve, set_values
from qaudit.errors import UsageError
from qaudit.fill.records import CHRONOLOGY, event_slots
from qaudit.validate import validate_file

TODAY = dt.date(2026, 11, 23)


def with_events(tmp_path: Path) -> Path:
    """A draft with a visit (events[0]) and a supervision (events[1])."""
    path = blank_audit(tmp_path)
    session = open_audit(path, TODAY)
    assert add_record(session, record_form(session, "event", "visit"),
                      {"date": "2026-06-01", "seen_alone": "yes"}).ok
    assert add_record(session, record_form(session, "event", "supervision"),
                      {"date": "2026-06-03", "recorded": "2026-06-04"}).ok
    return path


def stored(path: Path, key: str) -> Any:
    doc = read_audit(path)
    assert doc is not None
    return doc.get(key)  # type: ignore[union-attr]


def test_event_fields_resolve_to_their_kinds_own_fields(tmp_path: Path) -> None:
    session = open_audit(with_events(tmp_path), TODAY)
    slot = resolve(session, "events.1.recorded")  # dotted and bracketed are the same key
    assert slot.key == "events[1].recorded" and slot.section is CHRONOLOGY
    assert slot.kind.base == "date"
    keys = [s.key for s in event_slots(session.get)]
    assert "events[0].seen_alone" in keys and "events[1].recorded" in keys
    assert "events[0].reflective" not in keys  # a visit has no "reflective"


def test_set_values_writes_an_event_field_parsed_for_its_kind(tmp_path: Path) -> None:
    path = with_events(tmp_path)
    before = path.read_text(encoding="utf-8")
    result = set_values(open_audit(path, TODAY), [("events[0].date", "02/06/2026"),
                                                  ("events[0].seen_alone", "no")])
    assert result.ok, result.refusals
    assert stored(path, "events[0].date") == dt.date(2026, 6, 2)
    assert stored(path, "events[0].seen_alone") is False
    assert stored(path, "events[0].kind") == "visit"  # the rest of the record untouched
    assert before.count("[[events]]") == path.read_text(encoding="utf-8").count("[[events]]")
    assert not [r for r in map(lambda f: f.rule, validate_file(path, TODAY).findings)
                if r.startswith("event-")]


@pytest.mark.parametrize(("key", "typed", "rule", "said"), [
    ("events[0].date", "2027-01-05", "event-date", "is in the future"),
    ("events[0].date", "31/02/2026", "event-date", "Date"),
    ("events[1].recorded", "2026-06-01", "event-order", "before the supervision itself"),
    ("events[0].seen_alone", "perhaps", "event-key", "Seen alone"),
])
def test_a_refused_event_value_is_never_written(tmp_path: Path, key: str, typed: str,
                                                rule: str, said: str) -> None:
    path = with_events(tmp_path)
    before = path.read_bytes()
    session = open_audit(path, TODAY)
    checked = check_value(session, key, typed)
    assert not checked.ok and checked.refusals[0].rule == rule, checked.refusals
    assert said in checked.message
    result = set_values(session, [(key, typed)])
    assert not result.ok and [f.rule for f in result.refusals][:1] == [rule]
    assert path.read_bytes() == before


def test_an_unknown_event_or_field_is_refused_with_what_there_is(tmp_path: Path) -> None:
    session = open_audit(with_events(tmp_path), TODAY)
    with pytest.raises(UsageError) as missing:
        resolve(session, "events[5].date")
    assert "events[0] to events[1]" in missing.value.message
    with pytest.raises(UsageError) as wrong:
        resolve(session, "events[0].reflective")
    assert "date, seen_alone, recorded, note" in wrong.value.message


def test_fill_set_changes_an_event_through_the_cli(tmp_path: Path, cli: Any) -> None:
    path = with_events(tmp_path)
    done = cli("fill", path, "--set", "events[1].recorded=05/06/2026")
    assert done.exit_code == 0, done.output
    assert "events[1].recorded = " in done.output
    assert stored(path, "events[1].recorded") == dt.date(2026, 6, 5)

    before = path.read_bytes()
    refused = cli("fill", path, "--set", "events[1].recorded=2026-06-01")
    assert refused.exit_code == 1, refused.output
    assert "before the supervision itself" in refused.output
    assert "nothing was written" in refused.output
    assert path.read_bytes() == before

    unknown = cli("fill", path, "--set", "events[9].date=2026-06-01")
    assert unknown.exit_code == 2 and "no event “events[9]”" in unknown.output
    assert "Traceback" not in unknown.output and path.read_bytes() == before
