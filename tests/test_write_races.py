"""Writers that race and writers that die, in real processes (nothing patched in the writers).

* Two writers: two processes run qaudit commands against one audit at the same time (fill
  --set against actions add, actions add against itself, moderate against actions add,
  fill --set against import-xlsx). Every command that says it saved must find its change in
  the final file: zero lost updates. A command may instead be refused with a clear line
  (the file changed since it read it), having written nothing.
* Kills: a writer process is SIGKILLed mid-write, at chosen points (while the temporary file
  is half written, after its fsync before the rename, after the rename) and at random
  moments. Each time the audit is the old bytes or a whole new version, and the next write
  leaves no temporary or lock file behind.

The figures in the README come from these tests (QAUDIT_RACE_ROUNDS scales them).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from builders import complete_audit

ROUNDS = int(os.environ.get("QAUDIT_RACE_ROUNDS", "12"))
REFUSED = ("changed on disk", "another qaudit is writing")

# A worker: runs one qaudit command many times in this process through the real CLI, and
# reports each exit code and output as a JSON line. argv: kind path tag rounds
WORKER = r'''
import json, sys
from typer.testing import CliRunner
from qaudit.audit.writer import hold_locks_from_read
from qaudit.cli.app import _scripted, app
kind, path, tag, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runner = CliRunner()
def args(i):
    if kind == "fill":
        return ["fill", path, "--set", f"answers.q{i % 38 + 4}.evidence={tag}-{i}"]
    if kind == "actions":
        return ["actions", "add", path, "--action", f"{tag}-{i}"]
    if kind == "moderate":
        return ["moderate", path, "--date", "2026-11-20", "--themes", f"{tag}-{i}",
                "--partial"]
    if kind == "import":
        return ["import-xlsx", sys.argv[5], "--date", "2026-11-20"]
    raise SystemExit(kind)
for i in range(rounds):
    hold_locks_from_read(_scripted(args(i)))  # as qaudit's main() decides it
    result = runner.invoke(app, args(i))
    print(json.dumps({"i": i, "code": result.exit_code, "out": result.output}), flush=True)
'''


def start(kind: str, path: Path, tag: str, rounds: int, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QAUDIT_TODAY": "2026-11-23", "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-c", WORKER, kind, str(path), tag, str(rounds),
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def outcomes(proc: subprocess.Popen[str]) -> list[dict[str, Any]]:
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return [json.loads(line) for line in out.splitlines()]


def check_run(results: list[dict[str, Any]]) -> tuple[list[int], int]:
    """The rounds that saved, and how many were refused; anything else fails the test."""
    saved, refused = [], 0
    for r in results:
        assert "Traceback" not in r["out"], r["out"]
        if r["code"] == 0:
            saved.append(r["i"])
        else:
            assert r["code"] == 2 and any(m in r["out"] for m in REFUSED), r
            assert "nothing was written" in r["out"]
            refused += 1
    return saved, refused


def evidence(data: dict[str, Any], i: int) -> Any:
    return data["answers"][f"q{i % 38 + 4}"].get("evidence")


def action_texts(data: dict[str, Any]) -> set[str]:
    return {a.get("action") for a in data.get("actions", [])}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".qaudit-" in p.name)


def _count(pair: str, saved: int, refused: int) -> None:
    print(f"race {pair}: {saved} saved, {refused} refused, 0 lost")


def test_fill_set_against_actions_add(tmp_path: Path) -> None:
    path = complete_audit(tmp_path, status="draft")
    a, b = start("fill", path, "F", ROUNDS), start("actions", path, "A", ROUNDS)
    fill_saved, fill_refused = check_run(outcomes(a))
    add_saved, add_refused = check_run(outcomes(b))
    data = tomllib.loads(path.read_text("utf-8"))
    # Evidence keys are set round-robin; the last save of each key must be there.
    last: dict[int, int] = {i % 38: i for i in fill_saved}
    lost = [i for i in last.values() if evidence(data, i) != f"F-{i}"]
    lost += [i for i in add_saved if f"A-{i}" not in action_texts(data)]
    assert lost == [], f"lost updates: {lost}"
    assert len(data.get("actions", [])) == len(add_saved), "a refused add wrote nothing"
    assert fill_saved and add_saved
    assert leftovers(tmp_path) == []
    _count("fill --set / actions add", len(fill_saved) + len(add_saved),
           fill_refused + add_refused)


def test_actions_add_against_itself(tmp_path: Path) -> None:
    path = complete_audit(tmp_path, status="draft")
    a, b = start("actions", path, "X", ROUNDS), start("actions", path, "Y", ROUNDS)
    x_saved, x_refused = check_run(outcomes(a))
    y_saved, y_refused = check_run(outcomes(b))
    texts = action_texts(tomllib.loads(path.read_text("utf-8")))
    assert texts == {f"X-{i}" for i in x_saved} | {f"Y-{i}" for i in y_saved}
    assert leftovers(tmp_path) == []
    _count("actions add / actions add", len(x_saved) + len(y_saved), x_refused + y_refused)


def test_moderate_against_actions_add(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    a, b = start("moderate", path, "M", ROUNDS), start("actions", path, "A", ROUNDS)
    mod = outcomes(a)
    add_saved, add_refused = check_run(outcomes(b))
    mod_saved, mod_refused = check_run(mod)
    text = path.read_text("utf-8")
    data = tomllib.loads(text)
    assert action_texts(data) == {f"A-{i}" for i in add_saved}
    assert mod_saved, "moderate saved at least once"
    assert f'"M-{max(mod_saved)}"' in text, "the last moderation saved is the one on file"
    _count("moderate / actions add", len(add_saved) + len(mod_saved), add_refused + mod_refused)


def test_import_xlsx_against_fill_set(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from qaudit.export import layout as L

    path = complete_audit(tmp_path)
    workbook = tmp_path / "panel.xlsx"
    assert cli("export-xlsx", path, "-o", workbook).exit_code == 0
    wb = load_workbook(workbook)
    ws = next(wb[n] for n in wb.sheetnames if L.is_audit_sheet(n))
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index(L.H_COMMENT) + 1, "Fictional panel comment")
    ws.cell(2, header.index(L.H_AGREE) + 1, "Yes")
    wb.save(workbook)
    a, b = start("import", path, "I", 1, str(workbook)), start("fill", path, "F", ROUNDS)
    imported = outcomes(a)[0]
    fill_saved, fill_refused = check_run(outcomes(b))
    text = path.read_text("utf-8")
    data = tomllib.loads(text)
    last: dict[int, int] = {i % 38: i for i in fill_saved}
    assert [i for i in last.values() if evidence(data, i) != f"F-{i}"] == []
    if imported["code"] == 0 and "1 changed" in imported["out"]:
        assert "Fictional panel comment" in text
        saved, refused = len(fill_saved) + 1, fill_refused
    else:
        assert "SHA-256" in imported["out"] or any(m in imported["out"] for m in REFUSED)
        assert "Fictional panel comment" not in text
        saved, refused = len(fill_saved), fill_refused + 1
    _count("import-xlsx / fill --set", saved, refused)


# --- kills ------------------------------------------------------------------------------------

KILLER = r'''
import os, sys, time
from pathlib import Path
import qaudit.audit.writer as writer
from qaudit.audit.writer import AuditEditor
path, point, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def pause():
    os.write(1, b"R")  # tell the parent we are at the point, then wait to be killed
    time.sleep(30)
if point == "before-rename":
    real_replace = os.replace
    def replace(a, b):
        pause(); real_replace(a, b)
    os.replace = replace
elif point == "after-rename":
    real_sync = writer._fsync_folder
    def sync(folder):
        pause(); real_sync(folder)
    writer._fsync_folder = sync
editor = AuditEditor(path)
editor.set("case.team", f"Team {n}")
editor.set("answers.q5.evidence", "Fictional evidence " * 20000 + str(n))
if point == "mid-data":
    real_write = writer.atomic_write_bytes
    def half(p, data):
        def fill(handle):
            handle.write(data[: len(data) // 2]); handle.flush(); pause()
        writer.atomic_write_with(p, fill)
    writer.atomic_write_bytes = half
os.write(1, b"G")
editor.save()
os.write(1, b"D")
'''


def _kill_once(path: Path, point: str, n: int, rng: random.Random) -> str:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-c", KILLER, str(path), point, str(n)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    assert proc.stdout.read(1) == b"G", proc.stderr.read() if proc.stderr else ""
    if point == "random":
        time.sleep(rng.uniform(0, 0.03))
    else:
        assert proc.stdout.read(1) == b"R"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return point


def test_a_killed_writer_leaves_the_old_file_or_a_whole_new_one(tmp_path: Path) -> None:
    path = complete_audit(tmp_path, status="draft")
    rng = random.Random(14)
    points = ["mid-data", "before-rename", "after-rename"] * 3 + ["random"] * (ROUNDS * 2)
    seen: dict[str, int] = {}
    for n, point in enumerate(points):
        before = path.read_bytes()
        _kill_once(path, point, n, rng)
        after = path.read_bytes()
        if after != before:
            data = tomllib.loads(after.decode("utf-8"))
            assert data["case"]["team"] == f"Team {n}", "a new version is whole"
            assert data["answers"]["q5"]["evidence"].endswith(str(n))
            seen["new"] = seen.get("new", 0) + 1
        else:
            assert point != "after-rename", "after the rename the new file is in place"
            seen["old"] = seen.get("old", 0) + 1
        if point in ("mid-data", "before-rename"):
            assert after == before and [p for p in leftovers(tmp_path)
                                        if p.endswith(".qaudit-tmp")], point
    # The next write (a real command) cleans up what the killed writers left.
    result = subprocess.run([sys.executable, "-m", "qaudit", "fill", str(path), "--set",
                             "case.team=After the kills"], capture_output=True, text=True,
                            env={**os.environ, "QAUDIT_TODAY": "2026-11-23"}, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert leftovers(tmp_path) == []
    assert tomllib.loads(path.read_text("utf-8"))["case"]["team"] == "After the kills"
    print(f"kills: {len(points)} survived ({seen})")


def test_validate_names_a_temp_file_a_kill_left(tmp_path: Path) -> None:
    path = complete_audit(tmp_path, status="draft")
    _kill_once(path, "mid-data", 1, random.Random(1))
    [temp] = [p for p in leftovers(tmp_path) if p.endswith(".qaudit-tmp")]
    result = subprocess.run([sys.executable, "-m", "qaudit", "validate", str(tmp_path)],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "QAUDIT_TODAY": "2026-11-23"})
    assert result.returncode == 1
    assert f"{temp}:1:1: error file-temp" in result.stdout
    assert ".*.qaudit-*" in result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX locks")
def test_a_second_writer_waits_for_the_lock_then_is_refused_on_a_changed_file(
        tmp_path: Path) -> None:
    """The lock is held by another process: a save waits for it, then sees the change."""
    from qaudit.audit.writer import AuditEditor
    from qaudit.errors import ConflictError

    path = complete_audit(tmp_path, status="draft")
    holder = subprocess.Popen([sys.executable, "-c", r'''
import os, sys, time
from pathlib import Path
from qaudit.audit.writer import AuditEditor
with AuditEditor.locked(Path(sys.argv[1])) as editor:
    os.write(1, b"L")
    time.sleep(0.5)
    editor.set("case.team", "First writer")
    editor.save()
''', str(path)], stdout=subprocess.PIPE)
    editor = AuditEditor(path)
    assert holder.stdout is not None and holder.stdout.read(1) == b"L"
    editor.set("case.team", "Second writer")
    with pytest.raises(ConflictError, match="changed on disk"):
        editor.save()  # without the lock it would write, and the first writer be refused
    assert holder.wait(timeout=30) == 0
    assert tomllib.loads(path.read_text("utf-8"))["case"]["team"] == "First writer"
