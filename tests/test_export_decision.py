"""export/decision.py directly: what a row of the panel's columns shows for an audit, and the
moderation a typed row stands for, on the real sample audits of both templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import SAMPLES
from qaudit.export.decision import (
    NO,
    YES,
    Change,
    PanelDecision,
    current_decision,
    grade_kind,
    plan_changes,
    scaling_kind,
    section_title,
    to_moderation,
)
from qaudit.moderation.record import ModerationDecision
from qaudit.templates.catalogue import Catalogue, Template
from qaudit.validate import load

PANEL_DAY = dt.date(2026, 11, 20)


def sample(name: str) -> tuple[Any, Template]:
    loaded = load(next(SAMPLES.glob(f"*{name}*.toml")))
    assert loaded.document is not None and loaded.template is not None
    return loaded.document, loaded.template


def overrides(doc: Any, values: dict[str, Any]) -> Any:
    return lambda key: values[key] if key in values else doc.get(key)


def test_section_titles_and_grade_kinds_by_role() -> None:
    core, manager = Catalogue().require("core"), Catalogue().require("team-manager")
    assert section_title(next(s for s in core.sections if s.id == "assessment")) == \
        "4 Assessment and Analysis"
    for template in (core, manager):
        kind = grade_kind(template)
        assert kind is not None and [v for v in kind.values if isinstance(v, int)] == \
            [1, 2, 3, 4]
    assert scaling_kind(core) is not None and scaling_kind(manager) is None


def test_a_moderated_core_audit_that_changed_the_grade() -> None:
    doc, template = sample("FICT-100318_core")
    shown = current_decision(doc.get, template, doc.status)
    assert shown.grade == 2 and shown.agree == NO and shown.scaling == 3
    assert shown.comment.startswith("The panel agreed the direct work")  # 18 B's reason
    assert shown.moderator == "Rachel Dunmore (Head of Service)"
    assert not shown.blank


def test_a_complete_audit_shows_blank_panel_columns() -> None:
    doc, template = sample("FICT-100472_core")
    assert doc.status == "complete"
    shown = current_decision(doc.get, template, doc.status)
    assert shown.grade is None and shown.agree == "" and shown.comment == ""
    assert PanelDecision().blank


def test_a_moderated_team_manager_audit_shows_its_area_grades() -> None:
    doc, template = sample("FICT-200051_team-manager")
    shown = current_decision(doc.get, template, doc.status)
    assert shown.agree in (YES, NO) and shown.grade in (1, 2, 3, 4)
    assert shown.area_grades and all(t[0].isdigit() for t in shown.area_grades)


@pytest.mark.parametrize(("decision", "says"), [
    (PanelDecision(None, NO, "why"), "there is no moderator grade"),
    (PanelDecision("auditor", NO, "why"), "is the auditor's own grade"),
    (PanelDecision(1, NO, ""), "give the reason in the comments"),
    (PanelDecision(1, YES, ""), "differs from the auditor's grade"),
    (PanelDecision(1, "", ""), "Agree? is blank"),
])
def test_a_row_that_says_two_things_is_refused(decision: PanelDecision, says: str) -> None:
    doc, template = sample("FICT-100472_core")
    auditor = doc.get(template.role_path("overall_grade"))
    if decision.grade == "auditor":
        decision = PanelDecision(auditor, decision.agree, decision.comment)
    elif decision.grade == 1 and auditor == 1:
        decision = PanelDecision(2, decision.agree, decision.comment)
    found = to_moderation(template, doc.get, decision, PANEL_DAY)
    assert isinstance(found, str) and says in found


def test_agreement_on_core_puts_the_comment_in_the_themes() -> None:
    doc, template = sample("FICT-100472_core")
    found = to_moderation(template, doc.get, PanelDecision(None, YES, "Good practice", "QA",
                                                           3), PANEL_DAY)
    assert isinstance(found, ModerationDecision)
    assert found.agree and found.themes == "Good practice" and found.overall_comment is None
    assert found.scaling == 3 and found.moderator == "QA" and found.date == PANEL_DAY
    changes, problems = plan_changes(template, doc.get, found)
    assert not problems
    keys = {c.key for c in changes}
    assert {"moderation.themes", "moderation.scaling", "moderation.moderator"} <= keys


def test_disagreement_on_core_records_the_changed_grade_and_reason() -> None:
    doc, template = sample("FICT-100472_core")
    auditor = doc.get(template.role_path("overall_grade"))
    other = 1 if auditor != 1 else 2
    found = to_moderation(template, doc.get, PanelDecision(other, NO, "Late reviews"),
                          PANEL_DAY)
    assert isinstance(found, ModerationDecision) and found.overall_grade == other
    changes, problems = plan_changes(template, doc.get, found)
    assert not problems
    described = {c.key: c.describe() for c in changes}
    assert described["moderation.changed_grade"] == \
        f"moderation.changed_grade: (blank) -> {other}"
    assert "Late reviews" in described["moderation.change_reason"]


def test_recording_what_the_audit_already_holds_changes_nothing() -> None:
    doc, template = sample("FICT-100318_core")
    shown = current_decision(doc.get, template, doc.status)
    found = to_moderation(template, doc.get, shown, PANEL_DAY)
    assert isinstance(found, ModerationDecision)
    # A later panel date alone is not a change: re-importing a workbook writes nothing.
    assert plan_changes(template, doc.get, found) == ([], [])


def test_a_team_manager_area_grade_is_planned_by_area() -> None:
    doc, template = sample("FICT-200051_team-manager")
    shown = current_decision(doc.get, template, doc.status)
    title = next(iter(shown.area_grades))
    new = 1 if shown.area_grades[title] != 1 else 2
    row = PanelDecision(shown.grade, shown.agree, shown.comment, shown.moderator, None,
                        {**shown.area_grades, title: new})
    found = to_moderation(template, doc.get, row, PANEL_DAY)
    assert isinstance(found, ModerationDecision)
    changes, problems = plan_changes(template, doc.get, found)
    date_key = template.role_path("moderation_date")
    graded = [c for c in changes if c.key != date_key]
    assert not problems and len(graded) == 1  # and the new panel date with it
    assert graded[0].new == new and graded[0].old == shown.area_grades[title]


def test_change_describes_dates_and_blanks_readably() -> None:
    assert Change("moderation.date", None, dt.date(2026, 11, 20)).describe() == \
        "moderation.date: (blank) -> 2026-11-20"
    assert Change("x", 3, "").describe() == "x: 3 -> (blank)"
