"""One audit's KPI records as JSON text, written straight from the records: no dictionary per
record. The text is what encoding each record's dictionary with orjson gives (the same keys in
the same order, compact, dates as ISO text), so ``--format json`` and ``jsonl`` read the same
whichever way they are made; what repeats (file, team, rule ids, dates) is encoded once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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


class _Encoded(dict[object, str]):
    """Values as JSON text, each encoded the first time it is asked for and kept (dates of
    the run, rule ids, KPI names, case statuses, reasons: few, and met again and again), so
    a record asks a dictionary rather than calls a function. Emptied if it ever grows past
    ``limit`` (every day from 1900 to 2099 is fewer)."""

    def __init__(self, encode: Callable[[Any], str], limit: int = 1 << 17) -> None:
        super().__init__()
        self.encode, self.limit = encode, limit

    def __missing__(self, value: object) -> str:
        if len(self) >= self.limit:
            self.clear()
        text = self[value] = "null" if value is None else self.encode(value)
        return text


_DAYS = _Encoded(lambda day: f'"{day.isoformat()}"')
_NAMES = _Encoded(json_text, 4096)
_HEADS = _Encoded(lambda rule_kpi: f'{_NAMES[rule_kpi[0]]},"kpi":{_NAMES[rule_kpi[1]]},'
                  '"status":"', 4096)


def record_texts(result: AuditKpis, *, typed: bool) -> list[str]:
    """Each record of ``result`` as one JSON object (``{"type":"record",...}`` when ``typed``,
    as JSON Lines have it), keys in the order of ``KpiRecord.as_dict``."""
    start = ('{"type":"record","file":' if typed else '{"file":') + json_text(result.file) \
        + ',"rule":'
    team = ',"team":' + json_text(result.team) + ',"explanation":'
    days, names, fallback, calendar = _DAYS, _NAMES, result.fallback_status, result.calendar
    texts: list[str] = []
    if calendar is None:  # not checked: no records
        return texts
    append = texts.append
    for kpi, outcomes in result.results:
        if not outcomes:
            continue
        head = start + _HEADS[outcomes[0].rule, kpi]
        for o in outcomes:
            late = o.working_days_late
            explained = names[o.text] if o.text and o.status == "not_applicable" \
                else json_text(o.explanation(calendar))  # the few reasons encoded once
            append(f'{head}{o.status}","anchor":{days[o.anchor]},"due":{days[o.due]},'
                   f'"done":{days[o.done]},'
                   f'"working_days_late":{"null" if late is None else late},'
                   f'"case_status":{names[o.case_status or fallback]}{team}{explained}}}')
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
