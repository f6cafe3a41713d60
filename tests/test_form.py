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


def _date_key(app: FormApp) -> str:
    every = [s for section in app.session.sections for s in app.session.slots(section)]
    return next(s.key for s in every if s.key.endswith(".practitioner_meeting_date"))


def test_a_refused_value_is_kept_as_a_draft_on_leaving_and_the_next_fill_offers_it(
        tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from qaudit.fill.drafts import read_drafts, read_was

    path = blank_audit(tmp_path)
    before = path.read_text(encoding="utf-8")
    keys: list[str] = []

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        keys.append(_date_key(app))
        assert app.focus_key(keys[0])
        await pilot.pause()
        await type_text(pilot, "31/02/2026")
        await pilot.press("tab")
        await pilot.pause()
        await pilot.press("ctrl+c")  # leaves as Ctrl+Q does

    app = drive(path, scenario)
    said = app.return_value or ""
    assert said.startswith("0 value(s) saved in")
    assert f"NOT SAVED {keys[0]}: 31/02/2026" in said
    assert f"Kept as a draft in .audit.toml.qaudit-draft: {keys[0]}; `qaudit fill --plain" in said
    assert path.read_text(encoding="utf-8") == before  # nothing written to the audit
    assert read_drafts(path) == {keys[0]: "31/02/2026"}
    assert read_was(path) == {keys[0]: ""}

    # the next form says so on opening; the plain walk offers it back first
    async def opening(app: FormApp, pilot: Pilot[str]) -> None:
        status = str(app.query_one("#status").render())
        assert f"Draft kept for {keys[0]}: `qaudit fill --plain" in status
        await pilot.press("ctrl+q")

    assert "Kept as a draft" not in (drive(path, opening).return_value or "")
    walk = cli("fill", "--plain", path, input="n\n01/02/2026\n")
    assert "Draft kept from last time (1 line):\n31/02/2026" in walk.output
    assert f"saved {keys[0]} = Sun 01 Feb 2026" in walk.output
    assert read_drafts(path) == {}


def test_leaving_the_form_with_a_value_not_saved_exits_1(
        tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qaudit.cli import fill_cmd

    path = blank_audit(tmp_path)

    class Unsaved(FormApp):
        async def on_mount(self) -> None:
            await super().on_mount()
            self.focus_key(_date_key(self))
            self.session.unsaved["x"] = "typed"  # as a refused field leaves it
            self.exit("0 value(s) saved\nNOT SAVED x: typed")

    monkeypatch.setattr(fill_cmd, "wants_plain_input", lambda: False)
    monkeypatch.setattr("qaudit.form.app.FormApp", Unsaved)
    result = cli("fill", path)
    assert result.exit_code == 1, result.output
    assert "NOT SAVED x: typed" in result.output


def test_at_80_columns_the_opening_line_and_go_to_hint_fit_and_2_3_goes_there(
        tmp_path: Path) -> None:
    path = blank_audit(tmp_path)

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        status = str(app.query_one("#status").render())
        assert status == "Each value is saved when you leave its field · F1 help · Ctrl+Q leave"
        assert len(status) + 2 <= 80  # the status line's padding
        await pilot.press("ctrl+g")
        await pilot.pause()
        label = str(app.screen.query_one(".title").render())
        assert "2.3" in label and app.screen.query_one(".title").size.width <= 80
        await pilot.press("2", ".", "3", "enter")
        await pilot.pause()
        assert app.focused.slot.key.startswith("answers.")  # type: ignore[union-attr]
        assert app.section.number == "2"
        await pilot.press("ctrl+q")

    drive(path, scenario, size=(80, 24))
