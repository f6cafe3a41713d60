"""The full-screen form driven headless with Textual's pilot, as an auditor would: keys in,
the audit file checked after."""

from __future__ import annotations

import asyncio
import datetime as dt
import difflib
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual import events
from textual.pilot import Pilot

from builders import blank_audit, complete_audit
from qaudit.form.app import FormApp
from qaudit.form.session import MODERATE, FormSession
from qaudit.form.widgets import FieldBox, ManyLines, OneLine

TODAY = dt.date(2026, 11, 23)
PASTED = ("The referral from school set out the worry clearly.\n\n"
          "The assessment names who is worried and why, in the family's words.\n\n"
          "The manager's oversight on 2026-10-01 confirms the reason for involvement.")

Scenario = Callable[[FormApp, Pilot[str]], Awaitable[None]]


def drive(path: Path, scenario: Scenario, *, size: tuple[int, int] = (120, 40),
          mode: str = "fill") -> FormApp:
    """Open the form on ``path``, run the scenario, and return the (closed) app."""
    app = FormApp(FormSession.open(path, TODAY, mode))

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(app, pilot)
            await pilot.pause()

    asyncio.run(run())
    return app


async def goto(pilot: Pilot[str], number: str) -> None:
    await pilot.press("ctrl+g")
    await pilot.pause()
    await pilot.press(*number, "enter")
    await pilot.pause()


