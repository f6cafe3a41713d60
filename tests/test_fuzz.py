"""A bounded fuzz test: mutated audits (fixed seed) through validate, check-kpis and
export-xlsx as a user runs them. No traceback, exit codes in {0, 1, 2}, no file stops the
batch, and every file that is not TOML (by the standard library's independent parser) is
named by each command. QAUDIT_FUZZ_FILES scales it (the README quotes the default)."""

from __future__ import annotations

import json
import os
import random
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from builders import complete_audit

FILES = int(os.environ.get("QAUDIT_FUZZ_FILES", "2000"))
SEED = 14

# Values that broke or could break a parser: digits that are not ASCII, calendar edges,
# numbers out of range, wrong types, control and non-characters, deep nesting.
HOSTILE_VALUES = [
    '"\u00b2"', '"\u0663"', '"\uff13"', "0001-01-01", "9999-12-31", "2026-02-30", '"2026-13-01"',
    "1e309", "-0", "2.5", "nan", "inf", "-inf", '""', "[]", "{}", "true", "false",
    "99999999999999999999", "-9223372036854775809", "0x10", "1_000", "1979-05-27T07:32:00Z",
    "07:32:00", '"\\u0000"', '"\\uFFFF"', '"\\ud800"', '"' + "x" * 5000 + '"',
    "[" * 60 + "]" * 60, '{ a = { b = { c = 1 } } }', '"N/A"', '"n/a"', "'3'", '"3 "', "3.0",
    '"=HYPERLINK(\\"x\\")"', '"\\u0001=cmd|calc"', '"\u202e"', "[1, \"two\", 3.0]",
]
LINE_VALUE = re.compile(rb"^([ \t]*[A-Za-z0-9_.\"'-]+[ \t]*=[ \t]*)(.*)$", re.M)


def mutate(base: bytes, rng: random.Random) -> bytes:
    data = bytearray(base)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        op = rng.randrange(10)
        if op <= 3:  # a value replaced by a hostile one
            lines = list(LINE_VALUE.finditer(bytes(data)))
            if lines:
                m = rng.choice(lines)
                value = rng.choice(HOSTILE_VALUES).encode("utf-8")
                data[m.start(2):m.end(2)] = value
        elif op == 4:  # a byte changed
            i = rng.randrange(len(data))
            data[i] = rng.randrange(256)
        elif op == 5:  # a piece deleted
            i = rng.randrange(len(data))
            del data[i:i + rng.randrange(1, 200)]
        elif op == 6:  # a line duplicated (duplicate keys and tables)
            lines = bytes(data).splitlines(keepends=True)
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            data = bytearray(b"".join(lines))
        elif op == 7:  # cut short
            data = data[: rng.randrange(len(data))]
        elif op == 8:  # byte-order marks, NUL, CRLF
            choice = rng.randrange(4)
            if choice == 0:
                data[0:0] = "\ufeff".encode() * rng.choice((1, 2))
            elif choice == 1:
                data.insert(rng.randrange(len(data) + 1), 0)
            elif choice == 2:
                data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
            else:
                data.insert(rng.randrange(len(data) + 1), 0x0D)
        else:  # a header renamed or emptied
            headers = [m for m in re.finditer(rb"^\[[^\]\n]*\]", bytes(data), re.M)]
            if headers:
                m = rng.choice(headers)
                data[m.start():m.end()] = rng.choice(
                    [b"[]", b"[answers]", b"[audit]", b"[[actions]]", b"[case.x.y]"])
    return bytes(data)


