"""The pre-commit hook, run by the real pre-commit tool in a temporary git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _try_repo(repo: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(REPO), "qaudit-validate", "--files", *files],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900,
    )


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="needs qaudit's own git checkout")
def test_hook_blocks_a_bad_grade_and_passes_a_good_audit(tmp_path: Path) -> None:
    council = tmp_path / "audits"
    council.mkdir()
    _git(council, "init", "-q")
    _git(council, "config", "user.email", "qa@example.invalid")
    _git(council, "config", "user.name", "QA Officer")
    good = next(p for p in sorted(SAMPLES.glob("*core*.toml")))
    shutil.copy(good, council / "good.toml")
    text = (council / "good.toml").read_text(encoding="utf-8")
    bad_text = text.replace("[answers.q4]\ngrade = ", "[answers.q4]\ngrade = 2.5 #", 1)
    assert bad_text != text, "the sample must have a q4 grade to break"
    (council / "bad.toml").write_text(bad_text, encoding="utf-8")
    _git(council, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "QAUDIT_TODAY": "2026-11-23"}

    passed = _try_repo(council, env, "good.toml")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    blocked = _try_repo(council, env, "good.toml", "bad.toml")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "Failed" in blocked.stdout
    assert "bad.toml" in blocked.stdout and "grade-value" in blocked.stdout
    assert "half gradings" in blocked.stdout
