"""Start-up: a command imports only its own code (the lazy command table), pre-commit's
`validate` command line imports neither typer nor rich (nor the worker pool, the bank
holidays, the writers or the workbook code, nor ``dataclasses``: the records on its path are
msgspec Structs, defined in C), and the short way in gives the same output and
exit code as typer's for every command line it takes. (Times are measured in
benchmarks/bench_startup.py, never asserted here: these tests guard the import budget by
what is imported, which does not depend on the machine's load.)"""

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


def test_validate_imports_no_command_module_and_not_pydantic() -> None:
    modules, done = loaded("validate", "--quiet", str(SAMPLES))
    assert done.returncode == 0, done.stderr
    assert modules == []  # not even validate_cmd: the short way in needs no typer


# Run as pre-commit runs it (stdout a pipe): what is imported when the command is done.
BUDGET = r'''
import atexit, sys
def report():
    names = sorted(sys.modules)  # before json is imported to write them
    import json
    sys.stderr.write("MODULES " + json.dumps(names) + "\n")
atexit.register(report)
sys.argv = ["qaudit", *sys.argv[1:]]
from qaudit.cli.app import main
main()
'''
NOT_ON_THE_SHORT_WAY = ("typer", "click", "rich", "pydantic", "multiprocessing",
                        "concurrent", "holidays", "dateutil", "tomlkit", "openpyxl",
                        "orjson", "difflib", "hashlib", "dataclasses",
                        "qaudit.cli.validate_cmd",
                        "qaudit.cli.root", "qaudit.batch.pool", "qaudit.chronology.workdays",
                        "qaudit.audit.writer", "qaudit.moderation.digest")


def imported(*args: str, env: dict[str, str] | None = None,
             ) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    run_env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    run_env.update({"QAUDIT_TODAY": "2026-11-23", "COLUMNS": "200", **(env or {})})
    done = subprocess.run([sys.executable, "-c", BUDGET, *args], capture_output=True,
                          text=True, env=run_env, timeout=120)
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line[len("MODULES "):])), done


def loaded_families(modules: set[str]) -> set[str]:
    return {name for name in NOT_ON_THE_SHORT_WAY
            if any(m == name or m.startswith(name + ".") for m in modules)}


@pytest.mark.parametrize("args", [
    ["validate", "{sample}"],
    ["validate", "--quiet", "{sample}"],  # the hook's entry (.pre-commit-hooks.yaml)
    ["validate", "--quiet", "{bad}", "{sample}", "{folder}/none.toml"],
    ["validate", "-f", "text", "--strict", "-j", "1", "{sample}"],
])
def test_one_file_validate_imports_only_what_it_needs(tmp_path: Path, args: list[str]) -> None:
    sample = next(SAMPLES.glob("*_core.toml"))
    bad = tmp_path / "bad.toml"
    bad.write_text(complete_audit(tmp_path, name="good.toml").read_text("utf-8").replace(
        "[answers.q4]\ngrade = 3", "[answers.q4]\ngrade = 2.5", 1), "utf-8")
    words = [a.format(sample=sample, bad=bad, folder=tmp_path) for a in args]
    modules, done = imported(*words)
    assert loaded_families(modules) == set(), done.stderr
    # ... and it did the work: the findings are there, the exit code says so.
    if "{bad}" in args:
        assert done.returncode == 2
        assert f"{bad}:" in done.stdout and "grade-value" in done.stdout
        assert "none.toml" in done.stdout and "file-unreadable" in done.stdout
    else:
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout == ("" if "--quiet" in args else "1 file checked: no problems\n")
    assert "qaudit.rules" in modules and "rtoml" in modules


