"""The JSON Schemas in schemas/: generated from the templates, never stale, and accepted by the
real taplo (the engine behind the Even Better TOML editor extension)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from builders import complete_audit
from conftest import REPO, SAMPLES

TAPLO = Path(sys.executable).with_name("taplo")


def test_committed_schemas_are_up_to_date(cli) -> None:
    result = cli("schema", "--check", REPO / "schemas")
    assert result.exit_code == 0, result.output


def test_check_reports_a_stale_schema(cli, tmp_path: Path) -> None:
    cli("schema", "--write", tmp_path)
    stale = tmp_path / "core-1.1.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("Inadequate", "Poor"), "utf-8")
    result = cli("schema", "--check", tmp_path)
    assert result.exit_code == 1
    assert "core-1.1.schema.json: stale" in result.output


def test_schema_describes_grades_and_questions(cli) -> None:
    schema = json.loads(cli("schema", "--template", "core").output)
    q4 = schema["properties"]["answers"]["properties"]["q4"]
    assert q4["properties"]["grade"]["enum"] == [1, 2, 3, 4, "N/A", ""]
    assert "Is the reason for Children" in q4["properties"]["grade"]["description"]
    assert q4["additionalProperties"] is False
    assert schema["properties"]["parents"]["maxItems"] == 2


def _taplo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(TAPLO), "check", "--colors", "never", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_taplo_accepts_the_sample_audits() -> None:
    files = sorted(str(p) for p in SAMPLES.glob("*.toml") if p.name != "qaudit.toml")
    assert files
    result = _taplo(*files, cwd=SAMPLES)
    assert result.returncode == 0, result.stderr


def test_taplo_refuses_a_half_grade(tmp_path: Path) -> None:
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    path = complete_audit(tmp_path)
    text = path.read_text(encoding="utf-8").replace("#:schema schemas/x.json",
                                                    "#:schema schemas/core-1.1.schema.json")
    path.write_text(text, encoding="utf-8")
    assert _taplo(str(path), cwd=tmp_path).returncode == 0
    path.write_text(text.replace("[answers.q12]\ngrade = 3", "[answers.q12]\ngrade = 2.5"), "utf-8")
    result = _taplo(str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "2.5 is not one of" in result.stderr
