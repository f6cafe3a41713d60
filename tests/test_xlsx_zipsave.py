"""export/zipsave.py deflates large sheets in pieces on every CPU: the workbook must hold the
very same members as openpyxl's own save, pass zip's CRC check, and open in openpyxl and
calamine. The pieces are made small here so the sample folder's sheets take that path."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from qaudit.export import export_workbook, zipsave
from test_export_xlsx import copy_samples, hostile_audit

TODAY = dt.date(2026, 11, 23)


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None  # every member's CRC checks out
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("jobs", [2, 3])
def test_sheets_deflated_in_pieces_are_the_same_workbook(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    folder = copy_samples(tmp_path)
    hostile_audit(folder)
    serial = tmp_path / "serial.xlsx"
    export_workbook([folder], serial, today=TODAY, jobs=1)  # one thread: zipfile's own deflate
    pieces: list[int] = []
    real_piece = zipsave._piece

    def counted(data: bytes, level: int) -> bytes:
        pieces.append(len(data))
        return real_piece(data, level)

    monkeypatch.setattr(zipsave, "CHUNK", 1000)
    monkeypatch.setattr(zipsave, "PARALLEL_FROM", 2000)
    monkeypatch.setattr(zipsave, "_piece", counted)
    parallel = tmp_path / "parallel.xlsx"
    export_workbook([folder], parallel, today=TODAY, jobs=jobs)
    assert len(pieces) > 20 and max(pieces) == 1000  # the sheets did go in pieces
    a, b = _members(serial), _members(parallel)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name
    with zipfile.ZipFile(parallel) as zf:
        sheets = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/sheet")]
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in sheets)
        assert any(i.compress_size < i.file_size / 3 for i in sheets)  # really compressed
    book = CalamineWorkbook.from_path(str(parallel))
    wb = load_workbook(parallel)
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        assert len(rows) == wb[name].max_row, name


def test_a_zipfile_without_the_known_writer_deflates_as_openpyxl(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where zipfile's entry writer has no compressor to stand in for, the sheet is written
    by zipfile as usual: still a good workbook."""
    folder = copy_samples(tmp_path)
    monkeypatch.setattr(zipsave, "CHUNK", 1000)
    monkeypatch.setattr(zipsave, "PARALLEL_FROM", 2000)
    real_open = zipfile.ZipFile.open
    wrapped: list[str] = []

    class Other:
        """An entry writer with zipfile's file interface and nothing else."""

        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def write(self, data: bytes) -> int:
            return int(self.handle.write(data))

        def __enter__(self) -> Other:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    def other_open(self: zipfile.ZipFile, name: Any, mode: str = "r", **kwargs: Any) -> Any:
        handle = real_open(self, name, mode, **kwargs)
        if mode == "w":
            wrapped.append(str(getattr(name, "filename", name)))
            return Other(handle)
        return handle

    monkeypatch.setattr(zipfile.ZipFile, "open", other_open)
    out = tmp_path / "plain.xlsx"
    export_workbook([folder], out, today=TODAY, jobs=2)
    monkeypatch.undo()
    assert any(name.startswith("xl/worksheets/") for name in wrapped)
    _members(out)
    assert CalamineWorkbook.from_path(str(out)).sheet_names