def test_one_file_validate_builds_only_the_template_the_audit_names(tmp_path: Path) -> None:
    probe = ("import datetime as dt, sys\n"
             "from pathlib import Path\n"
             "from qaudit.templates import catalogue\n"
             "from qaudit.validate import validate_file\n"
             "result = validate_file(Path(sys.argv[1]), dt.date(2026, 11, 23))\n"
             "print(result.template.id, catalogue._shipped_template.cache_info().currsize,\n"
             "      sorted(k[0] for k, v in catalogue._shipped().items() if v[2] is None))\n")
    sample = next(SAMPLES.glob("*_core.toml"))
    done = subprocess.run([sys.executable, "-c", probe, str(sample)], capture_output=True,
                          text=True, timeout=120, check=True)
    # ... and both shipped files were keyed by their [template] head, neither parsed whole
    assert done.stdout.split() == ["core", "1", "['core',", "'team-manager']"]


def test_json_formats_and_a_terminal_import_their_encoders_only_then(tmp_path: Path) -> None:
    sample = next(SAMPLES.glob("*_core.toml"))
    modules, done = imported("validate", "-f", "jsonl", str(sample))
    assert done.returncode == 0 and json.loads(done.stdout.splitlines()[-1])["files"] == 1
    assert "orjson" in modules and "rich" not in modules and "typer" not in modules
    modules, done = imported("validate", str(sample), env={"FORCE_COLOR": "1"})
    assert done.returncode == 0 and "no problems" in done.stdout
    assert "rich" in modules and "typer" not in modules  # colour at a terminal is rich's


def test_a_large_batch_still_uses_the_worker_pool(tmp_path: Path) -> None:
    from qaudit.batch import PARALLEL_FROM

    good = complete_audit(tmp_path, name="a0.toml").read_text("utf-8")
    for index in range(1, PARALLEL_FROM):
        (tmp_path / f"a{index}.toml").write_text(good, "utf-8")
    modules, done = imported("validate", "--quiet", "-j", "2", str(tmp_path))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "qaudit.batch.pool" in modules and "multiprocessing" in modules


def test_version_needs_no_typer() -> None:
    modules, done = imported("--version")
    assert done.stdout == "qaudit 0.1.0\n" and done.returncode == 0
    assert not {"typer", "rich", "qaudit.validate"} & modules


def test_the_typer_command_is_built_from_the_options_the_short_way_reads() -> None:
    import inspect

    from qaudit.cli.validate_cmd import validate
    from qaudit.cli.validate_run import OPTIONS

    parameters = inspect.signature(validate).parameters
    assert list(parameters) == ["paths", *OPTIONS]
    for name, spec in OPTIONS.items():
        info = parameters[name].default
        assert info.param_decls == spec.flags and info.default == spec.default
        assert info.help == spec.help and getattr(info, "min", None) == spec.minimum


def test_months_before_counts_as_relativedelta() -> None:
    import datetime as dt
    import random

    from dateutil.relativedelta import relativedelta

    from qaudit.audit.memory import months_before
    from qaudit.chronology.workdays import add_months

    draw = random.Random(14)
    for _ in range(20000):
        day = dt.date.fromordinal(draw.randint(1, dt.date.max.toordinal()))
        months = draw.choice([0, 1, 2, 3, 6, 11, 12, 13, 24, draw.randint(0, 30000)])
        try:
            expected: object = day - relativedelta(months=months)
        except (ValueError, OverflowError):
            expected = ValueError
        try:
            got: object = months_before(day, months)
        except ValueError:
            got = ValueError
        assert got == expected, (day, months)
        try:
            later: object = day + relativedelta(months=months)
        except (ValueError, OverflowError):
            later = dt.date.max
        assert add_months(day, months) == later, (day, months)
        assert add_months(day, -months) == (dt.date.min if expected is ValueError
                                            else expected), (day, months)


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


def test_piped_lines_carry_the_path_exactly_as_it_is(tmp_path: Path) -> None:
    """Piped, a finding is ``path:line:col: level rule message`` with the path as the file
    system has it (rich, which wrote these lines before, turned ``:red_circle:`` in a file
    name into an emoji: an editor could not open that path)."""
    good = complete_audit(tmp_path, name="good.toml").read_text("utf-8")
    bad = tmp_path / "case :red_circle: [1].toml"
    bad.write_text(good.replace("[answers.q4]\ngrade = 3", "[answers.q4]\ngrade = 2.5", 1),
                   "utf-8")
    modules, done = imported("validate", str(bad))
    assert done.returncode == 1
    line = next(x for x in done.stdout.splitlines() if "grade-value" in x)
    assert line.startswith(f"{bad}:") and ": error grade-value " in line
    assert "rich" not in modules