async def type_text(pilot: Pilot[str], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


def data(path: Path) -> dict[str, object]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_fill_a_fresh_audit_changes_only_the_lines_given(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = blank_audit(tmp_path)
    original = path.read_text(encoding="utf-8")

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        await goto(pilot, "4")
        assert isinstance(app.focused, OneLine)
        assert app.focused.slot.key == "answers.q4.grade"
        await pilot.press("3", "tab")  # leaving the grade writes it
        await pilot.pause()
        assert data(path)["answers"]["q4"]["grade"] == 3  # type: ignore[index]
        assert isinstance(app.focused, ManyLines)
        await type_text(pilot, "Clear in the referral.")
        await pilot.press("tab")
        await pilot.pause()
        # a pasted page of three paragraphs goes into q5's evidence whole
        await goto(pilot, "5")
        await pilot.press("2", "tab")
        await pilot.pause()
        assert isinstance(app.focused, ManyLines)
        app.post_message(events.Paste(PASTED))  # as the terminal driver delivers it
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        # a refused grade stays in its field, marked, with the allowed values; never written
        await goto(pilot, "6")
        await pilot.press("5", "tab")
        await pilot.pause()
        box = app.query_one("#box-answers-q6-grade", FieldBox)
        assert box.has_class("refused")
        hint = str(box.query_one(".hint").render())
        assert "NOT SAVED" in hint and "4 Outstanding" in hint and "N/A" in hint
        assert data(path)["answers"]["q6"]["grade"] == ""  # type: ignore[index]
        assert "answers.q6.grade" in app.session.unsaved
        # a parent's views, through the add-record dialog (fills the blank record `new` left)
        parents = next(s for s in app.session.sections if s.group and s.group.table == "parents")
        await app.show_section(parents)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "Parent A")
        await pilot.press("tab")
        await type_text(pilot, "Mother")
        await pilot.press("tab")
        await type_text(pilot, "2026-11-02")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # an event in the case chronology
        await pilot.press("ctrl+l", "end", "enter")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        kinds = list(app.screen.query("OptionList").first().options)  # type: ignore[attr-defined]
        visit = [o.id for o in kinds].index("visit")
        await pilot.press(*["down"] * visit, "enter")
        await pilot.pause()
        await type_text(pilot, "2026-11-03")
        await pilot.press("tab")
        await type_text(pilot, "yes")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+q")

    app = drive(path, scenario)
    said = app.return_value or ""
    assert said.startswith("6 value(s) saved in")
    assert "NOT SAVED answers.q6.grade: 5" in said
    written = data(path)
    answers = written["answers"]
    assert answers["q4"] == {"grade": 3, "evidence": "Clear in the referral."}  # type: ignore[index]
    assert answers["q5"]["evidence"] == PASTED  # type: ignore[index]
    assert written["parents"][0]["name"] == "Parent A"  # type: ignore[index]
    assert written["parents"][0]["contact_date"] == dt.date(2026, 11, 2)  # type: ignore[index]
    assert written["events"] == [{"date": dt.date(2026, 11, 3), "kind": "visit",  # type: ignore[index]
                                  "seen_alone": True}]
    removed = [line for line in difflib.ndiff(original.splitlines(),
                                              path.read_text(encoding="utf-8").splitlines())
               if line.startswith("- ")]
    assert sorted(removed) == sorted([
        '- grade = ""               # 1 Inadequate, 2 Requires Improvement to be Good, 3 Good, '
        '4 Outstanding, or "N/A"',
        '- grade = ""               # 1 Inadequate, 2 Requires Improvement to be Good, 3 Good, '
        '4 Outstanding, or "N/A"',
        '- evidence = ""            # Evidence and rationale for the rating',
        '- evidence = ""            # Evidence and rationale for the rating',
        '- name = ""', '- relationship = ""',
        '- contact_date = ""        # a date, YYYY-MM-DD',
    ]), removed
    result = cli("validate", path)
    assert result.exit_code == 0, result.output


def test_findings_update_as_you_type_and_jump_to_their_field(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        await goto(pilot, "4")
        await pilot.press("3")
        await pilot.pause(0.5)  # the findings are worked out after a pause in typing
        title = str(app.query_one("#findings-title").render())
        assert "Findings here: 0" not in title, title
        rows = [str(r.query_one("Static").render()) for r in app.query("FindingItem")]
        assert any("q4" in r and "evidence" in r.casefold() for r in rows), rows
        assert data(path)["answers"]["q4"]["grade"] == ""  # type: ignore[index]  # not left yet
        await pilot.press("tab")
        await pilot.pause()
        await pilot.press("ctrl+f", "enter")  # the first finding: jump to its field
        await pilot.pause()
        assert isinstance(app.focused, ManyLines)
        assert app.focused.slot.key == "answers.q4.evidence"
        await pilot.press("ctrl+q")

    drive(path, scenario)


def test_mark_complete_lists_what_is_missing_as_links(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        await pilot.press("ctrl+t")
        await pilot.pause()
        options = app.screen.query("OptionList").first()
        assert options.option_count > 50  # type: ignore[attr-defined]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.focused, OneLine | ManyLines)
        await pilot.press("ctrl+q")

    drive(path, scenario)
    assert data(path)["audit"]["status"] == "draft"  # type: ignore[index]


def test_a_file_changed_on_disk_is_never_overwritten(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        await goto(pilot, "4")
        path.write_text(path.read_text(encoding="utf-8") + "\n# someone else's line\n",
                        encoding="utf-8")
        app.check_disk()  # what the form's timer does every two seconds
        await pilot.pause()
        assert type(app.screen).__name__ == "ListScreen"  # told before anything is written
        await pilot.press("escape")  # stay
        await pilot.pause()
        await pilot.press("3", "tab")
        await pilot.pause()
        box = app.query_one("#box-answers-q4-grade", FieldBox)
        assert "changed on disk" in str(box.query_one(".hint").render())
        await pilot.press("escape")
        await pilot.press("ctrl+q")

    app = drive(path, scenario)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("# someone else's line\n")
    assert data(path)["answers"]["q4"]["grade"] == ""  # type: ignore[index]
    assert "NOT SAVED answers.q4.grade: 3" in (app.return_value or "")


def test_moderate_shows_the_auditors_answers_read_only(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        moderation = next(s for s in app.session.sections if s.id == "moderation")
        await app.show_section(moderation)
        await pilot.pause()
        pane = app.pane()
        assert pane is not None
        editable = [w.slot.key for w in pane.query("OneLine, ManyLines")]  # type: ignore[attr-defined]
        assert "moderation.scaling" in editable
        shown = [str(w.render()) for w in pane.query("ReadOnly")]
        assert any(line.startswith("Auditor's overall grade: ") for line in shown), shown
        await app.show_section(app.session.sections[3])
        await pilot.pause()
        pane = app.pane()
        assert pane is not None
        assert not list(pane.query("OneLine, ManyLines"))
        assert pane.query("ReadOnly")
        await pilot.press("ctrl+q")

    drive(path, scenario, mode=MODERATE)
