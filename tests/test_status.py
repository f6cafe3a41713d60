"""``qaudit status``: the samples and a generated folder, through the CLI and the core."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import REPO, SAMPLES, TODAY
from qaudit.cli.app import app
from qaudit.status.collect import PARALLEL_FROM, RowFilter, status_report
from qaudit.status.row import AuditRow, attention, reasons

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def run(*args: str | Path, columns: int = 80) -> Any:
    env = {"QAUDIT_TODAY": TODAY, "NO_COLOR": "1", "COLUMNS": str(columns)}
    return CliRunner().invoke(app, ["status", *map(str, args)], env=env,
                              catch_exceptions=False)


def as_json(*args: str | Path) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_samples_one_row_each_what_needs_attention_first() -> None:
    data = as_json(SAMPLES)
    rows = data["audits"]
    assert len(rows) == 7 and data["totals"]["audits"] == 7
    by_case = {r["case_number"]: r for r in rows}
    first = rows[0]
    # the complete audits, awaiting the panel with flagged actions, come first (longest wait)
    assert [r["case_number"] for r in rows[:2]] == ["FICT-100472", "FICT-200114"]
    assert first["status"] == "complete" and first["moderation"] == "awaiting"
    assert first["awaiting_days"] > by_case["FICT-200114"]["awaiting_days"]
    assert [r["status"] for r in rows[-2:]] == ["draft", "draft"]
    assert by_case["FICT-100589"]["given"] < by_case["FICT-100589"]["required"]
    assert by_case["FICT-100589"]["warnings"] == 2
    assert by_case["FICT-100231"]["moderation"] == "done"
    assert by_case["FICT-100231"]["moderated_on"] == "2026-06-03"
    assert by_case["FICT-100472"]["uploaded_on"] == "2026-06-12"
    assert by_case["FICT-100472"]["missed"] > 0
    totals = data["totals"]
    assert totals["by_status"] == {"complete": 2, "draft": 2, "moderated": 3}
    assert totals["warnings"] == sum(r["warnings"] for r in rows)
    assert totals["open_actions"] == sum(r["open_actions"] for r in rows)
    for row in rows:  # every row says why it sorts where it does
        assert isinstance(row["attention"], list)


def test_table_fits_80_columns_plain_when_piped_no_date_split(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # as the README runs it: paths relative to the project's folder
    result = run("sample_audits")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "\x1b[" not in result.stdout
    body = "\n".join(lines)
    figures = [line for line in lines if line.startswith("  FICT-")]
    assert len(figures) == 7 and all(DATE.search(line) for line in figures)  # dates whole
    for case in ("FICT-100472", "FICT-200051", "FICT-100589"):
        assert re.search(rf"^  {case} 20\d\d-\d\d-\d\d ", body, re.MULTILINE), case
    assert "7 audits: 2 draft, 2 complete, 3 moderated" in body
    assert "2 awaiting moderation" in body
    assert "2026-06-10_FICT-100472_core.toml  core  Pri" in body  # file, template, auditor


def test_filters() -> None:
    drafts = as_json(SAMPLES, "--status", "draft")["audits"]
    assert {r["status"] for r in drafts} == {"draft"} and len(drafts) == 2
    team = as_json(SAMPLES, "--team", "adolescent")["audits"]
    assert {r["case_number"] for r in team} == {"FICT-200051", "FICT-100318"}
    gwen = as_json(SAMPLES, "--auditor", "GWEN")["audits"]
    assert {r["auditor"] for r in gwen} == {"Gwen Harrowby"}
    since = as_json(SAMPLES, "--since", "2026-07-01")
    assert all(r["audit_date"] >= "2026-07-01" for r in since["audits"])
    assert len(since["audits"]) == 3 and since["read"] == 7
    assert "(of 7 read)" in run(SAMPLES, "--since", "2026-07-01").stdout
    bad = run(SAMPLES, "--since", "July")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr


def test_csv_reads_back() -> None:
    result = run(SAMPLES, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 7
    assert rows[0]["case_number"] == "FICT-100472" and rows[0]["status"] == "complete"
    assert rows[0]["auditor"] == "Priya Lanchester" and rows[0]["uploaded"] == "yes"


def test_a_broken_file_is_a_row_first_and_the_others_still_count(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "audits")
    (tmp_path / "audits" / "zz_broken.toml").write_text("[audit\n", encoding="utf-8")
    result = run(tmp_path / "audits", "--format", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)["audits"]
    assert rows[0]["status"] == "unreadable" and rows[0]["file"].endswith("zz_broken.toml")
    assert "not valid TOML" in rows[0]["problem"]
    assert len(rows) == 8
    table = run(tmp_path / "audits")
    assert "unreadable" in table.stdout and "Traceback" not in table.output


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path / "nowhere")
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


def test_stale_moderation_sorts_before_awaiting() -> None:
    day = dt.date(2026, 6, 1)
    stale = AuditRow("a.toml", "stale", audit_date=day)
    awaiting = AuditRow("b.toml", "complete", audit_date=day, awaiting_days=40,
                        emailed_on=day, uploaded_on=day)
    broken = AuditRow("c.toml", "unreadable", errors=1)
    done = AuditRow("d.toml", "moderated", audit_date=day, emailed_on=day, uploaded_on=day)
    assert sorted([done, awaiting, stale, broken], key=attention) == \
        [broken, stale, awaiting, done]
    assert reasons(stale)[0] == "changed since moderation"
    assert reasons(done) == []


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More audits than the parallel threshold, from benchmarks/generate.py."""
    folder = tmp_path_factory.mktemp("generated") / "audits"
    count = PARALLEL_FROM + 40
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(count),
                    str(folder), "--seed", "7"], check=True, capture_output=True)
    shutil.copy(SAMPLES / "qaudit.toml", folder / "qaudit.toml")
    return folder


