"""Golden cases: every file under tests/cases/<template>/{valid,invalid}/ through `qaudit validate`.

A valid case must validate clean (exit 0, no findings). An invalid case lists, in comment lines
at its top, every finding it must produce, one per line:

    # expect: <line>:<column> <level> <rule-id>

and `qaudit validate --format json` must report exactly those (the full multiset, nothing more,
nothing less). A case may also state what a finding says, one line each:

    # message: <rule-id>: <text the finding's message contains>
 Its exit code is 1 when an error is expected; a case with warnings only exits 0,
and 1 with --strict. New cases are picked up automatically.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import CASES

EXPECT = re.compile(r"^# expect: (\d+):(\d+) (error|warning) ([a-z0-9-]+)$")
MESSAGE = re.compile(r"^# message: ([a-z0-9-]+): (.+)$")
TEMPLATES = ("core", "team-manager")

Finding = tuple[int, int, str, str]


def _cases(kind: str) -> list[Path]:
    return sorted(CASES.glob(f"*/{kind}/*.toml"))


def _id(path: Path) -> str:
    return path.relative_to(CASES).as_posix()


def expectations(path: Path) -> list[Finding]:
    """The `# expect:` lines at the top of a case; a malformed one fails the test."""
    found: list[Finding] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# expect"):
            match = EXPECT.match(line)
            assert match, f"{path.name}: malformed expectation {line!r}"
            found.append((int(match[1]), int(match[2]), match[3], match[4]))
    return found


def stated_messages(path: Path) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# message"):
            match = MESSAGE.match(line)
            assert match, f"{path.name}: malformed message line {line!r}"
            found.append((match[1], match[2]))
    return found


def run_json(cli, path: Path, *extra: str) -> tuple[int, list[Finding]]:  # type: ignore[no-untyped-def]
    result = cli("validate", "--format", "json", *extra, path)
    data = json.loads(result.stdout)
    findings = [(f["line"], f["column"], f["level"], f["rule"]) for f in data["findings"]]
    return result.exit_code, findings


def test_every_folder_has_cases() -> None:
    for template in TEMPLATES:
        for kind in ("valid", "invalid"):
            assert list((CASES / template / kind).glob("*.toml")), f"no cases in {template}/{kind}"


@pytest.mark.parametrize("path", _cases("valid"), ids=_id)
def test_valid_case_is_clean(cli, path: Path) -> None:  # type: ignore[no-untyped-def]
    assert expectations(path) == [], "a valid case must not state expectations"
    code, findings = run_json(cli, path)
    assert findings == []
    assert code == 0


@pytest.mark.parametrize("path", _cases("invalid"), ids=_id)
def test_invalid_case_states_expectations(path: Path) -> None:
    assert expectations(path), f"{_id(path)} states no '# expect:' line"


@pytest.mark.parametrize("path", _cases("invalid"), ids=_id)
def test_invalid_case_findings(cli, path: Path) -> None:  # type: ignore[no-untyped-def]
    expected = expectations(path)
    code, findings = run_json(cli, path)
    assert Counter(findings) == Counter(expected), (
        f"missing {sorted((Counter(expected) - Counter(findings)).elements())}, "
        f"unexpected {sorted((Counter(findings) - Counter(expected)).elements())}"
    )
    messages = json.loads(cli("validate", "--format", "json", path).stdout)["findings"]
    for rule, text in stated_messages(path):
        assert any(f["rule"] == rule and text in f["message"] for f in messages), (rule, text)
    has_error = any(level == "error" for _, _, level, _ in expected)
    assert code == (1 if has_error else 0)
    if not has_error:
        strict_code, _ = run_json(cli, path, "--strict")
        assert strict_code == 1


def test_expectation_parser_rejects_typos(tmp_path: Path) -> None:
    case = tmp_path / "typo.toml"
    case.write_text("# expect: 3:1 eror grade-value\n[audit]\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        expectations(case)
