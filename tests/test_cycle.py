"""Issue 13 item 3: the audit cycle as data. A folder's qaudit.toml sets the cycle's key lines of
enquiry and bespoke questions per template; `new` writes them into the audit, `fill --set` and
`validate` treat them as ordinary questions, export shows them, and an audit keeps them when
the folder moves to the next cycle."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import openpyxl
import pytest

from qaudit.config import load_config
from qaudit.errors import UsageError
from qaudit.fill.guidance import introduction
from qaudit.templates.catalogue import Catalogue
from qaudit.templates.cycle import audit_template, folder_cycle

AUTUMN = '''[qaudit]
ruleset = "core-v1.1"

[cycle]
name = "Autumn 2026"

[cycle.team-manager]
key_lines = ["How well do we hear the voice of fathers?", "Are plans written with the child?"]

[[cycle.team-manager.questions]]
id = "cost_of_living"
text = "Has the family been told about the cost-of-living support offer?"
kind = "yes_no_na_partially"
evidence = "What was offered"

[cycle.core]
key_lines = ["Is the child's identity understood?"]
'''

SPRING = '''[cycle]
name = "Spring 2027"

[cycle.team-manager]
key_lines = ["Is life story work started?"]
'''


def _settings_changed(settings: Path) -> None:
    """A later modification time: the folder's settings are cached on the file's identity and
    mtime, so the next command in this process reads the new cycle."""
    stat = settings.stat()
    os.utime(settings, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**10))


def _new(cli, folder: Path, template_id: str = "team-manager",  # type: ignore[no-untyped-def]
         case: str = "FICT-500", day: str = "2026-11-02") -> Path:
    result = cli("new", "-t", template_id, "-c", case, "--dir", folder, "--audit-date", day)
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def test_new_writes_the_cycle_and_its_questions(cli, tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text(AUTUMN, encoding="utf-8")
    result = cli("new", "-t", "team-manager", "-c", "FICT-500", "--dir", tmp_path,
                 "--audit-date", "2026-11-02")
    assert result.exit_code == 0, result.output
    assert "Audit cycle Autumn 2026: 2 key line(s) of enquiry and 1 bespoke" in result.stderr
    path = Path(result.stdout.strip())
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert data["cycle"]["name"] == "Autumn 2026"
    assert [q["id"] for q in data["cycle"]["questions"]] == [
        "cycle_kloe_1", "cycle_kloe_2", "cycle_cost_of_living"]
    assert data["answers"]["cycle_kloe_1"] == {"answer": ""}
    assert data["answers"]["cycle_cost_of_living"] == {"answer": "", "evidence": ""}
    # Key lines in the Key Lines of Enquiry section, the bespoke question under Bespoke.
    assert text.index("# KEY LINES OF ENQUIRY") < text.index("# KLOE 1. How well do we hear")
    assert text.index("# BESPOKE QUESTIONS") < text.index("# Bespoke 1. Has the family")
    # The introduction lists the cycle's key lines instead of the placeholders.
    top = text[:text.index("[audit]")]
    assert "#   - How well do we hear the voice of fathers?" in top
    assert "NEED TO BE ADDED EVERY TIME" not in top
    assert cli("validate", path).exit_code == 0


def test_core_gets_a_section_of_its_own(cli, tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text(AUTUMN, encoding="utf-8")
    text = _new(cli, tmp_path, "core").read_text(encoding="utf-8")
    assert text.index("# SECTION 15B: COVID-19") < text.index("# AUDIT CYCLE: AUTUMN 2026") \
        < text.index("# SECTION 16: OVERALL GRADING")
    assert "[answers.cycle_kloe_1]" in text


def test_fill_set_and_validate_check_cycle_answers(cli, tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text(AUTUMN, encoding="utf-8")
    path = _new(cli, tmp_path)
    refused = cli("fill", path, "--set", "cycle_cost_of_living=maybe")
    assert refused.exit_code == 1
    assert "is not one of the options; allowed: YES / NO / N/A / PARTIALLY" in refused.output
    saved = cli("fill", path, "--set", "cycle_cost_of_living=partially",
                "--set", "cycle_cost_of_living.evidence=Fictional: a leaflet was given",
                "--set", "cycle_kloe_1=Fictional: the father was seen twice")
    assert saved.exit_code == 0, saved.output
    answers = tomllib.loads(path.read_text("utf-8"))["answers"]
    assert answers["cycle_cost_of_living"] == {"answer": "PARTIALLY",
                                               "evidence": "Fictional: a leaflet was given"}
    assert answers["cycle_kloe_1"]["answer"] == "Fictional: the father was seen twice"
    # A typo in the file is a finding like any other answer.
    text = path.read_text("utf-8").replace('answer = "PARTIALLY"', 'answer = "Partly"')
    path.write_text(text, "utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    assert "value-kind Question Bespoke 1" in result.output


def test_an_audit_keeps_its_cycle_when_the_folder_moves_on(cli, tmp_path: Path) -> None:
    settings = tmp_path / "qaudit.toml"
    settings.write_text(AUTUMN, encoding="utf-8")
    autumn = _new(cli, tmp_path, case="FICT-501")
    assert cli("fill", autumn, "--set", "cycle_kloe_2=Fictional finding").exit_code == 0
    settings.write_text(SPRING, encoding="utf-8")
    _settings_changed(settings)
    spring = _new(cli, tmp_path, case="FICT-502")
    spring_data = tomllib.loads(spring.read_text("utf-8"))
    assert [q["text"] for q in spring_data["cycle"]["questions"]] == [
        "Is life story work started?"]
    assert "cycle_kloe_2" not in spring_data["answers"]
    # The autumn audit still has, fills and validates its own questions.
    assert cli("fill", autumn, "--set", "cycle_cost_of_living=YES",
               "--set", "cycle_cost_of_living.evidence=Fictional").exit_code == 0
    assert cli("validate", tmp_path).exit_code == 0
    refused = cli("fill", spring, "--set", "cycle_cost_of_living=YES")
    assert refused.exit_code != 0 and "unknown key" in refused.output


def test_export_shows_cycle_questions(cli, tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text(AUTUMN, encoding="utf-8")
    path = _new(cli, tmp_path)
    assert cli("fill", path, "--set", "cycle_kloe_1=Fictional: fathers were seen").exit_code == 0
    out = tmp_path / "panel.xlsx"
    result = cli("export-xlsx", tmp_path, "-o", out)
    assert result.exit_code in (0, 1), result.output
    sheet = openpyxl.load_workbook(out, read_only=True)["Answers"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    hit = [r for r in rows if r[4] == "KLOE 1"]
    assert hit and hit[0][5] == "How well do we hear the voice of fathers?"
    assert hit[0][7] == "Fictional: fathers were seen"


def test_a_broken_cycle_in_qaudit_toml_stops_new_with_the_file_named(cli,
                                                                     tmp_path: Path) -> None:
    (tmp_path / "qaudit.toml").write_text(AUTUMN.replace('kind = "yes_no_na_partially"',
                                                         'kind = "stars"'), encoding="utf-8")
    result = cli("new", "-t", "team-manager", "-c", "FICT-503", "--dir", tmp_path)
    assert result.exit_code == 2
    assert "qaudit.toml" in result.output and "kind “stars” is not a kind of template" \
        in result.output and "yes_no_na_partially" in result.output
    assert not list(tmp_path.glob("*_FICT-503_*"))


@pytest.mark.parametrize("table, message", [
    ('[cycle.team-manager]\nkey_lines = "one"\n', "key_lines must be a list of text"),
    ('[cycle.team-manager]\nkeylines = ["one"]\n', "unknown key “keylines”"),
    ('[[cycle.team-manager.questions]]\nkind = "text"\n', "needs text"),
    ('[[cycle.team-manager.questions]]\nid = "a b"\ntext = "x"\n', "must be letters a-z"),
    ('[cycle.team-manager]\nkey_lines = ["a"]\n[[cycle.team-manager.questions]]\n'
     'id = "kloe_1"\ntext = "x"\n', "is used twice"),
])
def test_cycle_settings_are_checked(tmp_path: Path, table: str, message: str) -> None:
    settings = tmp_path / "qaudit.toml"
    settings.write_text(f"[cycle]\nname = \"x\"\n{table}", encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        folder_cycle(load_config(settings), Catalogue().require("team-manager"))


def test_audit_template_is_shared_by_audits_of_one_cycle(tmp_path: Path) -> None:
    settings = tmp_path / "qaudit.toml"
    settings.write_text(AUTUMN, encoding="utf-8")
    base = Catalogue().require("team-manager")
    cycle = folder_cycle(load_config(settings), base)
    assert cycle is not None
    data = {"cycle": {"name": cycle.name, "questions": [q.as_table() for q in cycle.questions]}}
    first, second = audit_template(base, data), audit_template(base, dict(data))
    assert first is second and first is not base
    assert first.question("cycle_kloe_1") is not None
    assert base.question("cycle_kloe_1") is None
    assert "- Are plans written with the child?" in introduction(first)
    assert audit_template(base, {}) is base