def test_generated_folder_in_workers_matches_one_process(generated: Path) -> None:
    today = dt.date.fromisoformat(TODAY)
    one = status_report([generated], today, jobs=1)
    two = status_report([generated], today, jobs=2)
    assert one.rows == two.rows and one.totals == two.totals
    assert one.totals.audits == PARALLEL_FROM + 40
    lines = (generated / "mistakes.txt").read_text(encoding="utf-8").splitlines()
    mistakes = {line.split(":")[0] for line in lines if line.strip()}
    with_errors = {Path(r.file).name for r in one.rows if r.errors}
    assert with_errors and with_errors <= mistakes  # only the deliberate mistakes
    assert all(r.errors for r in one.rows[:len(with_errors)])  # errors first
    kept = status_report([generated], today, RowFilter(status="moderated"), jobs=2)
    assert kept.rows and {r.status for r in kept.rows} == {"moderated"}
    assert kept.scanned == one.totals.audits


def test_a_moderated_audit_changed_since_the_panel_is_stale(tmp_path: Path) -> None:
    from qaudit.audit.writer import AuditEditor
    from qaudit.moderation.digest import record_digest
    from qaudit.templates.catalogue import Catalogue

    shutil.copy(SAMPLES / "qaudit.toml", tmp_path / "qaudit.toml")
    audit = tmp_path / "moderated.toml"
    shutil.copy(SAMPLES / "2026-05-20_FICT-100231_core.toml", audit)
    template = Catalogue().require("core", "1.1")
    editor = AuditEditor(audit)
    record_digest(editor, template, dt.date(2026, 6, 3))
    editor.save()
    assert as_json(audit)["audits"][0]["status"] == "moderated"
    editor = AuditEditor(audit)
    editor.set("answers.q4.grade", 1 if editor.get("answers.q4.grade") != 1 else 2)
    editor.save()
    result = run(audit, "--format", "json")
    assert result.exit_code == 1  # moderation-stale is an error validate reports
    row = json.loads(result.stdout)["audits"][0]
    assert row["status"] == "stale" and row["moderation"] == "done"
    assert "changed since moderation" in row["attention"]
