"""check-kpis counting conventions and the four disagreements of issue 15, each through the
CLI with a real audit file; every date is counted by hand in the comments (working days skip
weekends and England bank holidays, the anchor day not counted)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from test_kpis import by_rule, every_fortnight, write_audit


def kpis(cli, path: Path, *options: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = cli("check-kpis", path, "--format", "json", *options)
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def events(*pairs: tuple[str, str], extra: str = "") -> str:
    return "".join(f'\n[[events]]\ndate = {day}\nkind = "{kind}"\n{extra}' for day, kind in pairs)


# 1. Action agreement: uploaded Thu 17 Dec 2026; 10 working days: 18, 21, 22, 23, 24 Dec (5),
# [25 Christmas, 28 Boxing Day substitute], 29, 30, 31 Dec (8), [1 Jan], Mon 4, Tue 5 Jan 2027.
AGREEMENT = """
[[actions]]
action = "Fictional action agreed late."
by_whom = "Fictional SW"
due = 2027-02-26
agreed_on = 2027-01-06
status = "open"

[[actions]]
action = "Fictional action agreed on time."
by_whom = "Fictional SW"
due = 2027-02-26
agreed_on = 2027-01-05
status = "open"

[[actions]]
action = "Fictional action never agreed."
by_whom = "Fictional SW"
status = "open"
"""


@pytest.fixture
def after_christmas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QAUDIT_TODAY", "2027-01-20")


def test_action_agreement_counts_after_the_audit_date_as_qaudit_actions_does(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path, after_christmas: None) -> None:
    path = write_audit(tmp_path, "a.toml", "2026-12-15", "CIN",
                       events(("2026-12-17", "audit_uploaded")), extra=AGREEMENT)
    data = kpis(cli, path)
    assert by_rule(data, "action-agreement") == [
        ("late", "2026-12-17", "2027-01-05", "2027-01-06", 1),
        ("met", "2026-12-17", "2027-01-05", "2027-01-05", 0),
        ("overdue", "2026-12-17", "2027-01-05", None, 11)]  # 6..8, 11..15, 18..20 Jan
    listed = json.loads(cli("actions", "list", path, "--format", "json").output)["actions"]
    assert [a["flags"] for a in listed] == [["agreed-late"], [], ["not-agreed"]]
    assert {a["agree_by"] for a in listed} == {"2027-01-05"}
    # Judged on the deadline itself, the unagreed action is still pending (and not flagged).
    on_the_day = kpis(cli, path, "--as-of", "2027-01-05")
    assert [r[0] for r in by_rule(on_the_day, "action-agreement")] == ["late", "met", "pending"]
    listed = json.loads(cli("actions", "list", path, "--format", "json", "--as-of",
                            "2027-01-05").output)["actions"]
    assert [a["flags"] for a in listed] == [["agreed-late"], [], []]


def test_the_audit_emailed_after_its_date_is_judged_at_as_of(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path, after_christmas: None) -> None:
    path = write_audit(tmp_path, "a.toml", "2026-12-15", "CIN",
                       events(("2026-12-16", "audit_emailed")))
    # Due the day of the audit (Tue 15 Dec), emailed Wed 16 Dec: 1 working day late.
    assert by_rule(kpis(cli, path), "audit-emailed") == [
        ("late", "2026-12-15", "2026-12-15", "2026-12-16", 1)]


# 2. One window rule: a timescale counts when its anchor's own date is inside the window.
# Audit Fri 30 Oct 2026: window from Thu 30 Apr 2026.
def test_an_anchor_before_the_window_never_counts_whatever_its_due_date(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    # Supervision Tue 28 Apr (before the window, recorded within 5 days due Sun 3 May, inside
    # it) and Fri 24 Apr (due Wed 29 Apr, outside): neither counts; Mon 4 May does.
    body = (events(("2026-04-28", "supervision"), extra="recorded = 2026-05-06\n")
            + events(("2026-04-24", "supervision"), extra="recorded = 2026-05-06\n")
            + events(("2026-05-04", "supervision"), extra="recorded = 2026-05-06\n"))
    path = write_audit(tmp_path, "a.toml", "2026-10-30", "CIN", body)
    assert by_rule(kpis(cli, path), "supervision-recorded") == [
        ("met", "2026-05-04", "2026-05-09", "2026-05-06", 0)]


def test_a_strategy_discussion_before_the_window_counts_for_neither_icpc_nor_minutes(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    # Strategy discussion Mon 27 Apr 2026 (before the window): its ICPC (due 15 working days
    # later, inside the window) and its minutes (due the next day, outside) both not counted.
    body = (events(("2026-04-27", "strategy_discussion"),
                   extra="s47 = true\nminutes_distributed = 2026-04-29\n")
            + events(("2026-05-20", "icpc")))
    path = write_audit(tmp_path, "a.toml", "2026-10-30", "CP", body)
    data = kpis(cli, path)
    assert [r[0] for r in by_rule(data, "icpc")] == ["not_applicable"]
    assert [r[0] for r in by_rule(data, "strategy-minutes")] == ["not_applicable"]
    # Inside the window (Thu 30 Apr) both count: ICPC due Fri 22 May (4 May bank holiday).
    body = (events(("2026-04-30", "strategy_discussion"),
                   extra="s47 = true\nminutes_distributed = 2026-05-05\n")
            + events(("2026-05-20", "icpc")))
    (tmp_path / "in").mkdir()
    path = write_audit(tmp_path / "in", "b.toml", "2026-10-30", "CP", body)
    data = kpis(cli, path)
    assert by_rule(data, "icpc") == [("met", "2026-04-30", "2026-05-22", "2026-05-20", 0)]
    assert by_rule(data, "strategy-minutes") == [
        ("late", "2026-04-30", "2026-05-01", "2026-05-05", 1)]  # 4 May a bank holiday


# 3. Due on the day it is judged and not done: pending, not "overdue by 0 working days".
def test_a_timescale_due_on_the_audit_date_and_not_done_is_pending(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    # CIN visits every 15 working days. Audit Fri 30 Oct 2026; last visit Fri 9 Oct: 15 working
    # days later is Fri 30 Oct, the audit date itself.
    body = events(("2026-01-01", "status"), extra='status = "CIN"\n') \
        + every_fortnight(dt.date(2026, 4, 30), dt.date(2026, 9, 25)) \
        + events(("2026-10-09", "visit"), extra="seen_alone = true\n")
    path = write_audit(tmp_path, "a.toml", "2026-10-30", "CIN", body)
    last = by_rule(kpis(cli, path), "visits-cin")[-1]
    assert last == ("pending", "2026-10-09", "2026-10-30", None, None)
    text = cli("check-kpis", path, "--all").output
    assert "due on the audit date Fri 30 Oct 2026 itself, not yet done" in text


# 4. An interval that ends with a status change is judged at the change; no event counts
# under two statuses.
def test_an_overdue_cin_visit_is_judged_at_the_change_to_cp_not_by_the_first_cp_visit(  # type: ignore[no-untyped-def]
        cli, tmp_path: Path) -> None:
    # CIN from Mon 20 Apr 2026: first visit due 15 working days later, Tue 12 May (4 May bank
    # holiday); visited Tue 5 May. Next due Wed 27 May (25 May bank holiday); none by the
    # change to CP on Mon 1 Jun: overdue, 3 working days late (28, 29 May, 1 Jun).
    # The first CP visit Wed 3 Jun counts for CP only (10 working days from 1 Jun: 15 Jun).
    body = (events(("2026-04-20", "status"), extra='status = "CIN"\n')
            + events(("2026-06-01", "status"), extra='status = "CP"\n')
            + events(("2026-05-05", "visit"), extra="seen_alone = true\n")
            + events(("2026-06-03", "visit"), extra="seen_alone = true\n"))
    path = write_audit(tmp_path, "a.toml", "2026-06-30", "CP", body)
    data = kpis(cli, path)
    assert by_rule(data, "visits-cin") == [
        ("met", "2026-04-20", "2026-05-12", "2026-05-05", 0),
        ("overdue", "2026-05-05", "2026-05-27", None, 3)]
    assert by_rule(data, "visits-cp")[0] == ("met", "2026-06-01", "2026-06-15", "2026-06-03", 0)
    done = [r["done"] for r in data["records"] if r["rule"].startswith("visits-c")]
    assert done.count("2026-06-03") == 1  # one visit, one status
    explained = next(r["explanation"] for r in data["records"]
                     if r["rule"] == "visits-cin" and r["status"] == "overdue")
    assert "by the change of status on Mon 1 Jun 2026" in explained
