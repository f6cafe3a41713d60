"""Whole rows as sheet XML by one string format each: the common row, cell by cell in C.

Rows of one sheet come in a few shapes: which columns hold text, numbers, dates or nothing.
``RowFormats`` keeps, per shape (the types of the row's values, and which are empty), one
``%``-format string of the row's cells, so a row is encoded by a handful of calls that run
in C (``map``, ``itemgetter``, ``str.join``, one regular expression over all the row's text,
``%``) instead of a Python step per cell. A row with anything unusual in it (text to clean,
escape or quote, whitespace to keep at an end, a float, a date Excel cannot show, a boolean)
goes through ``RowEncoder`` cell by cell instead. Both write the bytes openpyxl writes (tests
compare them, cell by cell and whole workbooks).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from itertools import compress
from operator import gt, itemgetter
from typing import Any

from qaudit.export.cells import FIRST_DATE, LAST_DATE, MAX_TEXT
from qaudit.export.fastcells import (
    LINE_PT,
    MAX_ROW_PT,
    ROW,
    RowBlock,
    RowEncoder,
    _serial,
    row_attributes,
)

SEP = "\x01"  # between a row's texts for the one check (a text holding it is checked alone)
# Anything in one text, or at either end of one (next to SEP), that the format cannot write
# as it is: see ``fastcells`` (characters to clean or escape, OOXML escapes, a quote prefix,
# whitespace to preserve). Three searches, each quick: one character class, one search that
# starts at a SEP, and the OOXML escape only when "_x" is there at all.
_UNUSUAL_CHAR = re.compile("[\x00\x02-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff&<>]")
_UNUSUAL_END = re.compile("\x01(?:[ \t\n=+\\-@#]|(?<=[ \t\n]\x01))")
_OOXML_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")
MAX_SHAPES = 512  # formats kept per sheet; a row of yet another shape is encoded cell by cell
Getter = Callable[[Sequence[object]], tuple[Any, ...]]


def _getter(indices: list[int]) -> Getter:
    if not indices:
        return lambda values: ()
    if len(indices) == 1:
        only = indices[0]
        return lambda values: (values[only],)
    return itemgetter(*indices)


class _Shape:
    """The format of the rows of one shape."""

    def __init__(self, encoder: RowEncoder, types: tuple[type, ...],
                 filled: tuple[bool, ...]) -> None:
        pieces: list[str] = []
        args: list[int] = []
        texts: list[int] = []
        self.dates: list[int] = []  # positions in the format's arguments
        self.ok = len(types) <= len(encoder.widths)
        for index, (kind, full) in enumerate(zip(types, filled, strict=True)):
            if kind is str:
                if not full:
                    pieces.append(encoder.empty[index])
                    continue
                pieces.append(f"{encoder.text[index]}%s</t></is></c>")
                texts.append(index)
            elif kind is int:
                pieces.append(f"{encoder.number[index]}%d</v></c>")
            elif kind is dt.date:
                pieces.append(f"{encoder.date[index]}%s</v></c>")
                self.dates.append(len(args))
            elif kind is type(None):
                pieces.append(encoder.blank[index])
                continue
            else:  # bool, float, datetime, anything else: cell by cell
                self.ok = False
                return
            args.append(index)
        self.format = "".join(pieces)  # no piece holds a "%" but its placeholder
        self.args = _getter(args)
        self.texts = _getter(texts)
        self.count = len(texts)
        self.widths = [encoder.widths[i] for i in texts] if self.ok else []
        self.limits = [w * 0.9 for w in self.widths]
        self.rooms = [max(w * 0.95 - 1, 1) for w in self.widths]


class RowFormats:
    """``encode(values)``: the whole ``<row>`` (number ``\\0``), as ``row_xml`` of
    ``RowEncoder.encode`` would give it."""

    def __init__(self, encoder: RowEncoder) -> None:
        self.encoder = encoder
        self.shapes: dict[tuple[tuple[type, ...], tuple[bool, ...]], _Shape] = {}

    def _shape(self, values: Sequence[object]) -> _Shape | None:
        key = (tuple(map(type, values)), tuple(map(bool, values)))
        shape = self.shapes.get(key)
        if shape is None:
            if len(self.shapes) >= MAX_SHAPES:
                return None
            shape = self.shapes[key] = _Shape(self.encoder, *key)
        return shape if shape.ok else None

    def encode(self, values: Sequence[object]) -> str:
        shape = self._shape(values)
        cells = self._cells(shape, values) if shape is not None else None
        if shape is None or cells is None:
            cells, height = self.encoder.encode(values)
            return f'<row r="{ROW}"{row_attributes(height)}>{cells}</row>'
        texts: tuple[str, ...] = shape.texts(values)
        height = None
        if "\n" in cells:
            height = _height(texts, shape.widths)
        elif texts:
            long = list(map(gt, map(len, texts), shape.limits))
            if any(long):  # as _height: the lines of the longest texts, by their columns
                lines = max(map(_lines, compress(texts, long), compress(shape.rooms, long)))
                height = _points(lines)
        return f'<row r="{ROW}"{row_attributes(height)}>{cells}</row>'

    @staticmethod
    def _cells(shape: _Shape, values: Sequence[object]) -> str | None:
        """The row's cells by the shape's format, or None when it needs the careful way."""
        texts: tuple[str, ...] = shape.texts(values)
        if texts:
            joined = SEP + SEP.join(texts) + SEP
            if joined.count(SEP) != shape.count + 1 \
                    or _UNUSUAL_CHAR.search(joined) is not None \
                    or _UNUSUAL_END.search(joined) is not None \
                    or ("_x" in joined and _OOXML_ESCAPE.search(joined) is not None) \
                    or max(map(len, texts)) > MAX_TEXT:
                return None
        args = shape.args(values)
        if shape.dates:
            listed = list(args)
            for at in shape.dates:
                day = listed[at]
                if not FIRST_DATE <= day <= LAST_DATE:
                    return None
                listed[at] = _serial(day)
            args = tuple(listed)
        return shape.format % args


def _height(texts: Sequence[str], widths: Sequence[float]) -> float | None:
    """``row_height`` of a row whose texts are ``texts`` (in columns ``widths`` wide)."""
    lines = 1
    for value, width in zip(texts, widths, strict=True):
        if len(value) > width * 0.9 or "\n" in value:
            room = max(width * 0.95 - 1, 1)
            lines = max(lines, sum(math.ceil(len(part) * 1.1 / room) or 1
                                   for part in value.split("\n")))
    return _points(lines)


def _lines(text: str, room: float) -> int:
    """The lines of one long text without line breaks, as ``_height`` counts them."""
    return math.ceil(len(text) * 1.1 / room) or 1


def _points(lines: int) -> float | None:
    if lines <= 1:
        return None
    return min(math.ceil(lines * LINE_PT + 3), MAX_ROW_PT)


_PLACES: list[str] = []


def row_block(rows: Sequence[str]) -> RowBlock:
    """``rows`` (from ``RowFormats.encode``) as one ``RowBlock``."""
    while len(_PLACES) < len(rows):
        _PLACES.append(f"%({len(_PLACES)})s")
    parts = []
    for place, row in zip(_PLACES, rows, strict=False):
        if "%" in row:
            row = row.replace("%", "%%")
        parts.append(row.replace(ROW, place))
    return RowBlock("".join(parts).encode("utf-8", "xmlcharrefreplace"), len(rows))
