"""check-kpis and validate output: fits 80 columns without splitting a date, JSON Lines and
the streamed JSON document carry the same records, and a missing path exits 2 everywhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES

_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
SPLIT_DATE = re.compile(rf"(?:\b\d{{4}}-\d{{0,2}}-?\d?\n)|(?:{_DAY}\n)|(?:{_DAY} \d{{1,2}}\n)"
                        rf"|(?:\d{{1,2}} {_MONTH}\n\s*\d{{4}})")


@pytest.mark.parametrize("target", [Path("sample_audits"),
                                    Path("sample_audits/2026-06-10_FICT-100472_core.toml")])
def test_80_columns_no_line_too_long_and_no_date_split(cli, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                       target: Path) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(REPO)  # as the README runs it: paths relative to the project's folder
    output = cli("check-kpis", target).output
    too_long = [line for line in output.splitlines() if len(line) > 80]
    assert too_long == []
    assert SPLIT_DATE.search(output) is None
    assert re.search(r"\d{4}-\d{2}-\d{2}", output)  # dates are there, whole


def test_a_folder_prints_the_overview_not_every_record(cli) -> None:  # type: ignore[no-untyped-def]
    output = cli("check-kpis", SAMPLES).output
    assert len(output.splitlines()) < 200  # was 5,128 lines
    assert "Compliance per rule" in output and "Compliance per case status" in output
    labels = [line.split()[0] for line in output.split("Compliance per rule")[1]
              .split("Compliance per team")[0].splitlines()[3:] if line.strip()]
    assert len(labels) == len(set(labels))  # every rule named in full, once
    assert "tm-assessment-updated-cic" in labels and "tm-assessment-updated" in labels


def test_json_lines_and_the_json_document_carry_the_same_records(cli) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(cli("check-kpis", SAMPLES, "--format", "json").output)
    lines = [json.loads(line) for line in
             cli("check-kpis", SAMPLES, "--format", "jsonl").output.splitlines()]
    records = [{k: v for k, v in line.items() if k != "type"} for line in lines
               if line["type"] == "record"]
    assert records == document["records"] and len(records) > 300
    assert [line["type"] for line in lines][-1] == "summary"
    assert lines[-1]["total"] == document["summary"]["total"]
    assert document["files"] == 7
    assert all(r["explanation"] for r in records)


def test_validate_json_lines_and_document(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bad.toml").write_text("[audit\n", encoding="utf-8")
    document = json.loads(cli("validate", tmp_path, "--format", "json").output)
    assert document["files"] == 1 and document["errors"] == 1
    assert document["findings"][0]["rule"] == "toml-syntax"
    lines = [json.loads(x) for x in cli("validate", tmp_path, "-f", "jsonl").output.splitlines()]
    assert [x["type"] for x in lines] == ["finding", "summary"]


@pytest.mark.parametrize("command", [
    ["check-kpis"], ["moderate", "--summary"], ["actions", "list"],
    ["export-xlsx", "-o", "{tmp}/panel.xlsx"]])
def test_a_missing_path_exits_2_from_every_command(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                   command: list[str]) -> None:
    panel = tmp_path / "panel.xlsx"
    panel.write_bytes(b"the panel's workbook")
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    result = cli(*args, tmp_path / "no-such-folder")
    assert result.exit_code == 2
    assert "no-such-folder: no such file or folder" in result.output
    assert panel.read_bytes() == b"the panel's workbook"  # never replaced
