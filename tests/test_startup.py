"""Start-up: a command imports only its own code (the lazy command table), pre-commit's
`validate` command line skips typer's pydantic conversion, and the short way in gives the
same output and exit code as typer's for every command line it takes. (Times are measured in
benchmarks/bench_startup.py, never asserted here.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from builders import complete_audit
from conftest import SAMPLES

PROBE = r'''
import atexit, json, sys
def report():
    names = ["pydantic", "openpyxl", "tomlkit", "qaudit.cli.fill_cmd", "qaudit.cli.kpis_cmd",
             "qaudit.cli.export_cmd", "qaudit.cli.validate_cmd", "textual", "prompt_toolkit"]
    sys.stderr.write("LOADED " + json.dumps([n for n in names if n in sys.modules]) + "\n")
atexit.register(report)
sys.argv = ["qaudit", *sys.argv[1:]]
from qaudit.cli.app import main
main()
'''


def loaded(*args: str) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    env = {**os.environ, "QAUDIT_TODAY": "2026-11-23", "NO_COLOR": "1", "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          env=env, timeout=120)
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED "))
    return json.loads(line[len("LOADED "):]), done


def test_validate_imports_only_its_own_code_and_not_pydantic() -> None:
    modules, done = loaded("validate", "--quiet", str(SAMPLES))
    assert done.returncode == 0, done.stderr
    assert modules == ["qaudit.cli.validate_cmd"]


def test_another_command_line_goes_through_typer_and_its_module_only() -> None:
    modules, done = loaded("validate", "--format=json", str(SAMPLES))  # --opt=value: typer's
    assert done.returncode == 0, done.stderr
    assert "pydantic" in modules and "qaudit.cli.validate_cmd" in modules
    assert not {"qaudit.cli.fill_cmd", "qaudit.cli.export_cmd", "openpyxl"} & set(modules)


@pytest.mark.parametrize("args", [
    ["--quiet", "{good}"], ["{good}", "{bad}"], ["--strict", "{folder}"],
    ["-f", "json", "{folder}"], ["--format", "jsonl", "-j", "1", "{bad}"],
    ["{folder}/missing.toml", "{good}"], ["--", "{good}"],
    ["--format", "xml", "{good}"], ["-j", "-1", "{good}"], ["--help"], [],
])
def test_the_short_way_in_matches_typer(cli, tmp_path: Path, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    good = complete_audit(tmp_path, name="good.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text("utf-8").replace("[answers.q4]\ngrade = 3", "[answers.q4]\n"
                                                   "grade = 2.5", 1), "utf-8")
    words = [a.format(good=good, bad=bad, folder=tmp_path) for a in args]
    through_typer = cli("validate", *words)
    _modules, fast = loaded("validate", *words)
    assert fast.returncode == through_typer.exit_code, (fast.stdout, fast.stderr)
    assert fast.stdout.split() == through_typer.stdout.split()  # help wraps to the width
