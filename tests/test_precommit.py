"""The pre-commit hook as the README shows it, tried as a council does it: its own copy of
qaudit (a clone of this repository, tagged as the README says), an audit repository with the
README's .pre-commit-config.yaml exactly as printed (only the URL pointing at the copy), and
the real pre-commit building qaudit into an environment of its own."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_snippet() -> str:
    """The YAML block that follows the README's pre-commit paragraph."""
    start = README.index("**pre-commit.**")
    block = re.search(r"```yaml\n(.*?)```", README[start:], re.S)
    assert block, "the README shows the .pre-commit-config.yaml"
    return block.group(1)


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return done.stdout


def _index_reachable() -> bool:
    """pre-commit installs qaudit's dependencies with pip: is a package index there?"""
    try:
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                               "--no-cache-dir", "-d", os.devnull + ".d", "tomlkit"],
                              capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False
    finally:
        shutil.rmtree(os.devnull + ".d", ignore_errors=True)
    return done.returncode == 0


def test_the_readme_rev_is_the_package_version() -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    snippet = readme_snippet()
    assert f"rev: v{version}\n" in snippet
    assert f"git tag v{version}" in README, "the README says how the council's copy gets it"


@pytest.mark.skipif(not (REPO / ".git").exists(), reason="needs qaudit's own git checkout")
def test_the_readme_config_blocks_a_bad_grade_and_passes_a_good_audit(tmp_path: Path) -> None:
    if not _index_reachable():
        pytest.skip("no package index reachable (PyPI): pre-commit cannot install qaudit's "
                    "dependencies into its own environment, so the hook cannot be built")
    # The council's copy of qaudit, tagged as the README tells them.
    copy = tmp_path / "council-qaudit"
    subprocess.run(["git", "clone", "-q", str(REPO), str(copy)], check=True)
    version = tomllib.loads((copy / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    if f"v{version}" not in _git(copy, "tag", "-l").split():
        _git(copy, "-c", "user.email=qa@example.invalid", "-c", "user.name=QA", "tag",
             f"v{version}")

    council = tmp_path / "audits"
    council.mkdir()
    _git(council, "init", "-q")
    _git(council, "config", "user.email", "qa@example.invalid")
    _git(council, "config", "user.name", "QA Officer")
    snippet = readme_snippet()
    url = re.search(r"repo: (\S+)", snippet)
    assert url
    (council / ".pre-commit-config.yaml").write_text(
        snippet.replace(url.group(1), copy.as_uri()), encoding="utf-8")
    good = next(p for p in sorted(SAMPLES.glob("*core*.toml")))
    shutil.copy(good, council / "good.toml")
    text = (council / "good.toml").read_text(encoding="utf-8")
    bad_text = text.replace("[answers.q4]\ngrade = ", "[answers.q4]\ngrade = 2.5 #", 1)
    assert bad_text != text, "the sample must have a q4 grade to break"
    (council / "bad.TOML").write_text(bad_text, encoding="utf-8")
    (council / ".good.toml.abc123-1-ffffff.qaudit-tmp").write_text("half", "utf-8")
    _git(council, "add", "good.toml")
    # No virtual environment active: PATH without this one's bin folder.
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if Path(p) != Path(sys.executable).parent)
    env = {**os.environ, "PATH": path, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "QAUDIT_TODAY": "2026-11-23"}
    env.pop("VIRTUAL_ENV", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(PRE_COMMIT), "run", *args], cwd=council, env=env,
                              capture_output=True, text=True, timeout=900)

    passed = run()  # the staged files: good.toml
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout

    _git(council, "add", "-A")
    blocked = run()
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert "Failed" in blocked.stdout
    assert "bad.TOML" in blocked.stdout and "grade-value" in blocked.stdout
    assert "half gradings" in blocked.stdout
    assert "file-temp" in blocked.stdout and ".qaudit-*" in blocked.stdout
