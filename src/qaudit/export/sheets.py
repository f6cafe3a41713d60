"""One sheet of the workbook as it is streamed: column widths, a header row tall enough for
its wrapped titles, print setup, then rows (encoded XML on the fast path, openpyxl cells
otherwise).

Print setup, on every sheet: landscape A4, fitted one page wide (as many pages down as it
takes), the header row repeated on each page, grid lines, the protective marking (from
``qaudit.toml``, OFFICIAL-SENSITIVE by default) at the top of each page, and the sheet's
name and "Page N of M" at the foot.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from qaudit.export.cells import HEADER, INPUT_HEADER, StyleKey, clean_text, style_cell
from qaudit.export.fastcells import (
    ROW,
    RawRows,
    RowBlock,
    RowEncoder,
    openpyxl_row,
    row_height,
    row_xml,
)
from qaudit.export.fastrows import RowFormats, row_block

HEADER_LINE_PT = 12.5  # one line of the (bold, 11 pt) header text
PAPER_A4 = 9
# A row ready for a sheet: XML from ``row_xml`` (fast path), or (values, height) for
# openpyxl's own writer.
Row = str | tuple[list[Any], float | None]
# Rows ready for a sheet: one RowBlock (fast path) or the (values, height) of each row.
Rows = RowBlock | list[tuple[list[Any], float | None]]


@dataclass(frozen=True)
class SheetSpec:
    title: str
    headers: Sequence[str]
    widths: Sequence[float]
    inputs: Sequence[bool] = ()  # the panel's columns (yellow)
    hidden: Sequence[bool] = ()
    freeze: str = "A2"

    def input_flags(self) -> list[bool]:
        return list(self.inputs) or [False] * len(self.headers)


def wrapped_lines(text: str, width: float, fill: float = 0.95) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (greedy,
    by words; ``fill``: the share of the width a line of this text fills, a little less than
    all of it for bold headers)."""
    room = max(int(width * fill) - 1, 1)
    lines, used = 1, 0
    for word in text.split():
        size = len(word)
        while size > room:  # a word longer than the column breaks anywhere
            lines += 1 if used else 0
            size -= room
            used = room
        if used and used + 1 + size > room:
            lines, used = lines + 1, size
        else:
            used = used + 1 + size if used else size
    return lines


def word_width(header: str, width: float) -> float:
    """A column wide enough for the longest word of its (bold) header: headers wrap between
    words, never inside one."""
    longest = max((len(w) for w in header.split()), default=0)
    return max(width, round(longest * 1.2 + 1.5, 1))


def header_height(headers: Sequence[str], widths: Sequence[float]) -> float:
    lines = max((wrapped_lines(h, w) for h, w in zip(headers, widths, strict=True)),
                default=1)
    return math.ceil(lines * HEADER_LINE_PT + 6)


def header_footer_text(text: str) -> str:
    """Text for a page header or footer: ``&`` starts a code there, so it is doubled."""
    return clean_text(text).replace("\n", " ").replace("&", "&&")[:200]


def print_setup(ws: Any, marking: str, title_rows: str | None = "1:1") -> None:
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = PAPER_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as needed
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.75, header=0.3,
                                  footer=0.3)
    ws.print_options.gridLines = True
    if title_rows:
        ws.print_title_rows = title_rows
    head = ws.HeaderFooter
    head.oddHeader.center.text = f"&B{header_footer_text(marking)}"
    head.oddFooter.left.text = "&A"
    head.oddFooter.right.text = "Page &P of &N"


class SheetWriter:
    """Streams one sheet: header first, then ``add`` each row (as ``encode`` gave it)."""

    def __init__(self, ws: Any, spec: SheetSpec, styles: dict[StyleKey, int] | None,
                 marking: str) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter

        self.ws, self.spec, self.styles = ws, spec, styles
        self.inputs = spec.input_flags()
        self.rows = 0  # data rows written
        widths = [word_width(h, w) for h, w in zip(spec.headers, spec.widths, strict=True)]
        for index, width in enumerate(widths, start=1):
            dim = ws.column_dimensions[get_column_letter(index)]
            dim.width = width
            if spec.hidden and spec.hidden[index - 1]:
                dim.hidden = True
        ws.freeze_panes = spec.freeze
        print_setup(ws, marking)
        height = header_height(spec.headers, widths)
        keys = [INPUT_HEADER if i else HEADER for i in self.inputs]
        if styles is None:
            ws.row_dimensions[1].height = height
            self.raw: RawRows | None = None
            cells = []
            for title, key in zip(spec.headers, keys, strict=True):
                cell = WriteOnlyCell(ws, clean_text(title))
                cell.data_type = "s"
                style_cell(cell, key)
                cells.append(cell)
            ws.append(cells)
        else:
            self.raw = RawRows(ws)
            self.raw.add(row_xml(encode_header(spec.headers, keys, styles), height))

    def add(self, row: Row) -> None:
        """A row from ``encode`` (made here or in a worker process with the same styles)."""
        self.rows += 1
        if self.raw is not None:
            assert isinstance(row, str)
            self.raw.add(row)
        else:
            assert isinstance(row, tuple)
            values, height = row
            if height is not None:
                self.ws.row_dimensions[self.last_row].height = height
            self.ws.append(openpyxl_row(self.ws, values, self.inputs))

    def add_rows(self, rows: Rows) -> None:
        """Rows from ``RowMaker.rows`` (made here or in a worker with the same styles)."""
        if isinstance(rows, RowBlock):
            assert self.raw is not None
            self.rows += rows.count
            self.raw.add_block(rows)
            return
        for row in rows:
            self.add(row)

    @property
    def last_row(self) -> int:
        return self.rows + 1


class RowMaker:
    """Rows of one sheet for ``SheetWriter.add``: XML on the fast path (``styles`` given),
    else the values and the row's height. Made once per sheet and run."""

    def __init__(self, inputs: Sequence[bool], widths: Sequence[float],
                 styles: dict[StyleKey, int] | None) -> None:
        self.widths = list(widths)
        self.formats = RowFormats(RowEncoder(inputs, widths, styles)) \
            if styles is not None else None

    def row(self, values: Sequence[object]) -> Row:
        if self.formats is None:
            return list(values), row_height(values, self.widths)
        return self.formats.encode(values)

    def rows(self, rows: Iterable[Sequence[object]]) -> Rows:
        """Many rows for ``SheetWriter.add_rows``: one block on the fast path."""
        if self.formats is None:
            return [(list(values), row_height(values, self.widths)) for values in rows]
        return row_block([self.formats.encode(values) for values in rows])


def encode(values: Sequence[object], inputs: Sequence[bool], widths: Sequence[float],
           styles: dict[StyleKey, int] | None) -> Row:
    """One row for ``SheetWriter.add`` (``RowMaker`` for many rows of one sheet)."""
    return RowMaker(inputs, widths, styles).row(values)


def encode_header(titles: Sequence[str], keys: Sequence[StyleKey],
                  styles: dict[StyleKey, int]) -> str:
    from qaudit.export.fastcells import _LETTERS, _escape

    return "".join(f'<c r="{_LETTERS[i]}{ROW}" s="{styles[key]}" t="inlineStr"><is><t>'
                   f"{_escape(clean_text(title))}</t></is></c>"
                   for i, (title, key) in enumerate(zip(titles, keys, strict=True)))
