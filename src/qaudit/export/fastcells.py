"""Rows as sheet XML, written straight into openpyxl's write-only stream.

Without lxml, openpyxl writes each cell by building an ElementTree element and serialising it
through et_xmlfile: about 10 µs a cell, most of an export's time. The cells qaudit writes are
simple (inline strings, numbers, dates, a style id), so ``encode_row`` writes the very bytes
openpyxl's ``etree_write_cell`` and ``WorksheetWriter.write_row`` write for the same cells (a
test compares the two byte for byte), and ``RawRows`` puts them into the sheet's stream.
Rows can be encoded in worker processes: a row's number is left as ``\\0`` and filled in by
the one process that writes the sheet.

This leans on openpyxl internals (the write-only sheet's stream), so it is used only with the
openpyxl versions it was written and tested for (``FAST_VERSIONS``, and pyproject's bound) and
without lxml; anywhere else ``fast_path()`` is False and the rows go through openpyxl's own
writer, cell by cell (``openpyxl_row``): slower, the same workbook.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from functools import cache
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from qaudit.export.cells import (
    MAX_TEXT,
    NEEDS_CLEANING,
    StyleKey,
    cell_value,
    needs_quote,
    style_cell,
)

FAST_VERSIONS = ("3.1.2", "3.1.3", "3.1.4", "3.1.5")
ROW = "\0"  # where a row's number goes in an encoded row
_LETTERS = [get_column_letter(i) for i in range(1, 200)]


def fast_path() -> bool:
    """May rows be written as XML here? (a known openpyxl, writing through et_xmlfile)"""
    from openpyxl.cell import _writer as cell_writer
    from openpyxl.worksheet import _writer as sheet_writer

    return (openpyxl.__version__ in FAST_VERSIONS and not openpyxl.LXML
            and sheet_writer.write_cell is cell_writer.etree_write_cell)


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


@cache
def _serial(day: dt.date) -> str:
    """A date as Excel's day number, as openpyxl writes it."""
    return _number(to_excel(day))


def _number(value: float) -> str:
    return f"{value:.16g}" if isinstance(value, float) else str(value)


_PREFIXES: dict[tuple[int, int], str] = {}


def _prefix(index: int, style: int) -> str:
    """``<c r="B\\0" s="3" t=`` for column ``index`` and a style id (cached)."""
    key = (index, style)
    found = _PREFIXES.get(key)
    if found is None:
        found = _PREFIXES[key] = f'<c r="{_LETTERS[index]}{ROW}" s="{style}" t='
    return found


def encode_row(values: Sequence[object], inputs: Sequence[bool],
               styles: dict[StyleKey, int]) -> str:
    """The ``<c>`` elements of one row (row number ``\\0``), as openpyxl writes them. A blank
    value makes no cell, except in a panel column (``inputs``), which keeps its colour."""
    out: list[str] = []
    append = out.append
    for index, raw in enumerate(values):
        is_input = inputs[index]
        if raw is None and not is_input:
            continue
        if type(raw) is str and not NEEDS_CLEANING.search(raw) and len(raw) <= MAX_TEXT \
                and not needs_quote(raw):
            value: Any = raw  # the common case: plain text, nothing to clean or quote
            kind = "s"
        else:
            value, kind = cell_value(raw)
        ref = _prefix(index, styles[(is_input, kind)])
        if kind == "s" or kind == "q":
            text: str = value
            if not text:
                append(f'{ref}"inlineStr" />')
            elif text[0] in " \t\n" or text[-1] in " \t\n":
                space = ' xml:space="preserve"' if text.strip() else ""
                append(f'{ref}"inlineStr"><is><t{space}>{_escape(text)}</t></is></c>')
            else:
                append(f'{ref}"inlineStr"><is><t>{_escape(text)}</t></is></c>')
        elif value is None:
            append(f'{ref}"n" />')
        elif kind == "d":
            assert isinstance(value, dt.date)
            append(f'{ref}"n"><v>{_serial(value)}</v></c>')
        else:
            append(f'{ref}"n"><v>{_number(value)}</v></c>')
    return "".join(out)


def openpyxl_row(ws: Any, values: Sequence[object], inputs: Sequence[bool]) -> list[Any]:
    """The same row as openpyxl cells, for ``ws.append`` (openpyxl's own writer)."""
    cells: list[Any] = []
    for index, raw in enumerate(values):
        is_input = inputs[index]
        if raw is None and not is_input:
            cells.append(None)
            continue
        value, kind = cell_value(raw)
        cell = WriteOnlyCell(ws)
        style_cell(cell, (is_input, kind))  # first: a date then keeps the style's format
        cell.value = value
        if kind in ("s", "q"):
            cell.data_type = "s"
        cells.append(cell)
    return cells


class RawRows:
    """The ``<sheetData>`` of a write-only sheet, written as text (``fast_path()`` only).
    Rows are numbered from 1 in the order written."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.count = 0
        ws._get_writer()
        if ws._rows is not None:
            raise ValueError("rows were already appended to this sheet")
        ws._rows = self._stream()
        self._write = next(ws._rows)

    def _stream(self) -> Any:
        xf = self.ws._writer.xf.send(True)
        with xf.element("sheetData"), contextlib.suppress(GeneratorExit):
            yield xf._file
        self.ws._writer.xf.send(None)

    def add(self, row: str) -> None:
        """One row from ``row_xml``."""
        self.count += 1
        self._write(row.replace(ROW, str(self.count)))


def row_attributes(height: float | None) -> str:
    """A row's attributes after its number, as openpyxl writes a set height."""
    return "" if height is None else f' ht="{height:g}" customHeight="1"'


def row_xml(cells: str, height: float | None = None) -> str:
    """A whole ``<row>`` (number ``\\0``) holding encoded ``cells``."""
    return f'<row r="{ROW}"{row_attributes(height)}>{cells}</row>'
