"""The chronology's fast path (``_clean_event``: a few exact class tests) must never accept
an event the full reading (``_read_event``) finds something wrong with, and must give the
same event when it does accept one. Checked on every event of the sample audits and on
thousands of mutations of them: keys reordered, dropped, renamed, retyped, dates moved out
of range or before and after the event."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import rtoml
from hypothesis import given, settings
from hypothesis import strategies as st

from qaudit.chronology.events import (
    _clean_event,
    _read_event,
    _shipped_shapes,
    read_events,
    schema,
)

SAMPLES = Path(__file__).resolve().parent.parent / "sample_audits"


def _sample_events() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(SAMPLES.glob("*.toml")):
        found.extend(rtoml.loads(path.read_text(encoding="utf-8")).get("events", []))
    return found


EVENTS = _sample_events() + [  # kinds the samples may not have, with their record dates
    {"date": dt.date(2026, 2, 3), "kind": "record_update", "event_date": dt.date(2026, 2, 1)},
    {"date": dt.date(2026, 2, 3), "kind": "status", "status": "LAC"},
    {"date": dt.date(2026, 2, 3), "kind": "core_group", "record_uploaded": dt.date(2026, 2, 5),
     "minutes_signed_off": dt.date(2026, 2, 9)},
]
ODD_VALUES = [None, True, False, 0, 3, "2026-01-05", "", "CP", "lac", dt.date(1899, 12, 31),
              dt.date(1900, 1, 1), dt.date(2099, 12, 31), dt.date(2100, 1, 1),
              dt.date(2026, 1, 1), dt.date(2030, 6, 1), dt.datetime(2026, 1, 5, 9, 30),
              [dt.date(2026, 1, 5)], {"date": dt.date(2026, 1, 5)}, 1.5]
KEYS = ["date", "kind", "status", "recorded", "seen_alone", "event_date", "reflective",
        "minutes_distributed", "outcome_circulated", "note", "recorded_on", "Date"]


def _both(index: int, record: Any) -> tuple[object, object]:
    spec = schema()
    problems: list[object] = []
    slow = _read_event(index, record, spec, problems)  # type: ignore[arg-type]
    fast = _clean_event(index, record, spec, _shipped_shapes())
    return fast, (slow if not problems else None)


def test_there_are_sample_events_of_many_kinds() -> None:
    assert len(EVENTS) > 50
    assert len({e["kind"] for e in EVENTS}) >= 10


def test_every_sample_event_takes_the_fast_path_and_reads_the_same() -> None:
    for index, record in enumerate(EVENTS):
        fast, slow = _both(index, dict(record))
        assert fast is not None, record
        assert fast == slow, record


@settings(max_examples=3000, deadline=None)
@given(st.data())
def test_a_mutated_event_is_read_the_same_both_ways(data: st.DataObject) -> None:
    record = dict(data.draw(st.sampled_from(EVENTS)))
    for _ in range(data.draw(st.integers(1, 3))):
        change = data.draw(st.sampled_from(["set", "drop", "reorder", "rename"]))
        keys = list(record)
        if change == "set":
            record[data.draw(st.sampled_from(KEYS))] = data.draw(st.sampled_from(ODD_VALUES))
        elif change == "drop" and keys:
            del record[data.draw(st.sampled_from(keys))]
        elif change == "reorder":
            order = data.draw(st.permutations(keys))
            record = {key: record[key] for key in order}
        elif change == "rename" and keys:
            old = data.draw(st.sampled_from(keys))
            record[data.draw(st.sampled_from(KEYS))] = record.pop(old)
    written = dict(record)
    fast, slow = _both(7, record)
    if slow is None:
        assert fast is None, record  # never accepted when the full reading finds a problem
    elif fast is not None:
        assert fast == slow, record
    assert record == written  # the document's table is never changed


def test_a_clean_event_written_in_another_order_still_takes_the_fast_path() -> None:
    record = {"recorded": dt.date(2026, 3, 4), "seen_alone": True, "kind": "visit",
              "date": dt.date(2026, 3, 2)}
    fast, slow = _both(0, record)
    assert fast is not None and fast == slow


def test_an_update_of_an_event_after_it_is_refused_by_the_fast_path() -> None:
    record = {"date": dt.date(2026, 3, 2), "kind": "record_update",
              "event_date": dt.date(2026, 3, 3)}
    assert _both(0, record) == (None, None)


def test_a_record_dated_before_its_event_is_refused_by_the_fast_path() -> None:
    record = {"date": dt.date(2026, 3, 2), "kind": "visit", "recorded": dt.date(2026, 3, 1)}
    assert _both(0, record) == (None, None)
    events, problems = read_events([record])
    assert events and [p.rule for p in problems] == ["event-order"]