def is_toml(raw: bytes) -> bool:
    """Independent check: the standard library's parser (one byte-order mark allowed)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    text = text.removeprefix("\ufeff")
    if "\x00" in text or not text.strip():
        return False
    try:
        tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return False
    return True


@pytest.fixture(scope="module")
def mutants(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    folder = tmp_path_factory.mktemp("fuzz")
    seeds = [complete_audit(folder, "core", "seed-core.toml"),
             complete_audit(folder, "team-manager", "seed-tm.toml"),
             complete_audit(folder, "core", "seed-draft.toml", status="draft")]
    # Without the question comments qaudit new writes: 5-10 KB, so more mutations hit values.
    bases = [b"\n".join(line for line in p.read_bytes().splitlines()
                        if not line.lstrip().startswith(b"#")) + b"\n" for p in seeds]
    for p in seeds:
        p.unlink()
    rng = random.Random(SEED)
    broken: set[str] = set()
    for n in range(FILES):
        raw = mutate(rng.choice(bases), rng)
        name = f"m{n:05d}.toml"
        (folder / name).write_bytes(raw)
        if not is_toml(raw):
            broken.add(name)
    assert 0.1 * FILES < len(broken) < 0.9 * FILES, "the mutations mix valid and broken"
    return folder, broken


@pytest.fixture
def cli_catching() -> Any:
    """The CLI in this process, an escaping exception caught as the result (not raised)."""
    from typer.testing import CliRunner

    from qaudit.cli.app import app

    runner = CliRunner()

    def invoke(*args: str | os.PathLike[str]) -> Any:
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=True)

    return invoke


def _clean(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    assert result.exit_code in (0, 1, 2), result.output[-2000:]
    assert "Traceback" not in result.output


VALIDATE_ERRORS: dict[str, set[str]] = {}  # files with an error in validate, per folder


def validate_errors(cli_catching: Any, folder: Path) -> set[str]:
    if str(folder) not in VALIDATE_ERRORS:
        result = cli_catching("validate", folder, "--format", "json")
        _clean(result)
        report = json.loads(result.stdout)
        assert report["files"] == FILES
        assert [f for f in report["findings"] if f["rule"] == "internal-error"] == []
        VALIDATE_ERRORS[str(folder)] = {Path(f["path"]).name for f in report["findings"]
                                        if f["level"] == "error"}
    return VALIDATE_ERRORS[str(folder)]


def test_validate_names_every_broken_file(cli_catching, mutants) -> None:  # type: ignore[no-untyped-def]
    folder, broken = mutants
    errors = validate_errors(cli_catching, folder)
    assert broken - errors == set(), "every file that is not TOML has an error"
    print(f"fuzz validate: {FILES} mutated files, {len(broken)} not TOML, "
          f"{len(errors)} with errors")


def test_check_kpis_names_every_broken_file(cli_catching, mutants) -> None:  # type: ignore[no-untyped-def]
    folder, broken = mutants
    result = cli_catching("check-kpis", folder, "--format", "json")
    _clean(result)
    report = json.loads(result.stdout)
    named = {Path(f["path"]).name for f in report["findings"]}
    assert broken - named == set()
    # The last line of defence caught any unexpected error in one file as a finding; a file
    # validate accepts must never need it.
    internal = {Path(f["path"]).name for f in report["findings"] if f["rule"] == "internal-error"}
    assert internal - validate_errors(cli_catching, folder) == set()
    print(f"fuzz check-kpis: {FILES} mutated files, {len(named)} named, {len(internal)} "
          "internal-error findings (all in files validate refuses)")


def test_export_names_every_broken_file(cli_catching, mutants, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder, broken = mutants
    subset = sorted(folder.glob("m*.toml"))[: max(200, FILES // 4)]
    part = tmp_path / "part"
    part.mkdir()
    for path in subset:
        (part / path.name).symlink_to(path)
    out = tmp_path / "panel.xlsx"
    result = cli_catching("export-xlsx", part, "-o", out)
    _clean(result)
    named = {name for name in (p.name for p in subset) if name in result.output}
    assert {p.name for p in subset} & broken - named == set()
    internal = {name for name in named if f"{name}:1:1: error internal-error" in result.output}
    assert internal - validate_errors(cli_catching, folder) == set()
    assert out.exists() or result.exit_code == 2
