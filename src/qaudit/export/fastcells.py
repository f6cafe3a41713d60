"""A faster cell writer for openpyxl's write-only mode, used only while qaudit builds a workbook.

Without lxml, openpyxl writes each cell by building an ElementTree element and serialising it
through et_xmlfile's namespace-aware writer: about 0.2 ms a cell, most of an export's time. For
the cells qaudit writes (inline strings, numbers, dates) the XML is simple and fixed, so this
writer puts the same text straight into the stream. Anything else (formulas, rich text,
hyperlinks, dates, or lxml's writer) goes to openpyxl's own writer. The XML written is the one
openpyxl's ``etree_write_cell`` writes for the same cell (the tests read it back with openpyxl,
calamine and LibreOffice).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from openpyxl.cell import _writer as cell_writer
from openpyxl.compat import safe_string
from openpyxl.worksheet import _writer as sheet_writer


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fast_write_cell(xf: Any, worksheet: Any, cell: Any, styled: Any = None) -> None:
    raw = getattr(xf, "_file", None)
    kind = cell.data_type
    value = cell._value
    if kind == "d" and raw is not None and cell.hyperlink is None:
        value, attributes = cell_writer._set_attributes(cell, styled)
        if attributes.get("t") == "n":
            style = f' s="{attributes["s"]}"' if "s" in attributes else ""
            raw(f'<c r="{cell.coordinate}"{style} t="n"><v>{safe_string(value)}</v></c>')
            return
    if (raw is None or kind not in ("s", "n") or cell.hyperlink is not None
            or (kind == "s" and not isinstance(value, str))):
        _ORIGINAL(xf, worksheet, cell, styled)  # formulas, rich text, lxml's writer
        return
    style = f' s="{cell.style_id}"' if styled else ""
    if kind == "s":
        if value == "":
            raw(f'<c r="{cell.coordinate}"{style} t="inlineStr"/>')
            return
        space = ' xml:space="preserve"' if value.strip() != value and value.strip() else ""
        raw(f'<c r="{cell.coordinate}"{style} t="inlineStr"><is><t{space}>{_text(value)}'
            "</t></is></c>")
    elif value is None:
        raw(f'<c r="{cell.coordinate}"{style} t="n"/>')
    else:
        raw(f'<c r="{cell.coordinate}"{style} t="n"><v>{_text(safe_string(value))}</v></c>')


_ORIGINAL = sheet_writer.write_cell


@contextmanager
def fast_cells() -> Iterator[None]:
    """Use the fast writer for the duration (only where openpyxl writes without lxml)."""
    if sheet_writer.write_cell is not cell_writer.etree_write_cell:
        yield
        return
    sheet_writer.write_cell = _fast_write_cell
    try:
        yield
    finally:
        sheet_writer.write_cell = _ORIGINAL
