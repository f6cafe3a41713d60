"""Issue 13 item 1: the whole form reaches the auditor. `new` writes the introduction's guidance,
expected outcomes, labelled "What does GOOD look like?" guidance, grade descriptors and one-line
prompts; core 18 A has its own scale, 18 B no N/A, Q55-58 are required with N/A allowed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from builders import complete_audit
from qaudit.fill.guidance import descriptor_lines, introduction, item_help, section_intro
from qaudit.templates.catalogue import Catalogue, Section, Template


def _new(cli, folder: Path, template_id: str) -> Path:  # type: ignore[no-untyped-def]
    result = cli("new", "-t", template_id, "-c", "FICT-13", "--dir", folder,
                 "--audit-date", "2026-11-02")
    assert result.exit_code == 0, result.output
    return Path(result.stdout.strip())


def _section(template: Template, section_id: str) -> Section:
    return next(s for s in template.sections if s.id == section_id)


def test_core_introduction_is_written_once_at_the_top(cli, tmp_path: Path) -> None:
    text = _new(cli, tmp_path, "core").read_text(encoding="utf-8")
    top = text[:text.index("[audit]")]
    flat = " ".join(line.lstrip("#").strip() for line in top.splitlines())
    assert text.count("# GUIDANCE") == 1
    assert "# Completing the audit:" in top and "# After the audit is complete:" in top
    assert "based on the last 6 months of our work with the child" in flat
    assert "# 10. If auditors have serious concerns around the safety of the child" in top
    assert "on the day that the audit is completed" in flat
    # and it is said only once: the number 13 point appears nowhere else
    assert text.count("within 10 working days of the audit being uploaded") == 1


def test_team_manager_outcomes_labelled_guidance_descriptors_and_prompts(cli,
                                                                        tmp_path: Path) -> None:
    text = _new(cli, tmp_path, "team-manager").read_text(encoding="utf-8")
    lines = text.splitlines()
    # Expected outcomes above the theme's first area, once per theme.
    for theme in ("CURIOSITY TO UNDERSTAND", "CO-PRODUCTION", "CONNECTION", "COLLABORATION",
                  "COMMUNITY – CULTURALLY"):
        assert sum(1 for line in lines if line.startswith(f"# {theme}")) == 1, theme
    curiosity = text.index("# CURIOSITY TO UNDERSTAND")
    assert curiosity < text.index("# SECTION 2: QUALITY OF RISK") < text.index("# SECTION 3:")
    assert text.count("# EXPECTED OUTCOMES:") == 5  # Checking back prints none
    assert "robust understanding of what life is like for the child" in text[curiosity:]
    # The appendix's guidance, labelled as what it is.
    assert ('# What does GOOD look like? Expected practice quality to meet the grading of '
            '"Good": 1. Risk:') in text
    # Grade descriptors at the auditor's and the moderator's grades of every area.
    short = "#     2 Requires Improvement: Falls below good but does not leave children at risk"
    assert text.count(short) == 2 * 9  # overall and areas 2-9: auditor and moderator grades
    # Prompts one per line: a wrapped prompt keeps one "?" mark.
    risk = "How effectively have risk issues been identified and responded to? Please elaborate"
    at = next(i for i, line in enumerate(lines) if risk in line)
    assert lines[at].startswith("#   ? ")
    assert lines[at + 1].startswith("#     ") and "your answers above." in lines[at + 1]
    assert all(len(line) <= 96 for line in lines if line.startswith("#"))
    assert cli("validate", tmp_path).exit_code == 0


def test_front_end_helpers_give_plain_lines() -> None:
    catalogue = Catalogue()
    tm = catalogue.require("team-manager")
    intro = introduction(tm)
    assert intro[0] == "GUIDANCE ON HOW TO APPROACH THIS AUDIT"
    assert intro[1] == "1. Please only review the preceding 6 months."
    risk = _section(tm, "risk")
    lines = section_intro(tm, risk)
    assert lines[0].startswith("CURIOSITY") and lines[1] == "EXPECTED OUTCOMES:"
    assert any(line.startswith("What does GOOD look like?") for line in lines)
    assert section_intro(tm, _section(tm, "assessments"))[0].startswith("What does GOOD")
    grade = risk.field("grade")
    assert grade is not None
    assert descriptor_lines(tm, grade.kind)[3] == "1 Inadequate: Children are left at risk of " \
        "significant harm."
    full = descriptor_lines(tm, grade.kind, full=True)
    assert "3 Good:" in full and "- Risk is managed well." in full
    assert "Grade descriptors:" in item_help(tm, grade)
    findings = risk.field("findings")
    assert findings is not None
    assert [line for line in item_help(tm, findings) if line.startswith("? ")][0] == (
        "? How effectively have risk issues been identified and responded to? Please "
        "elaborate on your answers above.")
    core = catalogue.require("core")
    scaling = _section(core, "moderation").field("scaling")
    assert scaling is not None
    assert descriptor_lines(core, scaling.kind) == []  # core has no descriptors
    assert introduction(core)[1] == "Completing the audit:"


def test_core_18a_has_its_own_scale_and_18b_no_na(cli, tmp_path: Path) -> None:
    path = _new(cli, tmp_path, "core")
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^scaling = \"\" +# 1 incomplete and lacks evidence, 2, 3, 4 evidence "
                     r"based", text, re.M)
    assert re.search(r"^changed_grade = \"\" +# 1 Inadequate, .*4 Outstanding$", text, re.M)
    refused = cli("fill", path, "--set", "moderation.changed_grade=N/A")
    assert refused.exit_code == 1
    assert '"N/A" is not allowed here' in refused.output
    assert cli("fill", path, "--set", "moderation.scaling=4").exit_code == 0
    assert tomllib.loads(path.read_text("utf-8"))["moderation"]["scaling"] == 4
    refused = cli("fill", path, "--set", "moderation.scaling=5")
    assert refused.exit_code == 1 and "incomplete and lacks evidence" in refused.output


def test_core_q55_to_q58_required_with_na_allowed(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    assert cli("fill", path, "--set", "q55=N/A", "--set", "q56=n/a").exit_code == 0
    answers = tomllib.loads(path.read_text("utf-8"))["answers"]
    assert answers["q55"]["grade"] == "N/A" and answers["q56"]["grade"] == "N/A"
    assert cli("validate", path).exit_code == 0
    text = path.read_text("utf-8")
    path.write_text(re.sub(r'(\[answers\.q57\]\ngrade = )[^\n]*', r'\1""', text), "utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    assert "required-missing" in result.output and "question 57 is not answered" in result.output
