"""Text laid out for a screen of a given width: wrapped at spaces only, never inside a date
(``2026-09-10``, ``Thu 10 Sep 2026``), an id or a path, and tables whose columns fit.

Pure strings in, lines out; colour is added afterwards by the caller (``styles``), so widths
are counted on the plain text.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence

NBSP = "\u00a0"
_DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_LONG_DATE = re.compile(  # "Thu 10 Sep 2026", "18 December 2026": never split
    rf"\b(?:(?:{_DAYS})[a-z]* )?\d{{1,2}} (?:{_MONTHS})[a-z]*(?: \d{{4}})?\b")
MIN_WRAPPED = 24  # a wrapped column narrower than this goes onto its own lines instead
GAP = "  "


def _protect(text: str) -> str:
    return _LONG_DATE.sub(lambda m: m.group(0).replace(" ", NBSP), text)


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Lines of at most ``width`` characters, broken at spaces that are not inside a date.
    A single word longer than the width (a long path) stays whole on its own line."""
    lead = indent if first is None else first
    lines = textwrap.wrap(_protect(text), width=max(width, len(lead) + 8),
                          initial_indent=lead, subsequent_indent=indent,
                          break_long_words=False, break_on_hyphens=False)
    return [line.replace(NBSP, " ") for line in lines] or [lead.rstrip()]


Style = Callable[[int, str, str], str]  # (column, cell text, padded cell) -> styled cell


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int, *,
          wrapped: int | None = None, right: frozenset[int] = frozenset(),
          style: Style | None = None, rule: str = "-") -> list[str] | None:
    """A table whose every line fits ``width``: columns as wide as their widest cell (never
    cut), except column ``wrapped``, which takes the rest and wraps at spaces. When that
    column would be narrower than ``MIN_WRAPPED`` its text goes on indented lines under the
    row. None when even the unwrapped columns do not fit (the caller prints plain lines)."""
    count = len(headers)
    fixed = [i for i in range(count) if i != wrapped]
    widths = [max([len(headers[i]), *(len(r[i]) for r in rows)]) for i in range(count)]
    used = sum(widths[i] for i in fixed) + len(GAP) * (len(fixed) - 1)
    if used > width:
        return None
    room = width - used - len(GAP)
    inline = wrapped is not None and room >= MIN_WRAPPED
    if wrapped is not None and inline:
        widths[wrapped] = min(room, max([len(headers[wrapped]),
                                         *(len(r[wrapped]) for r in rows)]))
    shown = list(range(count)) if inline else fixed

    def line(cells: Sequence[str], header: bool = False) -> str:
        parts = []
        for i in shown:
            text = cells[i]
            padded = text.rjust(widths[i]) if i in right else text.ljust(widths[i])
            parts.append(style(i, text, padded) if style and not header else padded)
        return GAP.join(parts).rstrip()

    out = [line(headers, header=True), rule * min(width, max(
        len(line(headers, header=True)), sum(widths[i] for i in shown)
        + len(GAP) * (len(shown) - 1)))]
    for row in rows:
        if wrapped is None:
            out.append(line(row))
            continue
        if inline:
            pieces = wrap(row[wrapped], widths[wrapped]) if row[wrapped] else [""]
            out.append(line([*row[:wrapped], pieces[0], *row[wrapped + 1:]]))
            pad = sum(widths[i] for i in range(wrapped)) + len(GAP) * wrapped
            out.extend(" " * pad + piece for piece in pieces[1:])
        else:
            out.append(line(row))
            if row[wrapped]:
                out.extend(wrap(row[wrapped], width, indent="    "))
    return out
