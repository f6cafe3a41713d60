"""`qaudit moderate`: recording the panel's decision (both templates) and the summary."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from builders import AUDIT, complete_audit, template
from conftest import SAMPLES
from qaudit.audit.reader import read_audit
from qaudit.audit.writer import AuditEditor
from qaudit.edit import moderate as moderate_core
from qaudit.errors import ConflictError
from qaudit.moderation.record import (
    ModerationDecision,
    apply_moderation,
    missing_for_moderated,
    plan_decision,
)
from qaudit.moderation.summary import audit_moderation, summarise
from qaudit.validate import validate_file

TODAY = dt.date(2026, 11, 23)
TM_AREAS = ("risk", "assessments", "record", "plans", "intervention", "multi_agency",
            "supervision", "community")


def changed_lines(before: str, after: str) -> list[str]:
    """The lines of ``before`` that are not in ``after`` (a line-level diff, old side)."""
    return [line[2:] for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line.startswith("- ")]


def errors(path: Path) -> list[str]:
    return [f.rule for f in validate_file(path, TODAY).findings if f.level.value == "error"]


# --- core --------------------------------------------------------------------------------------


def test_core_panel_changes_the_grade_and_the_audit_becomes_moderated(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    before = path.read_text(encoding="utf-8")
    result = cli("moderate", path, "--date", "2026-10-20", "--scaling", "3", "--grade", "2",
                 "--reason", "Risk from the father underplayed", "--themes",
                 "Chronologies thin", "--actions", "Hold a strategy discussion")
    assert result.exit_code == 0, result.output
    assert "moderated (was complete)" in result.output
    after = path.read_text(encoding="utf-8")
    # Only the status line and the five moderation lines changed; comments stay byte for byte.
    removed = changed_lines(before, after)
    assert sorted(line.split(" =")[0] for line in removed) == sorted([
        "status", "date", "scaling", "changed_grade", "change_reason", "additional_actions",
        "themes"])
    # Their trailing comments stay too.
    assert re.search(r"^scaling = 3 +# 1 incomplete and lacks evidence, 2", after, re.MULTILINE)
    doc = read_audit(path)
    assert not isinstance(doc, Exception)
    assert doc.get("audit.status") == "moderated"  # type: ignore[union-attr]
    assert doc.get("moderation.changed_grade") == 2  # type: ignore[union-attr]
    assert doc.get("moderation.date") == dt.date(2026, 10, 20)  # type: ignore[union-attr]
    assert "# A: Scaling of audit (1 means" in after
    assert errors(path) == []


def test_core_refuses_an_incomplete_record_and_leaves_the_file_alone(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    before = path.read_bytes()
    result = cli("moderate", path, "--date", "2026-10-20", "--grade", "2")
    assert result.exit_code == 2
    assert "scaling of the audit (A) (moderation.scaling)" in result.output
    assert "reason the panel changed the auditor's grade to 2" in result.output
    assert path.read_bytes() == before


def test_a_draft_cannot_be_moderated(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core", status="draft")
    before = path.read_bytes()
    result = cli("moderate", path, "--date", "2026-10-20", "--scaling", "3", "--agree")
    assert result.exit_code == 2
    assert "status is “draft”" in result.output
    assert path.read_bytes() == before


def test_bad_values_are_refused_with_what_is_allowed(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    before = path.read_bytes()
    result = cli("moderate", path, "--date", "2026-10-20", "--scaling", "5", "--agree")
    assert result.exit_code == 1  # a refused value is a finding; usage errors are 2
    assert "5 is out of range" in result.output
    assert "allowed: 1 incomplete and lacks evidence" in result.output
    early = cli("moderate", path, "--date", "2026-09-01", "--scaling", "3", "--agree")
    assert early.exit_code == 1
    assert "before the audit date 2026-10-02" in early.output
    future = cli("moderate", path, "--date", "2026-12-01", "--scaling", "3", "--agree")
    assert future.exit_code == 1 and "in the future" in future.output
    assert path.read_bytes() == before


def test_core_agreement_leaves_the_changed_grade_blank(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    result = cli("moderate", path, "--date", "2026-10-20", "--scaling", "4", "--agree")
    assert result.exit_code == 0, result.output
    doc = read_audit(path)
    assert doc.get("moderation.changed_grade") == ""  # type: ignore[union-attr]
    assert doc.get("moderation.scaling") == 4  # type: ignore[union-attr]


def test_partial_records_without_marking_moderated(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    result = cli("moderate", path, "--date", "2026-10-20", "--partial")
    assert result.exit_code == 0, result.output
    assert "still missing" in result.output
    doc = read_audit(path)
    assert doc.get("audit.status") == "complete"  # type: ignore[union-attr]
    assert doc.get("moderation.date") == dt.date(2026, 10, 20)  # type: ignore[union-attr]


def test_interactive_core_shows_the_scaling_description(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    # date, moderator, scaling, agree? no, new grade, reason, actions C, themes D
    answers = "2026-10-21\nPanel of three\n2\nn\n4\nExceptional direct work\n.\n\nSupervision\n.\n"
    result = cli("moderate", path, input=answers)
    assert result.exit_code == 0, result.output
    assert "1 means that the audit is incomplete and lacks evidence" in result.output
    assert "4 means it is evidence based" in result.output
    doc = read_audit(path)
    assert doc.get("moderation.scaling") == 2  # type: ignore[union-attr]
    assert doc.get("moderation.changed_grade") == 4  # type: ignore[union-attr]
    assert doc.get("moderation.change_reason") == "Exceptional direct work"  # type: ignore[union-attr]
    assert doc.get("moderation.themes") == "Supervision"  # type: ignore[union-attr]
    assert doc.get("audit.status") == "moderated"  # type: ignore[union-attr]


def test_interactive_prompt_asks_again_after_a_bad_grade(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "core")
    answers = "2026-10-21\n\n7\n3\ny\n\n\n"
    result = cli("moderate", path, input=answers)
    assert result.exit_code == 0, result.output
    assert "7 is out of range; allowed: 1, 2, 3 or 4" in result.output
    assert read_audit(path).get("moderation.scaling") == 3  # type: ignore[union-attr]


# --- team-manager ------------------------------------------------------------------------------


def tm_options(grade: str = "3") -> list[str]:
    options = ["--date", "2026-10-20", "--moderator", "Dana Fellowes", "--overall-grade", "3",
               "--overall-comment", "Agree with the auditor"]
    for area in TM_AREAS:
        options += ["--area-grade", f"{area}={grade}"]
    return options


def test_team_manager_moderator_grades_every_area(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "team-manager")
    before = path.read_text(encoding="utf-8")
    result = cli("moderate", path, *tm_options("2"), "--area-comment",
                 "risk=Safety plan missing for harm outside the home")
    assert result.exit_code == 0, result.output
    doc = read_audit(path)
    assert doc.get("case.moderator") == "Dana Fellowes"  # type: ignore[union-attr]
    assert doc.get("sections.risk.moderator_grade") == 2  # type: ignore[union-attr]
    assert doc.get("sections.overall.moderator_grade") == 3  # type: ignore[union-attr]
    assert doc.get("sections.risk.moderator_comment").startswith("Safety plan")  # type: ignore[union-attr]
    # status, moderator, date, overall grade + comment, 8 area grades, 1 area comment
    assert len(changed_lines(before, path.read_text(encoding="utf-8"))) == 1 + 2 + 2 + 8 + 1
    assert errors(path) == []


def test_team_manager_missing_area_is_listed_and_nothing_written(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "team-manager")
    before = path.read_bytes()
    options = tm_options()[:-2]  # drop the last area (community)
    result = cli("moderate", path, *options)
    assert result.exit_code == 2
    assert "sections.community.moderator_grade" in result.output
    assert "sections.risk.moderator_grade" not in result.output
    assert path.read_bytes() == before


def test_unknown_area_names_the_areas(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "team-manager")
    result = cli("moderate", path, "--area-grade", "risks=3")
    assert result.exit_code == 2
    assert "no area “risks”" in result.output and "risk, assessments" in result.output
    assert cli("moderate", path, "--area-grade", "risk").exit_code == 2


def test_core_options_the_template_lacks_are_refused(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "team-manager")
    result = cli("moderate", path, *tm_options(), "--scaling", "3")
    assert result.exit_code == 2
    assert "template team-manager has no moderation scaling field" in result.output


def test_validate_checks_moderation_date_order_in_both_templates(tmp_path: Path) -> None:
    for template_id in ("core", "team-manager"):
        path = complete_audit(tmp_path, template_id, name=f"{template_id}.toml")
        key = template(template_id).role_path("moderation_date")
        assert key is not None
        editor = AuditEditor(path)
        editor.set(key, AUDIT - dt.timedelta(days=3))
        editor.save()
        found = [f for f in validate_file(path, TODAY).findings if f.rule == "date-order"]
        assert [f.key for f in found] == [key], template_id


def test_validate_moderated_without_the_record(tmp_path: Path) -> None:
    core = complete_audit(tmp_path, "core", name="core.toml", status="moderated")
    tm = complete_audit(tmp_path, "team-manager", name="tm.toml", status="moderated")
    core_keys = {f.key for f in validate_file(core, TODAY).findings
                 if f.rule == "moderation-incomplete"}
    tm_keys = {f.key for f in validate_file(tm, TODAY).findings
               if f.rule == "moderation-incomplete"}
    assert core_keys == {"moderation.date", "moderation.scaling"}
    assert {"case.moderator", "case.moderation_date", "sections.overall.moderator_grade",
            *(f"sections.{a}.moderator_grade" for a in TM_AREAS)} == tm_keys


# --- the core functions ------------------------------------------------------------------------


def test_apply_moderation_records_agreement_and_change_by_role(tmp_path: Path) -> None:
    core = template("core")
    path = complete_audit(tmp_path, "core")
    editor = AuditEditor(path)
    # The auditor graded 3 (builders); a moderator's grade of 3 is agreement on core.
    assert apply_moderation(editor, core, ModerationDecision(overall_grade=3)) == []
    assert editor.get("moderation.changed_grade") == ""
    problems = apply_moderation(editor, core, ModerationDecision(overall_grade=1,
                                                                 overall_comment="Drift"))
    assert problems == []
    assert editor.get("moderation.changed_grade") == 1
    assert editor.get("moderation.change_reason") == "Drift"
    missing = missing_for_moderated(core, editor.get)
    assert [key for key, _ in missing] == ["moderation.date", "moderation.scaling"]


def test_plan_reports_problems_and_writes_nothing(tmp_path: Path) -> None:
    tm = template("team-manager")
    path = complete_audit(tmp_path, "team-manager")
    editor = AuditEditor(path)
    before = editor.text()
    problems = apply_moderation(editor, tm, ModerationDecision(
        overall_grade=9, area_grades={"risk": 2, "nowhere": 3}))
    assert len(problems) == 2
    assert editor.text() == before
    writes, none = plan_decision(tm, ModerationDecision(agree=True), editor.get)
    assert none == [] and writes == {"sections.overall.moderator_grade": 3}


def test_a_file_changed_during_moderation_is_not_overwritten(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = complete_audit(tmp_path, "core")
    real = moderate_core.apply_moderation

    def someone_else_saves_first(editor: Any, template: Any, decision: Any) -> list[str]:
        path.write_text(path.read_text(encoding="utf-8") + "# edited elsewhere\n",
                        encoding="utf-8")
        return real(editor, template, decision)

    monkeypatch.setattr(moderate_core, "apply_moderation", someone_else_saves_first)
    result = cli("moderate", path, "--date", "2026-10-20", "--scaling", "3", "--agree")
    assert result.exit_code == 2
    assert "changed on disk" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.endswith("# edited elsewhere\n") and 'status = "complete"' in text
    editor = AuditEditor(path)
    path.write_text(text + "# again\n", encoding="utf-8")
    with pytest.raises(ConflictError):
        editor.save()


# --- summary -----------------------------------------------------------------------------------

# (team, auditor's q59, moderator's overall, scaling): the pairs of tests/test_kappa.py.
PANEL = [("Team North", 1, 1, 2), ("Team North", 2, 2, 3), ("Team North", 2, 3, 3),
         ("Team South", 3, 3, 4), ("Team South", 3, 3, 3), ("Team South", 4, 3, 1)]


def moderated_core(folder: Path, index: int, team: str, auditor: int, moderator: int,
                   scaling: int) -> Path:
    path = complete_audit(folder, "core", name=f"core{index}.toml", status="moderated")
    editor = AuditEditor(path)
    editor.set("case.team", team)
    editor.set("case.case_number", f"FICT-9{index:04d}")
    editor.set("answers.q59.grade", auditor)
    editor.set("moderation.date", dt.date(2026, 10, 20))
    editor.set("moderation.scaling", scaling)
    if moderator != auditor:
        editor.set("moderation.changed_grade", moderator)
        editor.set("moderation.change_reason", "Fictional reason")
    editor.set("moderation.themes", f"Theme {index}")
    editor.save()
    return path


def test_summary_over_moderated_core_audits(cli, tmp_path: Path) -> None:
    for index, (team, auditor, moderator, scaling) in enumerate(PANEL, start=1):
        moderated_core(tmp_path, index, team, auditor, moderator, scaling)
    complete_audit(tmp_path, "core", name="waiting.toml")
    result = cli("moderate", "--summary", tmp_path, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["audits"] == 7 and report["moderated"] == 6 and report["awaiting"] == 1
    assert [a["path"].endswith("waiting.toml") for a in report["awaiting_audits"]] == [True]
    overall = report["overall"]
    assert overall["pairs"] == 6 and overall["agreed"] == 4
    assert overall["moved_up"] == 1 and overall["moved_down"] == 1
    assert overall["kappa"] == pytest.approx(7 / 9, abs=1e-4)   # worked out in test_kappa
    assert report["scaling"] == {"1": 1, "2": 1, "3": 3, "4": 1}
    assert len(report["themes"]) == 6
    north = next(t for t in report["teams"] if t["team"] == "Team North")
    assert north["overall"]["agreed"] == 2 and north["overall"]["moved_up"] == 1
    table = cli("moderate", "--summary", tmp_path)
    assert table.exit_code == 0
    assert "6 moderated, 1 awaiting moderation" in table.output
    assert "0.78" in table.output and "Team South" in table.output


def test_summary_team_manager_pairs_each_area(tmp_path: Path) -> None:
    tm = template("team-manager")
    path = complete_audit(tmp_path, "team-manager", status="moderated")
    editor = AuditEditor(path)
    editor.set("sections.overall.moderator_grade", 2)
    for area in TM_AREAS:
        editor.set(f"sections.{area}.moderator_grade", 4 if area == "risk" else 3)
    editor.save()
    doc = read_audit(path)
    record = audit_moderation(str(path), tm, doc.get, "moderated")  # type: ignore[union-attr]
    assert [(p.area, p.auditor, p.moderator) for p in record.pairs][:2] == [
        ("overall", 3, 2), ("risk", 3, 4)]
    report = summarise([record])
    assert report["overall"]["moved_down"] == 1
    risk = next(a for a in report["areas"] if a["area"] == "risk")
    assert risk["moved_up"] == 1 and risk["agreed"] == 0
    assert report["all_grades"]["pairs"] == 9 and report["all_grades"]["agreed"] == 7


def test_summary_reports_an_unreadable_file_and_goes_on(cli, tmp_path: Path) -> None:
    complete_audit(tmp_path, "core")
    (tmp_path / "broken.toml").write_text("[audit\n", encoding="utf-8")
    result = cli("moderate", "--summary", tmp_path)
    assert result.exit_code == 1
    assert "broken.toml" in result.output and "1 awaiting moderation" in result.output


def test_sample_audits_have_moderated_agreements_and_changes(cli) -> None:
    result = cli("moderate", "--summary", SAMPLES, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["moderated"] >= 3 and report["awaiting"] >= 1
    overall = report["overall"]
    assert overall["agreed"] >= 1 and overall["moved_down"] + overall["moved_up"] >= 1
    assert any(area["agreed"] < area["pairs"] for area in report["areas"])
    assert report["themes"]


def council_audit(folder: Path) -> Path:
    """A council's copy of the core template whose moderation table and field ids differ."""
    text = resources.files("qaudit").joinpath("templates/core.toml").read_text("utf-8")
    text = text.replace('id = "core"', 'id = "council"', 1)
    text = text.replace('table = "moderation"', 'table = "panel_record"', 1)
    text = re.sub(r'^id = "scaling"$', 'id = "audit_quality"', text, flags=re.M)
    text = re.sub(r'^id = "changed_grade"$', 'id = "panel_grade"', text, flags=re.M)
    (folder / "templates").mkdir()
    (folder / "templates" / "council.toml").write_text(text, encoding="utf-8")
    (folder / "qaudit.toml").write_text('[qaudit]\ntemplate_dirs = ["templates"]\n',
                                        encoding="utf-8")
    path = complete_audit(folder, "core", "council.toml")
    body = path.read_text(encoding="utf-8")
    body = body.replace('template = "core"', 'template = "council"', 1)
    body = body.replace("[moderation]", "[panel_record]", 1)
    body = re.sub(r"^scaling = ", "audit_quality = ", body, flags=re.M)
    body = re.sub(r"^changed_grade = ", "panel_grade = ", body, flags=re.M)
    path.write_text(body, encoding="utf-8")
    return path


