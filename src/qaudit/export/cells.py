"""Cells for the streaming workbook: text that can never become a formula, dates as dates,
grades as numbers, and the few styles the sheets share.

openpyxl treats a string starting with ``=`` as a formula and one such as ``#N/A`` as an error
value. Every string that comes from an audit goes through ``text_cell``: the cell's type is
forced to a plain string (``t="inlineStr"`` in the sheet XML, never an ``<f>`` element) and,
for strings a spreadsheet would read as a formula if retyped (``= + - @``, tab, carriage
return), the cell carries Excel's quote prefix, the saved form of a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from copy import copy
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill

MAX_TEXT = 32_767  # Excel's limit for one cell
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd mmm yyyy"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_NEEDS_CLEANING = re.compile(r"[\x00-\x08\x0b-\x1f]|_x[0-9A-Fa-f]{4}_")
_CUT = " [… cut: the full text is in the audit file]"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# Grade colours (cell fill, font): the legend on the Charts sheet shows the same.
GRADE_COLOURS: dict[int, tuple[str, str]] = {
    1: ("F4B6B6", "7F0000"),  # Inadequate: red
    2: ("FFD7A0", "7F3F00"),  # Requires Improvement: amber
    3: ("C6E8C6", "1E5E1E"),  # Good: green
    4: ("BDD7EE", "1F3864"),  # Outstanding: blue
}


def clean_text(value: str) -> str:
    """Text as a workbook cell holds it: control characters a workbook cannot hold removed,
    a carriage return written ``_x000D_`` (XML would turn a raw one into a line feed) and a
    literal ``_xHHHH_`` escaped (OOXML's own escapes, which Excel, LibreOffice and calamine
    decode), cut to Excel's cell limit."""
    text = _ILLEGAL.sub("", value)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(r"_x005F_\1", text)
    text = text.replace("\r", "_x000D_")
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - len(_CUT)] + _CUT
    return text


def needs_quote(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or text in ERROR_CODES


def _styled(ws: Any, key: str, setup: Callable[[Any], None]) -> Any:
    """A new cell with a style set up once per sheet and copied after (styling each cell
    through openpyxl's descriptors costs more than writing it)."""
    cache: dict[str, Any] = ws.__dict__.setdefault("_qaudit_styles", {})
    cell = WriteOnlyCell(ws)
    if key in cache:
        cell._style = copy(cache[key])
    else:
        setup(cell)
        cache[key] = copy(cell._style)
    return cell


def _text_style(quote: bool, wrap: bool) -> Callable[[Any], None]:
    def setup(cell: Any) -> None:
        if quote:
            cell.quotePrefix = True
        if wrap:
            cell.alignment = WRAP
    return setup


def _date_style(cell: Any) -> None:
    cell.number_format = DATE_FORMAT


def text_cell(ws: Any, value: str, *, wrap: bool = False) -> Any:
    """A cell holding ``value`` as plain text, whatever it starts with."""
    quote = needs_quote(value)
    if quote or wrap:
        cell = _styled(ws, f"text-{quote}-{wrap}", _text_style(quote, wrap))
    else:
        cell = WriteOnlyCell(ws)
    cell.value = clean_text(value)
    cell.data_type = "s"
    return cell


def value_cell(ws: Any, value: object, *, wrap: bool = False) -> Any:
    """Any exported value as a cell: text safely, dates with a date format, numbers as they
    are, ``None`` as an empty cell."""
    if value is None:
        return None
    if isinstance(value, str):
        if not wrap and not needs_quote(value) and _NEEDS_CLEANING.search(value) is None \
                and len(value) <= MAX_TEXT:
            return value  # openpyxl stores an ordinary string as an inline string already
        return text_cell(ws, value, wrap=wrap)
    if isinstance(value, dt.datetime):
        return text_cell(ws, value.isoformat())
    if isinstance(value, dt.date):
        cell = _styled(ws, "date", _date_style)
        cell.value = value
        return cell
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float):
        return value
    return text_cell(ws, str(value), wrap=wrap)


def header_row(ws: Any, titles: list[str]) -> list[Any]:
    cells = []
    for title in titles:
        cell = text_cell(ws, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return cells
