"""Reading hostile folders: every read command (validate, check-kpis, export-xlsx) meets a FIFO,
a link to /dev/zero, a huge file, two byte-order marks, folder links and loops, *.TOML, a broken
qaudit.toml and a leftover temporary file, and names each one; none hangs or stops the batch.
Each case failed on the build before issue 14 (hung, was skipped silently, or stopped)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builders import complete_audit

BOM = "\ufeff".encode()


def run(*args: str | os.PathLike[str], cwd: Path | None = None,
        timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command in its own process: a hang is a timeout, not a stuck test run."""
    env = {**os.environ, "QAUDIT_TODAY": "2026-11-23", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "qaudit", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def findings_of(folder: Path) -> dict[str, set[str]]:
    result = run("validate", folder, "--format", "json")
    assert result.returncode in (1, 2), result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    found: dict[str, set[str]] = {}
    for f in json.loads(result.stdout)["findings"]:
        found.setdefault(Path(f["path"]).name, set()).add(f["rule"])
    return found


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "audits"
    folder.mkdir()
    complete_audit(folder, name="good.toml")
    os.mkfifo(folder / "pipe.toml")
    (folder / "zero.toml").symlink_to("/dev/zero")
    with open(folder / "huge.toml", "wb") as handle:
        handle.truncate(40 * 1024 * 1024)  # sparse: 40 MB on paper
    two = folder / "two-boms.toml"
    two.write_bytes(BOM + BOM + (folder / "good.toml").read_bytes())
    one = folder / "one-bom.toml"
    one.write_bytes(BOM + (folder / "good.toml").read_bytes())
    shutil.copy(folder / "good.toml", folder / "UPPER.TOML")
    (folder / ".good.toml.abc123-999999-ffffff.qaudit-tmp").write_text("half", "utf-8")
    return folder


def test_validate_names_every_hostile_file_and_checks_the_good_ones(hostile: Path) -> None:
    found = findings_of(hostile)
    assert found.pop("pipe.toml") == {"file-special"}
    assert found.pop("zero.toml") == {"file-special"}
    assert found.pop("huge.toml") == {"file-too-large"}
    assert found.pop("two-boms.toml") == {"file-encoding"}
    assert found.pop(".good.toml.abc123-999999-ffffff.qaudit-tmp") == {"file-temp"}
    assert found == {}, "good.toml, one-bom.toml and UPPER.TOML validate clean"
    text = run("validate", hostile)
    assert "pipe.toml:1:1: error file-special is a named pipe (FIFO)" in text.stdout
    assert "through the link to /dev/zero" in text.stdout
    assert "two byte-order marks" in text.stdout
    assert "in 5 of 8 files" in text.stdout


def test_check_kpis_and_export_name_them_too(hostile: Path, tmp_path: Path) -> None:
    kpis = run("check-kpis", hostile, "--format", "json")
    assert kpis.returncode == 1 and "Traceback" not in kpis.stderr
    named = {Path(f["path"]).name for f in json.loads(kpis.stdout)["findings"]}
    assert {"pipe.toml", "zero.toml", "huge.toml", "two-boms.toml"} <= named
    checked = {Path(r["file"]).name for r in json.loads(kpis.stdout)["records"]}
    assert checked == {"good.toml", "one-bom.toml", "UPPER.TOML"}

    out = tmp_path / "panel.xlsx"
    export = run("export-xlsx", hostile, "-o", out)
    assert export.returncode in (0, 1) and "Traceback" not in export.stderr
    assert "pipe.toml" in export.stderr + export.stdout
    assert "3 audits" in export.stdout


def test_a_fifo_given_by_name_is_a_finding_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.toml")
    for command in (["validate"], ["check-kpis"], ["export-xlsx", "-o", tmp_path / "o.xlsx"]):
        result = run(*command[:1], tmp_path / "x.toml", *command[1:], timeout=30)
        assert "file-special" in result.stdout + result.stderr, result
        assert result.returncode in (1, 2)


def test_folder_links_are_followed_once_and_loops_named(tmp_path: Path) -> None:
    top = tmp_path / "audits"
    real = tmp_path / "elsewhere"
    real.mkdir()
    top.mkdir()
    complete_audit(real, name="linked.toml")
    (top / "team-a").symlink_to(real, target_is_directory=True)
    (top / "team-a-again").symlink_to(real, target_is_directory=True)
    (real / "back-up").symlink_to(top, target_is_directory=True)  # a loop
    result = run("validate", top, "--format", "json")
    report = json.loads(result.stdout)
    assert report["files"] == 3, report  # linked.toml once; the loop and the second link named
    named = {Path(f["path"]).name: f["message"] for f in report["findings"]}
    assert set(named) == {"team-a-again", "back-up"}
    assert "checked already" in named["back-up"]


def test_a_broken_qaudit_toml_is_a_finding_for_its_folder_only(tmp_path: Path) -> None:
    complete_audit(tmp_path, name="fine.toml")
    broken = tmp_path / "team-b"
    broken.mkdir()
    complete_audit(broken, name="under-broken.toml")
    (broken / "qaudit.toml").write_text("[qaudit\nruleset = 1\n", "utf-8")
    result = run("validate", tmp_path, "--format", "json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["files"] == 2
    [finding] = report["findings"]
    assert finding["rule"] == "config-invalid" and finding["path"].endswith("under-broken.toml")
    assert "qaudit.toml" in finding["message"]
    kpis = run("check-kpis", tmp_path, "--format", "json")
    assert "Traceback" not in kpis.stderr and kpis.returncode == 1
    assert {Path(r["file"]).name for r in json.loads(kpis.stdout)["records"]} == {"fine.toml"}


def test_one_bom_is_accepted_by_the_writing_commands_and_kept(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = complete_audit(tmp_path, status="draft")
    path.write_bytes(BOM + path.read_bytes())
    assert cli("fill", path, "--set", "case.team=Fictional Team").exit_code == 0
    result = cli("actions", "add", path, "--action", "Fictional follow-up")
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(BOM) and not path.read_bytes().startswith(BOM + BOM)
    assert cli("validate", path).exit_code == 0


def test_two_boms_are_refused_by_the_writing_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = complete_audit(tmp_path, status="draft")
    before = BOM + BOM + path.read_bytes()
    path.write_bytes(before)
    result = cli("fill", path, "--set", "case.team=Fictional Team")
    assert result.exit_code == 2 and "two byte-order marks" in result.output
    assert path.read_bytes() == before


def test_a_case_number_with_a_newline_is_refused(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("new", "--template", "core", "--case-number", "ABC\n", "--dir", tmp_path,
                 "--audit-date", "2026-11-20")
    assert result.exit_code == 2
    assert "not allowed in a file name" in result.output
    assert list(tmp_path.iterdir()) == []
