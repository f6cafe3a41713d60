"""Issue 13 item 2: escalation on the record. The team-manager escalation (to whom, date,
immediate actions agreed) and the core guidance-10 concern (raised with, date) are records,
dated and checked like every date; validate flags one without a date or a name."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from builders import complete_audit


@pytest.mark.parametrize("template_id, table, name_field, more", [
    ("team-manager", "escalations", "escalated_to",
     "immediate_actions=Fictional: strategy discussion the same day"),
    ("core", "safety_concerns", "raised_with", "concern=Fictional: bruising seen on a photo"),
])
def test_new_fill_add_and_validate_an_escalation(cli, tmp_path: Path, template_id: str,
                                                 table: str, name_field: str,
                                                 more: str) -> None:
    made = cli("new", "-t", template_id, "-c", "FICT-600", "--dir", tmp_path,
               "--audit-date", "2026-11-20")
    path = Path(made.stdout.strip())
    text = path.read_text("utf-8")
    assert f"# [[{table}]]" in text  # offered, commented out, until there is one
    flat = " ".join(line.lstrip("#").strip() for line in text.splitlines())
    if template_id == "core":
        assert "raise this with the relevant Team Manager immediately" in flat
    else:
        assert "who it has been escalated to and the date of escalation" in flat
    added = cli("fill", path, "--add", table, "--set", f"{name_field}=Sam Example (fictional)",
                "--set", "date=2026-11-20", "--set", more)
    assert added.exit_code == 0, added.output
    record = tomllib.loads(path.read_text("utf-8"))[table][0]
    assert record[name_field] == "Sam Example (fictional)"
    assert str(record["date"]) == "2026-11-20"
    assert cli("validate", path).exit_code == 0
    # Dated like every date: a date in the future and a date that is not a date are refused.
    future = cli("fill", path, "--set", f"{table}[0].date=2027-01-04")
    assert future.exit_code == 1 and "date-future" in future.output
    bad = cli("fill", path, "--set", f"{table}[0].date=someday")
    assert bad.exit_code == 1 and "is not a real date" in bad.output
    # Blanking the name is refused at --set, by the same rule validate uses.
    blank = cli("fill", path, "--set", f"{table}[0].{name_field}=")
    assert blank.exit_code == 1 and "escalation-incomplete" in blank.output
    assert tomllib.loads(path.read_text("utf-8"))[table][0][name_field] != ""


def test_validate_flags_an_escalation_without_a_date_in_a_draft_too(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "team-manager", status="draft")
    with path.open("a", encoding="utf-8") as out:
        out.write('\n[[escalations]]\nescalated_to = "Service Manager (fictional)"\n'
                  'immediate_actions = "Fictional: visit brought forward"\n')
    result = cli("validate", path)
    assert result.exit_code == 1
    assert 'escalation-incomplete Escalation 1: “Date of escalation” is blank' in result.output


def test_a_blank_escalation_record_is_not_a_finding(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    with path.open("a", encoding="utf-8") as out:
        out.write('\n[[safety_concerns]]\nraised_with = ""\ndate = ""\nconcern = ""\n')
    assert cli("validate", path).exit_code == 0