KPI_LINES = [
    ["-j1", "--format", "jsonl", "{folder}"], ["-f", "csv", "{good}"],
    ["--all", "--detail", "{good}", "{late}"], ["-fjson", "--ruleset", "england-statutory",
                                                "{folder}"],
    ["--as-of", "2026-01-05", "{late}"], ["--as-of", "2026-13-01", "{good}"],
    ["{folder}/missing.toml", "{good}"], ["--", "{good}"], ["{folder}"],
]
KPI_TYPER_ONLY = [["--format", "xml", "{good}"], ["-j", "-1", "{good}"], ["-j-1", "{good}"],
                  ["-jx", "{good}"], ["--format=json", "{good}"], ["--help"], []]


def _kpi_folder(tmp_path: Path) -> dict[str, Path]:
    good = complete_audit(tmp_path, name="good.toml")
    late = next(SAMPLES.glob("*_core.toml"))
    (tmp_path / "late.toml").write_text(late.read_text("utf-8"), "utf-8")
    return {"good": good, "late": tmp_path / "late.toml", "folder": tmp_path}


@pytest.mark.parametrize("args", KPI_LINES + KPI_TYPER_ONLY)
def test_check_kpis_short_way_matches_typer(cli, tmp_path: Path, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    """check-kpis runs without typer for a plain command line (``-j1`` too): the same
    output and exit code as typer's; any other line still goes through typer."""
    words = [a.format(**_kpi_folder(tmp_path)) for a in args]
    through_typer = cli("check-kpis", *words)
    modules, fast = loaded("check-kpis", *words)
    assert fast.returncode == through_typer.exit_code, (fast.stdout, fast.stderr)
    # help wraps to the width (at a hyphen too)
    assert "".join(fast.stdout.split()) == "".join(through_typer.stdout.split())
    assert ("pydantic" in modules) is (args in KPI_TYPER_ONLY), modules


def test_check_kpis_short_way_imports_no_typer_nor_every_country(tmp_path: Path) -> None:
    words = [str(p) for p in _kpi_folder(tmp_path).values()][:2]
    modules, done = imported("check-kpis", "-j1", "--format", "jsonl", *words)
    assert done.returncode == 1, done.stderr  # the sample misses a timescale
    assert '"type":"summary"' in done.stdout.splitlines()[-1]
    assert not {"typer", "click", "pydantic", "holidays.countries"} & modules
    assert "holidays.countries.united_kingdom" in modules  # the days were counted


GC_PROBE = r'''
import atexit, gc, sys
def report():
    sys.stderr.write(f"GC {gc.isenabled()} {gc.get_freeze_count()}\n")
atexit.register(report)
sys.argv = ["qaudit", *sys.argv[1:]]
from qaudit.cli.app import main
main()
'''


@pytest.mark.parametrize("args", [
    ["validate", "--quiet", "{sample}"],  # the short way in
    ["validate", "--format=json", "{sample}"],  # through typer
    ["check-kpis", "-j1", "--format", "jsonl", "{sample}"],
])
def test_the_collector_is_off_only_while_the_command_is_imported(args: list[str]) -> None:
    """``main`` turns the cycle collector off while the command's code is imported and
    freezes what was imported (``qaudit.cli.fastpath.started``); the command itself, a batch
    of 10,000 files too, runs with the collector on."""
    sample = next(SAMPLES.glob("*_core.toml"))
    done = subprocess.run([sys.executable, "-c", GC_PROBE, *(a.format(sample=sample)
                                                             for a in args)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QAUDIT_TODAY": "2026-11-23"})
    assert done.returncode in (0, 1), done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("GC "))
    enabled, frozen = line.split()[1:]
    assert enabled == "True" and int(frozen) > 10_000, line
