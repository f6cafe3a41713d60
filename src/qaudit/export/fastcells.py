"""Rows as sheet XML, written straight into openpyxl's write-only stream.

Without lxml, openpyxl writes each cell by building an ElementTree element and serialising it
through et_xmlfile: about 10 µs a cell, most of an export's time. The cells qaudit writes are
simple (inline strings, numbers, dates, a style id), so ``encode_row`` writes the very bytes
openpyxl's ``etree_write_cell`` and ``WorksheetWriter.write_row`` write for the same cells (a
test compares the two byte for byte), and ``RawRows`` puts them into the sheet's stream.
``RowEncoder`` does the same with each column's pieces worked out once per sheet (and
``fastrows.RowFormats`` a whole common row by one format). Rows can be encoded in worker
processes: a row's number is left as ``\\0`` (``%(k)s`` in a ``RowBlock``) and filled in by
the one process that writes the sheet. This module imports openpyxl only inside the
functions the writing process calls, so worker processes never load it.

This leans on openpyxl internals (the write-only sheet's stream), so it is used only with the
openpyxl versions it was written and tested for (``FAST_VERSIONS``, and pyproject's bound) and
without lxml; anywhere else ``fast_path()`` is False and the rows go through openpyxl's own
writer, cell by cell (``openpyxl_row``): slower, the same workbook.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from qaudit.export.cells import (
    FIRST_DATE,
    LAST_DATE,
    MAX_TEXT,
    NEEDS_CLEANING,
    StyleKey,
    cell_value,
    needs_quote,
    style_cell,
)

LINE_PT = 13.5  # one line of 11 pt text in a data row
MAX_ROW_PT = 409.0  # the tallest row Excel allows
FAST_VERSIONS = ("3.1.2", "3.1.3", "3.1.4", "3.1.5")
ROW = "\0"  # where a row's number goes in an encoded row
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system, from 1900-03-01


def column_letter(number: int) -> str:
    """``A`` for column 1 ... ``Z``, ``AA``, as openpyxl's ``get_column_letter`` (a test
    compares them): this module imports no openpyxl, so worker processes never load it."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_LETTERS = [column_letter(i) for i in range(1, 200)]


def row_height(values: Sequence[object], widths: Sequence[float]) -> float | None:
    """A height that shows every line of the row's wrapped text (None: one line is enough).
    Set on every row, since LibreOffice keeps a row without one at one line."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if type(value) is str and (len(value) > width * 0.9 or "\n" in value):
            # Words do not fill a line to the edge: about a tenth of it is left over.
            room = max(width * 0.95 - 1, 1)
            lines = max(lines, sum(math.ceil(len(part) * 1.1 / room) or 1
                                   for part in value.split("\n")))
    if lines == 1:
        return None
    return min(math.ceil(lines * LINE_PT + 3), MAX_ROW_PT)


def fast_path() -> bool:
    """May rows be written as XML here? (a known openpyxl, writing through et_xmlfile)"""
    import openpyxl
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
    """A date (1900-03-01 or later) as Excel's day number, as openpyxl's ``to_excel`` gives
    it (a test compares them)."""
    return str((day - EXCEL_EPOCH).days)


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
               styles: dict[StyleKey, int], first: int = 0) -> str:
    """The ``<c>`` elements of one row (row number ``\\0``), as openpyxl writes them. A blank
    value makes no cell, except in a panel column (``inputs``), which keeps its colour.
    ``first``: the column index of ``values[0]`` (for a row encoded in pieces)."""
    out: list[str] = []
    append = out.append
    for offset, raw in enumerate(values):
        index = first + offset
        is_input = inputs[offset]
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


# Text that ``encode_row``'s common case can write as it is: none of the characters
# ``clean_text`` changes, nothing to escape, no OOXML escape, and (checked apart) no
# whitespace to preserve or quote prefix at either end.
_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff&<>]|_x[0-9A-Fa-f]{4}_")
_SPECIAL_FIRST = frozenset(" \t\n=+-@#")
_SPECIAL_LAST = frozenset(" \t\n")


class RowEncoder:
    """``encode_row`` and the row's height for one sheet's columns, with every per-column
    piece (cell openings by kind, height limits) worked out once per sheet instead of once
    per cell. Writes the same bytes as ``encode_row`` (a test compares them)."""

    def __init__(self, inputs: Sequence[bool], widths: Sequence[float],
                 styles: dict[StyleKey, int]) -> None:
        self.inputs = list(inputs)
        self.widths = list(widths)
        self.styles = styles
        count = len(self.inputs)
        self.text = [f'{_prefix(i, styles[(self.inputs[i], "s")])}"inlineStr"><is><t>'
                     for i in range(count)]
        self.number = [f'{_prefix(i, styles[(self.inputs[i], "n")])}"n"><v>'
                       for i in range(count)]
        self.date = [f'{_prefix(i, styles[(self.inputs[i], "d")])}"n"><v>'
                     for i in range(count)]
        self.empty = [f'{_prefix(i, styles[(self.inputs[i], "s")])}"inlineStr" />'
                      for i in range(count)]
        self.blank = [f'{_prefix(i, styles[(True, "n")])}"n" />' if self.inputs[i] else ""
                      for i in range(count)]
        # Text longer than this may wrap (``row_height``); the widths past the last are none.
        self.limits = [w * 0.9 for w in self.widths]

    def encode(self, values: Sequence[Any]) -> tuple[str, float | None]:
        """The row's ``<c>`` elements (as ``encode_row``) and its height (as ``row_height``)."""
        out: list[str] = []
        append = out.append
        text, number, date, blank = self.text, self.number, self.date, self.blank
        empty = self.empty
        limits = self.limits
        tall = False
        search = _SPECIAL.search
        first, last = _SPECIAL_FIRST, _SPECIAL_LAST
        for index, raw in enumerate(values):
            kind = type(raw)
            if kind is str:
                if index < len(limits) and (len(raw) > limits[index] or "\n" in raw):
                    tall = True
                if not raw:
                    append(empty[index])
                    continue
                if raw[0] not in first and raw[-1] not in last \
                        and len(raw) <= MAX_TEXT and search(raw) is None:
                    append(f"{text[index]}{raw}</t></is></c>")
                    continue
            elif kind is int:
                append(f"{number[index]}{raw}</v></c>")
                continue
            elif raw is None:
                append(blank[index])
                continue
            elif kind is dt.date:
                assert isinstance(raw, dt.date)
                if FIRST_DATE <= raw <= LAST_DATE:
                    append(f"{date[index]}{_serial(raw)}</v></c>")
                    continue
            append(encode_row([raw], [self.inputs[index]], self.styles, index))
        cells = "".join(out)
        return cells, (row_height(values, self.widths) if tall else None)


