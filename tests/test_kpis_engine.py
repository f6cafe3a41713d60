"""The KPI engine directly: rules and events in, outcomes out, no files and no CLI."""

from __future__ import annotations

import datetime as dt

from qaudit.chronology.events import Event
from qaudit.chronology.workdays import WorkCalendar
from qaudit.kpis.agreement import judge_agreement
from qaudit.kpis.engine import CaseFacts, check_rule
from qaudit.kpis.ruleset import parse_rule
from qaudit.kpis.timeline import build_timeline

D = dt.date
CAL = WorkCalendar()


def facts(events: list[Event], audit: dt.date, status: str = "CIN",
          as_of: dt.date | None = None, actions: list[dict[str, object]] | None = None,
          ) -> CaseFacts:
    ordered = sorted(events, key=lambda e: (e.date, e.index))
    return CaseFacts(build_timeline(ordered, audit, 6, status), ordered, CAL, actions,
                     None, as_of)


def rule(**raw: object) -> object:
    base = {"id": "r", "type": "once", "limit": 5, "unit": "working_days", "source": "test"}
    return parse_rule({**base, **raw}, "test.toml", "rules[0]")


def event(index: int, kind: str, day: dt.date, **values: object) -> Event:
    return Event(index, kind, day, values)


def test_a_once_rule_met_late_and_pending_with_the_counting_explained() -> None:
    r = rule(anchor="core_group", done="core_group.record_uploaded")
    outcomes = check_rule(r, facts([  # type: ignore[arg-type]
        event(0, "core_group", D(2026, 5, 1), record_uploaded=D(2026, 5, 7)),
        event(1, "core_group", D(2026, 6, 1), record_uploaded=D(2026, 6, 12)),
        event(2, "core_group", D(2026, 6, 29))], D(2026, 6, 30)))
    # Fri 1 May + 5 working days, 4 May a bank holiday: 5, 6, 7, 8, Mon 11 May. Mon 1 Jun + 5:
    # Mon 8 Jun; uploaded Fri 12 Jun, 4 late. Mon 29 Jun + 5: Mon 6 Jul, after the audit date.
    assert [(o.status, o.due, o.working_days_late) for o in outcomes] == [
        ("met", D(2026, 5, 11), 0), ("late", D(2026, 6, 8), 4), ("pending", D(2026, 7, 6), None)]
    assert outcomes[0].explanation(CAL) == (
        "record uploaded Thu 7 May 2026, due Mon 11 May 2026, 5 working days "
        "after Fri 1 May 2026 (core group), skipping Mon 4 May (May Day) and weekends")


def test_a_recurring_window_rule_follows_the_status_and_judges_at_the_change() -> None:
    r = rule(type="recurring", anchor="@window", done="visit", limit=15, statuses=["CIN"])
    outcomes = check_rule(r, facts([  # type: ignore[arg-type]
        event(0, "status", D(2026, 4, 20), status="CIN"),
        event(1, "status", D(2026, 6, 1), status="CP"),
        event(2, "visit", D(2026, 5, 5)), event(3, "visit", D(2026, 6, 3))], D(2026, 6, 30)))
    assert [(o.status, o.anchor, o.done, o.working_days_late) for o in outcomes] == [
        ("met", D(2026, 4, 20), D(2026, 5, 5), 0), ("overdue", D(2026, 5, 5), None, 3)]
    assert outcomes[1].judged_at == D(2026, 6, 1)


def test_a_rule_with_nothing_to_count_says_why() -> None:
    r = rule(type="recurring", anchor="@window", done="visit", statuses=["CIC"])
    (outcome,) = check_rule(r, facts([], D(2026, 6, 30)))  # type: ignore[arg-type]
    assert outcome.status == "not_applicable"
    assert outcome.explanation(CAL) == "the case was not CIC in the review window"


def test_the_agreement_judgement_is_what_qaudit_actions_flags() -> None:
    by = D(2027, 1, 5)
    assert judge_agreement(by, D(2027, 2, 1), D(2027, 1, 6), True, D(2027, 1, 20), CAL).flag \
        == "agreed-late"
    assert judge_agreement(by, None, None, True, D(2027, 1, 20), CAL).flag == "not-agreed"
    assert judge_agreement(by, None, None, True, by, CAL).status == "pending"
    assert judge_agreement(by, None, None, False, D(2027, 1, 20), CAL).status \
        == "not_applicable"
    assert judge_agreement(None, None, None, True, D(2027, 1, 20), CAL).status \
        == "not_applicable"


def test_agreement_records_one_per_action_judged_at_as_of() -> None:
    r = rule(anchor="audit_uploaded", done="@actions.agreed_on", limit=10, judged_at="as_of")
    actions: list[dict[str, object]] = [
        {"action": "a", "due": D(2027, 2, 1), "agreed_on": D(2027, 1, 6), "status": "open"},
        {"action": "b", "status": "open"}]
    outcomes = check_rule(r, facts(  # type: ignore[arg-type]
        [event(0, "audit_uploaded", D(2026, 12, 17))], D(2026, 12, 15), as_of=D(2027, 1, 20),
        actions=actions))
    assert [(o.status, o.due, o.working_days_late) for o in outcomes] == [
        ("late", D(2027, 1, 5), 1), ("overdue", D(2027, 1, 5), 11)]
    # Without as_of the upload (after the audit date) is still read up to the audit date only.
    late_rule = rule(anchor="audit_uploaded", done="@actions.agreed_on", limit=10)
    unjudged = check_rule(late_rule, facts(  # type: ignore[arg-type]
        [event(0, "audit_uploaded", D(2026, 12, 17))], D(2026, 12, 15), actions=actions))
    assert [o.status for o in unjudged] == ["not_applicable", "not_applicable"]


def test_a_folders_overrides_hold_after_the_shipped_set_was_used() -> None:
    """A rule set with a folder's overrides starts its own per-template rules: it never
    hands back the shipped set's, even when those were worked out first."""
    from qaudit.config import FolderConfig
    from qaudit.kpis.ruleset import load_ruleset

    shipped = load_ruleset("", FolderConfig())
    before = {r.id: r.limit for r in shipped.for_template("core")}
    changed = load_ruleset("", FolderConfig(rule_overrides={"visits-cin": {"limit": 7}}))
    after = {r.id: r.limit for r in changed.for_template("core")}
    assert before["visits-cin"] != 7
    assert after["visits-cin"] == 7
    assert {r.id: r.limit for r in shipped.for_template("core")} == before
