"""The installed package carries everything it needs and runs as `python -m qaudit`.

CI installs with a plain `pip install '.[test]'` (not editable), so these run against the
installed files: a template, rule set or schema left out of the wheel fails here.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import qaudit
from conftest import REPO


def test_python_dash_m_runs_from_any_folder(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "qaudit", "templates"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "core" in done.stdout and "team-manager" in done.stdout


def test_templates_rule_sets_and_schemas_are_inside_the_package() -> None:
    package = resources.files("qaudit")
    templates = sorted(p.name for p in package.joinpath("templates").iterdir())
    assert {"core.toml", "team-manager.toml"} <= set(templates)
    rulesets = sorted(p.name for p in package.joinpath("rulesets").iterdir())
    assert {"core-v1.1.toml", "england-statutory.toml"} <= set(rulesets)
    if "site-packages" in str(Path(qaudit.__file__)):
        schemas = {p.name for p in package.joinpath("schemas").iterdir()}
        assert schemas == {p.name for p in (REPO / "schemas").glob("*.json")}