def test_a_council_template_with_its_own_ids_is_moderated_by_role(cli, tmp_path: Path) -> None:
    path = council_audit(tmp_path)
    assert cli("validate", path).exit_code == 0
    result = cli("moderate", path, "--date", "2026-10-20", "--scaling", "2", "--grade", "4",
                 "--reason", "Outstanding direct work")
    assert result.exit_code == 0, result.output
    doc = read_audit(path)
    assert doc.get("panel_record.audit_quality") == 2  # type: ignore[union-attr]
    assert doc.get("panel_record.panel_grade") == 4  # type: ignore[union-attr]
    assert doc.get("moderation") is None  # type: ignore[union-attr]
    report = json.loads(cli("moderate", "--summary", path, "--format", "json").output)
    assert report["overall"]["moved_up"] == 1 and report["scaling"] == {"2": 1}
    assert cli("validate", path).exit_code == 0


def test_interactive_team_manager_asks_every_area(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "team-manager")
    answers = "Dana Fellowes\n2026-10-20\n2\nLowered: late assessment\n.\n" + "3\n\n" * 8
    result = cli("moderate", path, input=answers)
    assert result.exit_code == 0, result.output
    assert result.output.count("Auditor's rating: 3 Good") == 9
    doc = read_audit(path)
    assert doc.get("sections.overall.moderator_grade") == 2  # type: ignore[union-attr]
    assert doc.get("sections.community.moderator_grade") == 3  # type: ignore[union-attr]
    assert doc.get("audit.status") == "moderated"  # type: ignore[union-attr]


def test_team_manager_agree_copies_the_auditor_overall_grade(cli, tmp_path: Path) -> None:
    path = complete_audit(tmp_path, "team-manager")
    options = [o for o in tm_options() if o not in ("--overall-grade", "3")] + ["--agree"]
    result = cli("moderate", path, *options)
    assert result.exit_code == 0, result.output
    assert read_audit(path).get("sections.overall.moderator_grade") == 3  # type: ignore[union-attr]
