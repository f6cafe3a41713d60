"""Crafted workbooks: import-xlsx writes only audits inside the workbook's folder (or --root),
reads the whole workbook before the first write, and refuses zip bombs and entity bombs
(exit 2) in bounded time and memory. Every row trick names a real audit elsewhere with its
right SHA-256, which the build before issue 14 rewrote."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from builders import complete_audit
from qaudit.export import layout as L


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args: str | os.PathLike[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QAUDIT_TODAY": "2026-11-23", "NO_COLOR": "1", "COLUMNS": "300"}
    return subprocess.run([sys.executable, "-m", "qaudit", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def panel(tmp_path: Path, cli: Any) -> tuple[Path, Path]:
    """A panel folder with one exported audit, and an audit outside it."""
    folder = tmp_path / "panel"
    folder.mkdir()
    complete_audit(folder, name="inside.toml")
    out = folder / "panel.xlsx"
    assert cli("export-xlsx", folder, "-o", out).exit_code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    complete_audit(outside, name="x.toml")
    return folder, out


def rows(out: Path, links: list[tuple[str, str]], agree: str = "Yes") -> None:
    """Rewrite the Audits sheet: one row per (path, sha256), each with a decision typed."""
    wb = load_workbook(out)
    ws = next(wb[n] for n in wb.sheetnames if L.is_audit_sheet(n))
    header = {cell.value: cell.column for cell in ws[1]}
    template = [c.value for c in ws[2]]
    ws.delete_rows(2, ws.max_row)
    for number, (link, digest) in enumerate(links, start=2):
        for column, value in enumerate(template, start=1):
            ws.cell(number, column).value = value
        ws.cell(number, header[L.H_PATH]).value = link
        ws.cell(number, header[L.H_HASH]).value = digest
        ws.cell(number, header[L.H_AGREE]).value = agree
        ws.cell(number, header[L.H_COMMENT]).value = f"Fictional panel comment {number}"
    wb.save(out)


def refused_rows(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stdout.splitlines() if ": refused " in line]


@pytest.mark.parametrize("trick", ["dotdot", "absolute", "dir-dotdot", "folder-link",
                                   "file-link-out"])
def test_a_row_pointing_outside_the_folder_is_refused(panel: tuple[Path, Path],
                                                      trick: str) -> None:
    folder, out = panel
    target = folder.parent / "outside" / "x.toml"
    before = target.read_bytes()
    (folder / "sub").mkdir()
    (folder / "linked").symlink_to(folder.parent / "outside", target_is_directory=True)
    (folder / "alias.toml").symlink_to(target)
    link = {"dotdot": "../outside/x.toml", "absolute": str(target),
            "dir-dotdot": "sub/../../outside/x.toml", "folder-link": "linked/x.toml",
            "file-link-out": "alias.toml"}[trick]
    rows(out, [(link, sha(target))])
    result = run("import-xlsx", out)
    assert result.returncode == 1, result.stdout + result.stderr
    [line] = refused_rows(result)
    assert "leads outside the workbook's folder" in line
    assert target.read_bytes() == before
    assert "0 changed, 0 unchanged, 1 refused" in result.stdout


def test_root_widens_the_folder_on_purpose(panel: tuple[Path, Path]) -> None:
    folder, out = panel
    target = folder.parent / "outside" / "x.toml"
    rows(out, [("../outside/x.toml", sha(target))])
    result = run("import-xlsx", out, "--root", folder.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Fictional panel comment 2" in target.read_text("utf-8")


def test_a_fifo_row_is_refused_without_hanging(panel: tuple[Path, Path]) -> None:
    folder, out = panel
    os.mkfifo(folder / "pipe.toml")
    rows(out, [("pipe.toml", "0" * 64)])
    result = run("import-xlsx", out, timeout=60)
    assert result.returncode == 1
    assert "is not a regular file" in refused_rows(result)[0]


def test_a_symlinked_audit_inside_is_written_through(panel: tuple[Path, Path]) -> None:
    folder, out = panel
    real = folder / "inside.toml"
    (folder / "link.toml").symlink_to("inside.toml")
    rows(out, [("link.toml", sha(real))])
    result = run("import-xlsx", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (folder / "link.toml").is_symlink(), "the link stays a link"
    assert "Fictional panel comment 2" in real.read_text("utf-8")


def test_the_good_rows_are_written_and_the_report_says_exactly_which(
        panel: tuple[Path, Path], cli: Any) -> None:
    folder, out = panel
    second = complete_audit(folder, name="second.toml")
    first = folder / "inside.toml"
    rows(out, [("inside.toml", sha(first)), ("second.toml", sha(second)),
               ("../outside/x.toml", sha(folder.parent / "outside" / "x.toml"))])
    wb = load_workbook(out)
    ws = next(wb[n] for n in wb.sheetnames if L.is_audit_sheet(n))
    header = {cell.value: cell.column for cell in ws[1]}
    ws.cell(3, header[L.H_GRADE]).value = "\u00b2"  # a superscript two: isdigit() says yes
    wb.save(out)
    result = run("import-xlsx", out)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "1 changed, 0 unchanged, 2 refused" in result.stdout
    assert f"{first}: changed (row 2)" in result.stdout
    assert "Fictional panel comment 2" in first.read_text("utf-8")
    assert "Fictional panel comment 3" not in second.read_text("utf-8")


def _rezip(out: Path, replace: dict[str, bytes], extra: int = 0) -> None:
    with zipfile.ZipFile(out) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts.update(replace)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
        for n in range(extra):
            target.writestr(f"xl/media/pad{n}.bin", b"")


def test_a_zip_bomb_is_refused_from_its_directory(panel: tuple[Path, Path]) -> None:
    _folder, out = panel
    bomb = b"<sst>" + b" " * (200 * 1024 * 1024) + b"</sst>"  # 200 MB inflated, ~200 KB zipped
    _rezip(out, {"xl/sharedStrings.xml": bomb})
    del bomb
    assert out.stat().st_size < 2 * 1024 * 1024
    result = run("import-xlsx", out)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "zip bomb" in result.stderr and "sharedStrings.xml" in result.stderr


def test_a_workbook_of_too_many_parts_is_refused(panel: tuple[Path, Path]) -> None:
    _folder, out = panel
    _rezip(out, {}, extra=10_001)
    result = run("import-xlsx", out)
    assert result.returncode == 2 and "parts" in result.stderr


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
"""


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_billion_laughs_is_refused_with_exit_2(panel: tuple[Path, Path], part: str) -> None:
    _folder, out = panel
    with zipfile.ZipFile(out) as source:
        original = source.read(part)
    body = original.split(b"?>", 1)[-1]
    first_tag_end = body.index(b">") + 1
    laughs = LAUGHS + body[:first_tag_end] + b"&lol9;" + body[first_tag_end:]
    _rezip(out, {part: laughs})
    result = run("import-xlsx", out)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "billion laughs" in result.stderr
