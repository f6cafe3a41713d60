"""The front-ends call the core's checks: the line walk, --set, --reopen and moderate's
options refuse what validate refuses and accept the same spellings (through the CLI)."""

from __future__ import annotations

from pathlib import Path

from builders import blank_audit, complete_audit
from qaudit.audit.reader import read_audit


def _get(path: Path, key: str) -> object:
    return read_audit(path).get(key)  # type: ignore[union-attr]


def test_the_walk_refuses_a_future_date_and_asks_again(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    result = cli("fill", path, "--question", "case.audit_date", input="2027-01-05\n18/11/2026\n")
    assert result.exit_code == 0, result.output
    assert "Not accepted" in result.output and "in the future" in result.output
    assert str(_get(path, "case.audit_date")) == "2026-11-18"


def test_set_and_moderate_read_a_grade_name_alike(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    one = complete_audit(tmp_path, "team-manager", name="one.toml")
    two = complete_audit(tmp_path, "team-manager", name="two.toml")
    assert cli("fill", one, "--set", "sections.overall.moderator_grade=good").exit_code == 0
    moderated = cli("moderate", two, "--partial", "--overall-grade", "good")
    assert moderated.exit_code == 0, moderated.output
    assert _get(one, "sections.overall.moderator_grade") == 3
    assert _get(two, "sections.overall.moderator_grade") == 3


def test_set_refuses_a_cross_field_problem_with_its_position(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = complete_audit(tmp_path)  # meeting 2026-10-01
    before = path.read_bytes()
    result = cli("fill", path, "--set", "case.audit_date=30/09/2026")
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "error date-order" in result.output
    assert "nothing was written" in result.output and path.read_bytes() == before


def test_a_moderated_answer_needs_reopen(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = complete_audit(tmp_path)
    assert cli("moderate", path, "--date", "2026-10-20", "--scaling", "3",
               "--agree").exit_code == 0
    refused = cli("fill", path, "--set", "q59=1")
    assert refused.exit_code == 1 and "moderation-stale" in refused.output
    assert cli("fill", path, "--reopen", "x").exit_code == 2  # --reopen goes with --set
    done = cli("fill", path, "--reopen", "Typed wrong", "--set", "q59=1")
    assert done.exit_code == 0, done.output
    assert _get(path, "audit.status") == "complete" and _get(path, "answers.q59.grade") == 1
    assert cli("validate", path).exit_code == 0


def test_qaudit_today_is_read_by_the_one_date_parser(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """$QAUDIT_TODAY goes through the same strict date parser as every typed date: a day that
    does not exist or a year qaudit does not count is a usage error (exit 2) naming it."""
    path = complete_audit(tmp_path)
    for bad in ("2026-13-01", "2026-02-30", "0001-01-01", "２０２６-１１-３０"):
        monkeypatch.setenv("QAUDIT_TODAY", bad)
        result = cli("check-kpis", path)
        assert result.exit_code == 2, (bad, result.output)
        assert "$QAUDIT_TODAY" in result.output and "YYYY-MM-DD" in result.output
    monkeypatch.setenv("QAUDIT_TODAY", "2026-11-30")
    assert cli("check-kpis", path).exit_code in (0, 1)