def openpyxl_row(ws: Any, values: Sequence[object], inputs: Sequence[bool]) -> list[Any]:
    """The same row as openpyxl cells, for ``ws.append`` (openpyxl's own writer)."""
    from openpyxl.cell import WriteOnlyCell

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


@dataclass(frozen=True)
class RowBlock:
    """Rows encoded together (all of one audit's rows of one sheet), as UTF-8 bytes: row
    ``k`` of the block has ``%(k)s`` where its number goes, and any ``%`` doubled, so the
    writing process numbers a whole block by one ``%`` with the numbers (``RawRows.add_block``)
    instead of one step per row, and receives bytes it can write as they are."""

    xml: bytes
    count: int


_KEYS: list[bytes] = []


def _keys(count: int) -> list[bytes]:
    while len(_KEYS) < count:
        _KEYS.append(str(len(_KEYS)).encode())
    return _KEYS[:count]


class RawRows:
    """The ``<sheetData>`` of a write-only sheet, written as UTF-8 bytes straight to the
    sheet's file (``fast_path()`` only). Rows are numbered from 1 in the order written."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.count = 0
        ws._get_writer()
        if ws._rows is not None:
            raise ValueError("rows were already appended to this sheet")
        ws._rows = self._stream()
        write = next(ws._rows)
        # et_xmlfile writes text through a TextIOWrapper (UTF-8, xmlcharrefreplace): once it
        # is flushed, its bytes can go straight to the file under it, and the closing tags
        # it writes later come after them.
        owner = getattr(write, "__self__", None)
        buffer = getattr(owner, "buffer", None) if isinstance(owner, io.TextIOWrapper) \
            else None
        if owner is not None and buffer is not None:
            owner.flush()
            self._write: Callable[[bytes], object] = buffer.write
        else:
            self._write = lambda data: write(data.decode("utf-8"))

    def _stream(self) -> Any:
        xf = self.ws._writer.xf.send(True)
        with xf.element("sheetData"), contextlib.suppress(GeneratorExit):
            yield xf._file
        self.ws._writer.xf.send(None)

    def add(self, row: str) -> None:
        """One row from ``row_xml``."""
        self.count += 1
        self._write(row.replace(ROW, str(self.count)).encode("utf-8", "xmlcharrefreplace"))

    def add_block(self, block: RowBlock) -> None:
        """The rows of ``block``, numbered on from the last row written."""
        start = self.count + 1
        self.count += block.count
        numbers = map(b"%d".__mod__, range(start, start + block.count))
        self._write(block.xml % dict(zip(_keys(block.count), numbers, strict=True)))


def row_attributes(height: float | None) -> str:
    """A row's attributes after its number, as openpyxl writes a set height."""
    return "" if height is None else f' ht="{height:g}" customHeight="1"'


def row_xml(cells: str, height: float | None = None) -> str:
    """A whole ``<row>`` (number ``\\0``) holding encoded ``cells``."""
    return f'<row r="{ROW}"{row_attributes(height)}>{cells}</row>'
