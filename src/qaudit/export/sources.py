"""The KPI and Actions sheets: rows from the ``check-kpis`` and ``actions`` cores.

Each sheet is a ``SheetSource``: headers, widths and a function giving the rows of one audit.
``available_sources`` returns the sources whose core is installed in this version of qaudit;
a sheet whose core is missing is left out of the workbook (and the export says so), never
filled with rows made up here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qaudit.catalogue import Template
from qaudit.reader import AuditDocument

RowsOf = Callable[[AuditDocument, Template, Path, dt.date], Iterable[list[Any]]]
CountOf = Callable[[AuditDocument, Template, Path, dt.date], int | None]


@dataclass(frozen=True)
class SheetSource:
    title: str
    headers: tuple[str, ...]
    widths: tuple[int, ...]
    rows: RowsOf
    wrap: frozenset[int] = frozenset()  # 0-based columns holding long text
    date_columns: frozenset[int] = frozenset()
    missed: CountOf | None = None  # per audit, for the Audits sheet's "KPI timescales missed"


def available_sources() -> tuple[list[SheetSource], list[str]]:
    """The sources that can be filled, and a note for each sheet left out."""
    sources: list[SheetSource] = []
    notes: list[str] = []
    for builder in (_kpi_source, _actions_source):
        built = builder()
        if isinstance(built, str):
            notes.append(built)
        else:
            sources.append(built)
    return sources, notes


def _kpi_source() -> SheetSource | str:
    return "KPIs sheet left out: this version of qaudit has no check-kpis core"


def _actions_source() -> SheetSource | str:
    return "Actions sheet left out: this version of qaudit has no actions core"
