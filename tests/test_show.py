"""``qaudit show`` and a council's own template through show and render (no code)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES, TODAY
from qaudit.cli.app import app
from qaudit.cli.show_cmd import should_page
from render_support import docx_text


def run(*args: str | Path, columns: int = 80) -> Any:
    env = {"QAUDIT_TODAY": TODAY, "NO_COLOR": "1", "COLUMNS": str(columns)}
    return CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


def test_show_reads_as_a_person_reads_it() -> None:
    result = run("show", SAMPLES / "2026-06-10_FICT-100472_core.toml")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for wanted in ("Core Audit Template V1.1: FICT-100472", "Case number: FICT-100472",
                   "Auditor's overall grading: 3 Good",
                   "2.2. Visits to the child: 2 Requires Improvement to be Good",
                   "Section 13: The Parents/Carers Views", "Parent/Carer 1",
                   "Section 17: Recommended Actions", "Timescales", "working days late",
                   "Still missing before it can be complete",
                   "Nothing: every required answer is given."):
        assert wanted in out, wanted
    assert out.index("Section 2: Key Performance") < out.index("Section 17: Recommended")
    assert "\x1b[" not in out  # plain when piped
    assert all(len(line) <= 80 for line in out.splitlines())
    assert all(line == line.rstrip() for line in out.splitlines())


def test_show_a_draft_lists_what_is_missing_by_section() -> None:
    result = run("show", SAMPLES / "2026-09-14_FICT-100589_core.toml")
    assert result.exit_code == 0
    missing = result.stdout.split("Still missing before it can be complete", 1)[1]
    assert "Section 9: Working with Other Agencies (5)" in missing
    assert "question 36 is not answered" in missing
    assert missing.index("Section 9:") < missing.index("Section 16:")
    assert "line " in missing


def test_show_moderation_record_only_when_moderated() -> None:
    moderated = run("show", SAMPLES / "2026-03-18_FICT-100318_core.toml").stdout
    assert "Section 18: Moderation Panel" in moderated
    draft = run("show", SAMPLES / "2026-09-14_FICT-100589_core.toml").stdout
    assert "Section 18: Moderation Panel" not in draft


def test_pager_only_at_a_terminal_and_only_when_long() -> None:
    long_text = "line\n" * 100
    assert should_page(long_text, 40, terminal=True)
    assert not should_page(long_text, 40, terminal=False)
    assert not should_page("short\n", 40, terminal=True)


def test_show_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[audit\n", encoding="utf-8")
    result = run("show", broken)
    assert result.exit_code == 1 and "toml-syntax" in result.stdout
    assert "Traceback" not in result.output


COUNCIL_TEMPLATE = '''
[template]
id = "council-review"
version = "2.0"
title = "Northdale Practice Review"
organisation = "Northdale Council (fictional)"

[kinds.rating]
base = "grade"
values = [1, 2, 3]
names = { "1" = "Weak", "2" = "Adequate", "3" = "Strong" }

[kinds.text]
base = "text"

[kinds.date]
base = "date"

[[sections]]
id = "who"
title = "Who and when"
table = "case"

[[sections.fields]]
id = "ref"
text = "Reference"
kind = "text"
role = "case_number"
required = true

[[sections.fields]]
id = "reviewer"
text = "Reviewer"
kind = "text"
role = "auditor"

[[sections.fields]]
id = "day"
text = "Review day"
kind = "date"
role = "audit_date"

[[sections]]
id = "practice"
number = "A"
title = "Direct practice"

[[sections.questions]]
id = "a1"
number = "A1"
text = "Does the record show the child's wishes?"
kind = "rating"
evidence = "What shows it"

[[sections.questions]]
id = "a2"
number = "A2"
text = "Is the plan reviewed on time?"
kind = "rating"
evidence = "What shows it"

[[sections]]
id = "summary"
number = "B"
title = "Summing up"

[[sections.questions]]
id = "overall"
number = "B1"
text = "Overall judgement"
kind = "rating"
evidence = "Reasons"
role = "overall_grade"
'''

COUNCIL_AUDIT = '''
[audit]
template = "council-review"
template_version = "2.0"
status = "complete"

[case]
ref = "FICT-900001"
reviewer = "Ola Brightwater"
day = 2026-10-01

[answers.a1]
grade = 3
evidence = "Wishes recorded in the child's words on 12/09/26."

[answers.a2]
grade = 1
evidence = "Review 9 weeks late."

[answers.overall]
grade = 2
evidence = "Warm direct work; reviews drift."
'''


@pytest.fixture
def council(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "council-review.toml").write_text(
        textwrap.dedent(COUNCIL_TEMPLATE), encoding="utf-8")
    (tmp_path / "qaudit.toml").write_text('[qaudit]\ntemplate_dirs = ["templates"]\n',
                                          encoding="utf-8")
    audit = tmp_path / "review.toml"
    audit.write_text(textwrap.dedent(COUNCIL_AUDIT), encoding="utf-8")
    return audit


def test_a_councils_own_template_shows_and_renders_without_code(council: Path) -> None:
    shown = run("show", council)
    assert shown.exit_code == 0, shown.output
    assert "Northdale Practice Review: FICT-900001" in shown.stdout
    assert "A1. Does the record show the child's wishes?: 3 Strong" in shown.stdout
    assert "Auditor's overall grading: 2 Adequate" in shown.stdout
    out = council.parent / "out"
    assert run("render", council, "-o", out / "r.docx").exit_code == 0
    text = docx_text(out / "r.docx")
    for wanted in ("Northdale Practice Review: FICT-900001", "Section A: Direct practice",
                   "Is the plan reviewed on time?", "1 Weak", "Review 9 weeks late.",
                   "Section B: Summing up", "Northdale Council (fictional)"):
        assert wanted in text, wanted
    mosaic = run("render", council, "--format", "mosaic").stdout
    assert mosaic.startswith("AUDITOR'S COMMENTS\nOverall grading: 2 Adequate\n"
                             "Warm direct work; reviews drift.")
    status = run("status", council.parent, "--format", "csv").stdout
    assert "FICT-900001,council-review,Ola Brightwater" in status
