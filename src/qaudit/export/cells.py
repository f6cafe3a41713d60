"""What a workbook cell may hold, and the few styles the sheets share.

Every string that comes from an audit goes through ``clean_text`` then ``needs_quote``:

* XML 1.0 cannot hold C0 control characters other than tab, line feed and carriage return,
  lone surrogates, U+FFFE or U+FFFF; one of them makes the sheet's XML invalid (LibreOffice
  then blanks the rest of the row). They are removed. A carriage return is written as OOXML's
  ``_x000D_`` (XML would turn a raw one into a line feed), a literal ``_xHHHH_`` is escaped
  (OOXML's own escapes, which Excel, LibreOffice and calamine decode), and text longer than
  Excel's 32,767 characters is cut with a note.
* The cell is always a string cell (``t="inlineStr"``, never an ``<f>`` element), and text
  that a spreadsheet would read as a formula or an error value if retyped (starting with
  ``= + - @``, tab or carriage return, *after* the characters above are removed) carries
  Excel's quote prefix, the saved form of a leading apostrophe.

A cell's style is one of a fixed set (``StyleKey``): registered once per workbook
(``register_styles``), so the rows can be encoded anywhere (worker processes) by style id.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any, Literal

MAX_TEXT = 32_767  # Excel's limit for one cell
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd mmm yyyy"
# Not allowed in XML 1.0: C0 controls but tab, LF, CR; surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_OOXML_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
# Anything clean_text would change (a quick test to leave ordinary text alone).
NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_CUT = " [… cut: the full text is in the audit file]"
# Dates Excel can show (serial 1 is 1900-01-01); others are written as ISO text.
FIRST_DATE, LAST_DATE = dt.date(1900, 3, 1), dt.date(9999, 12, 31)

# Excel's error values (openpyxl's ERROR_CODES; a test checks they are the same). This module
# and the row encoders import no openpyxl, so worker processes never load it (~11 MB each).
ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")
HEADER_FONT_COLOUR = "FFFFFF"
HEADER_FILL = "1F4E78"
INPUT_FILL = "FFF2CC"
INPUT_HEADER_FILL = "7F6000"

# Grade colours (cell fill, font): the legend on the Charts sheet shows the same.
GRADE_COLOURS: dict[int, tuple[str, str]] = {
    1: ("F4B6B6", "7F0000"),  # Inadequate: red
    2: ("FFD7A0", "7F3F00"),  # Requires Improvement: amber
    3: ("C6E8C6", "1E5E1E"),  # Good: green
    4: ("BDD7EE", "1F3864"),  # Outstanding: blue
}

# A cell's kind: s text, q text with the quote prefix, d date, n number or empty.
CellKind = Literal["s", "q", "d", "n"]
StyleKey = tuple[bool, str]  # (a panel input column, cell kind); or (False, "header"...)
HEADER, INPUT_HEADER = (False, "header"), (True, "header")


def clean_text(value: str) -> str:
    """Text as a workbook cell can hold it (see the module's notes)."""
    if NEEDS_CLEANING.search(value) is None:
        return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - len(_CUT)] + _CUT
    text = _NOT_XML.sub("", value)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(r"_x005F_\1", text)
    text = text.replace("\r", "_x000D_")
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - len(_CUT)] + _CUT
    return text


def needs_quote(text: str) -> bool:
    """Would a spreadsheet read this (already cleaned) text as a formula or an error value?"""
    return text.startswith(FORMULA_STARTS) or text.startswith("_x000D_") or text in ERROR_CODES


def cell_value(value: object) -> tuple[Any, CellKind]:
    """An exported value as a cell holds it, and its kind: text cleaned, booleans Yes/No,
    dates as dates (ISO text outside Excel's range), numbers as they are, None empty."""
    if value is None:
        return None, "n"
    if isinstance(value, str):
        text = clean_text(value)
        return text, "q" if needs_quote(text) else "s"
    if isinstance(value, bool):
        return ("Yes" if value else "No"), "s"
    if isinstance(value, dt.datetime):
        return value.isoformat(), "s"
    if isinstance(value, dt.date):
        if FIRST_DATE <= value <= LAST_DATE:
            return value, "d"
        return value.isoformat(), "s"
    if isinstance(value, int | float):
        return value, "n"
    return cell_value(str(value))


@cache
def _alignment(kind: str) -> Any:
    from openpyxl.styles import Alignment

    if kind == "header":
        return Alignment(wrap_text=True, vertical="center")
    if kind == "n":
        return Alignment(horizontal="center", vertical="top")
    return Alignment(wrap_text=kind in ("s", "q"), vertical="top")


@cache
def _fill(colour: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=colour)


@cache
def _header_font() -> Any:
    from openpyxl.styles import Font

    return Font(name="Calibri", size=11, bold=True, color=HEADER_FONT_COLOUR)


STYLE_KEYS: tuple[StyleKey, ...] = (
    *((False, k) for k in ("s", "q", "d", "n")), *((True, k) for k in ("s", "q", "d", "n")),
    HEADER, INPUT_HEADER)


def style_cell(cell: Any, key: StyleKey) -> None:
    """Give an openpyxl cell the style ``key`` stands for."""
    is_input, kind = key
    cell.alignment = _alignment(kind)
    if kind == "header":
        cell.font = _header_font()
        cell.fill = _fill(INPUT_HEADER_FILL if is_input else HEADER_FILL)
        return
    if is_input:
        cell.fill = _fill(INPUT_FILL)
    if kind == "q":
        cell.quotePrefix = True
    if kind == "d":
        cell.number_format = DATE_FORMAT


def register_styles(ws: Any) -> dict[StyleKey, int]:
    """Add every style to the workbook of ``ws``; returns each style's id (``s=``)."""
    from openpyxl.cell import WriteOnlyCell

    ids = {}
    for key in STYLE_KEYS:
        cell = WriteOnlyCell(ws)
        style_cell(cell, key)
        ids[key] = int(cell.style_id)
    return ids
