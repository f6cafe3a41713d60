"""export/fastcells.py writes rows as XML for the openpyxl versions it was written for; the
workbook must be the very bytes openpyxl's own writer makes, and any other openpyxl (or lxml)
falls back to that writer."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from qaudit.export import fastcells
from qaudit.export import workbook as workbook_module
from qaudit.export.cells import register_styles
from qaudit.export.fastcells import FAST_VERSIONS, RawRows, encode_row, openpyxl_row, row_xml
from qaudit.export.workbook import export_workbook
from test_export_xlsx import HOSTILE, copy_samples, hostile_audit

TODAY = dt.date(2026, 11, 23)
ROWS: list[list[object]] = [
    ["plain", "", " leading", "trailing ", "  ", "<&>\"'", 3, 2.5, None, dt.date(2026, 5, 20),
     True, "a\x01b\ufffec", "#N/A", dt.date(1066, 10, 14), "line\nbreak\r\n"],
    [None, "x", None, *HOSTILE],
    [None, None, None, None, None, None, None, None, None, None, None, None, None, 7],
]
INPUTS = [False, False, True, False, True, False, False, True, True, True, False, False,
          True, False, False]


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        # docProps/core.xml holds the time of writing.
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}


def _sheet(fast: bool) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("S")
    styles = register_styles(ws)
    inputs = INPUTS + [False] * 20
    if fast:
        raw = RawRows(ws)
        for number, row in enumerate(ROWS, start=1):
            raw.add(row_xml(encode_row(row, inputs, styles), 30.0 if number == 2 else None))
    else:
        ws.row_dimensions[2].height = 30.0
        for row in ROWS:
            ws.append(openpyxl_row(ws, row, inputs))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Rows as the sheets hold them: plain text, numbers, dates, blanks, empty text, long and
# multi-line text (a set height), and every unusual value of ROWS, each alone in a row.
PLAIN = "Plan reviewed with the family; actions agreed and recorded"
SHAPES: list[list[object]] = [
    ["FICT-1", PLAIN, 3, dt.date(2026, 5, 20), None, "", "x" * 200, 0, "ok"],
    ["FICT-2", "two\nlines", None, None, None, None, "", 12, None],
    ["", "", "", "", "", "", "", "", ""],
    [None] * 9,
    ["a\x01b", PLAIN, 1, dt.date(2026, 1, 1), "=1+1", "", "y", 1, "z"],
    *([value, PLAIN, 2] for value in [*ROWS[0], *ROWS[1], "ends\n", "\nstarts", "tab\tin",
                                      "-1", "@x", "+", "#REF!", "_x0041_", "a_x0041_b"]),
]


def test_row_formats_write_what_the_cell_by_cell_writer_writes() -> None:
    """RowMaker's formats (one per shape of row) give each row the bytes encode_row and
    row_height give it, including every unusual value, which falls back cell by cell."""
    from qaudit.export.fastcells import row_height
    from qaudit.export.sheets import RowMaker

    wb = Workbook(write_only=True)
    styles = register_styles(wb.create_sheet("S"))
    inputs = [False, False, True, False, True, False, False, True, False]
    widths = [13.0, 20.0, 9.0, 11.5, 9.0, 8.0, 60.0, 5.0, 10.0]
    maker = RowMaker(inputs, widths, styles)
    for _ in range(2):  # the second time through, every shape is known
        for row in SHAPES:
            expected = row_xml(encode_row(row, inputs, styles), row_height(row, widths))
            assert maker.row(row) == expected, row
    assert maker.formats is not None and maker.formats.shapes
    tall = maker.row(SHAPES[0])
    assert isinstance(tall, str) and 'customHeight="1"' in tall


def test_openpyxl_version_is_one_fastcells_was_written_for() -> None:
    assert openpyxl.__version__ in FAST_VERSIONS
    assert fastcells.fast_path()  # no lxml in the test environment: the fast path is used


def test_encoded_rows_are_byte_for_byte_openpyxls() -> None:
    fast, slow = _members(_sheet(True)), _members(_sheet(False))
    assert fast.keys() == slow.keys()
    for name in slow:
        assert fast[name] == slow[name], name
    sheet = slow["xl/worksheets/sheet1.xml"].decode()
    assert '<row r="2" ht="30" customHeight="1">' in sheet and "<f>" not in sheet


def test_whole_export_is_byte_for_byte_openpyxls(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = copy_samples(tmp_path)
    hostile_audit(folder)
    fast_out, slow_out = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    export_workbook([folder], fast_out, today=TODAY)
    monkeypatch.setattr(workbook_module, "fast_path", lambda: False)
    export_workbook([folder], slow_out, today=TODAY)
    fast, slow = _members(fast_out.read_bytes()), _members(slow_out.read_bytes())
    assert fast.keys() == slow.keys()
    for name in slow:
        assert fast[name] == slow[name], name


def test_another_openpyxl_version_falls_back_to_its_own_writer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpyxl, "__version__", "3.2.0")
    assert not fastcells.fast_path()
    monkeypatch.setattr(openpyxl, "__version__", FAST_VERSIONS[-1])
    monkeypatch.setattr(openpyxl, "LXML", True)
    assert not fastcells.fast_path()


def test_the_pyproject_bound_matches_the_versions_checked() -> None:
    text = (Path(__file__).parent.parent / "pyproject.toml").read_text()
    assert '"openpyxl>=3.1.2,<3.2"' in text
    assert all(v.startswith("3.1.") for v in FAST_VERSIONS)


def test_worker_processes_write_the_same_workbook_as_one_process(tmp_path: Path) -> None:
    """Above the batch runner's threshold, with two workers: the same bytes as one process."""
    from qaudit.batch import PARALLEL_FROM

    samples = copy_samples(tmp_path)
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "qaudit.toml").write_bytes((samples / "qaudit.toml").read_bytes())
    sources = sorted(p for p in samples.glob("*.toml") if p.name != "qaudit.toml")
    for n in range(PARALLEL_FROM // len(sources) + 2):
        for source in sources:
            (folder / f"{n:03d}-{source.name}").write_bytes(source.read_bytes())
    assert len(list(folder.glob("*-*.toml"))) > PARALLEL_FROM
    one, two = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    seen: list[int] = []
    first = export_workbook([folder], one, today=TODAY, jobs=1)
    second = export_workbook([folder], two, today=TODAY, jobs=2,
                             progress=lambda done, total: seen.append(done))
    assert first.audits == second.audits > PARALLEL_FROM
    assert seen[-1] == second.audits and seen == sorted(seen)
    a, b = _members(one.read_bytes()), _members(two.read_bytes())
    assert a.keys() == b.keys() and all(a[name] == b[name] for name in a)


def test_what_the_encoders_keep_of_openpyxl_is_openpyxls() -> None:
    """The row encoders import no openpyxl (worker processes never load it), so they keep
    their own copies of its error values, column letters and date numbers: the same."""
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel

    from qaudit.export import cells
    from qaudit.export.fastcells import _serial, column_letter

    assert set(cells.ERROR_CODES) == set(ERROR_CODES)
    assert all(column_letter(n) == get_column_letter(n) for n in range(1, 18_279))
    day = cells.FIRST_DATE
    while day < dt.date(2101, 1, 1):
        assert _serial(day) == f"{to_excel(day):.16g}", day  # as openpyxl writes a number
        day += dt.timedelta(days=13)
    assert _serial(cells.LAST_DATE) == f"{to_excel(cells.LAST_DATE):.16g}"


def test_worker_processes_load_no_openpyxl() -> None:
    """A worker imports the encoding step (the batch runner preloads its module): it must
    not bring openpyxl (~11 MB and ~0.1 s in every worker)."""
    import subprocess
    import sys

    code = ("import sys, qaudit.export.encode; "
            "print(sorted(m for m in sys.modules if m.startswith('openpyxl')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
