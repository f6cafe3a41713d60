"""One audit's KPI records as JSON text, written straight from the records: no dictionary per
record. The text is what encoding each record's dictionary with orjson gives (the same keys in
the same order, compact, dates as ISO text), so ``--format json`` and ``jsonl`` read the same
whichever way they are made; what repeats (file, team, rule ids, dates) is encoded once.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qaudit.kpis.check import AuditKpis

try:
    import orjson

    def json_text(value: str) -> str:
        """A JSON string: ``"..."`` with the quotes, escaped as orjson escapes it."""
        return orjson.dumps(value).decode("utf-8")

except ImportError:  # pragma: no cover - orjson is a dependency; kept for odd platforms
    import json

    def json_text(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)


_DAYS: dict[dt.date | None, str] = {None: "null"}  # dates as JSON text, kept for the run
_MAX_DAYS = 1 << 17  # more than every day from 1900 to 2099; emptied if ever passed


def _day(value: dt.date | None) -> str:
    text = _DAYS.get(value)
    if text is None:
        if len(_DAYS) >= _MAX_DAYS:
            _DAYS.clear()
            _DAYS[None] = "null"
        text = _DAYS[value] = f'"{value.isoformat()}"'  # type: ignore[union-attr]
    return text


@lru_cache(maxsize=4096)
def _name(value: str | None) -> str:
    """Rule ids, KPI names and case statuses: few, so encoded once each."""
    return "null" if value is None else json_text(value)


def record_texts(result: AuditKpis, *, typed: bool) -> list[str]:
    """Each record of ``result`` as one JSON object (``{"type":"record",...}`` when ``typed``,
    as JSON Lines have it), keys in the order of ``KpiRecord.as_dict``."""
    start = ('{"type":"record","file":' if typed else '{"file":') + json_text(result.file) \
        + ',"rule":'
    team = ',"team":' + json_text(result.team) + ',"explanation":'
    days, day, fallback, calendar = _DAYS, _day, result.fallback_status, result.calendar
    texts: list[str] = []
    if calendar is None:  # not checked: no records
        return texts
    append = texts.append
    for kpi, outcomes in result.results:
        if not outcomes:
            continue
        head = f'{start}{_name(outcomes[0].rule)},"kpi":{_name(kpi)},"status":"'
        for o in outcomes:
            late, text = o.working_days_late, o.text
            explained = _name(text) if text and o.status == "not_applicable" \
                else json_text(o.explanation(calendar))  # the few reasons encoded once
            append(
                f'{head}{o.status}","anchor":{days.get(o.anchor) or day(o.anchor)},'
                f'"due":{days.get(o.due) or day(o.due)},'
                f'"done":{days.get(o.done) or day(o.done)},'
                f'"working_days_late":{"null" if late is None else late},'
                f'"case_status":{_name(o.case_status or fallback)}'
                f'{team}{explained}}}')
    return texts


def json_lines(result: AuditKpis) -> str:
    """JSON Lines: one ``{"type":"record",...}`` a line, each ending in a newline."""
    texts = record_texts(result, typed=True)
    if texts:
        texts.append("")  # the last line's newline, without copying the text again
    return "\n".join(texts)


def json_items(result: AuditKpis) -> str:
    """The records as items of a JSON array, one a line, indented as ``--format json``
    writes them (``JsonReport`` adds the brackets and the commas between audits)."""
    return ",\n    ".join(record_texts(result, typed=False))
