"""The form calls the same core use cases as the command line, driven with Textual's pilot:
a chronology event's field is checked and saved by ``edit.values`` (as ``fill --set``), and
"mark moderated" is ``edit.moderate.moderate_audit`` (as ``qaudit moderate``), digest and
all. Real files in, the file on disk checked after."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from builders import blank_audit, complete_audit
from qaudit.edit.moderate import decision_from_text, moderate_audit
from qaudit.edit.records import add_record, record_form
from qaudit.edit.session import open_audit
from qaudit.edit.values import check_value
from qaudit.fill.records import CHRONOLOGY
from qaudit.form.app import FormApp
from qaudit.form.session import MODERATE
from qaudit.form.widgets import FieldBox, OneLine
from qaudit.validate import validate_file
from test_form import TODAY, drive, type_text


def data(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def retype(app: FormApp, pilot: Pilot[str], key: str, text: str) -> FieldBox:
    """Focus a field, replace what it holds with ``text`` and leave it (which saves)."""
    assert app.focus_key(key), key
    await pilot.pause()
    editor = app.focused
    assert isinstance(editor, OneLine) and editor.slot.key == key
    editor.value = ""
    await type_text(pilot, text)
    await pilot.press("tab")
    await pilot.pause()
    box = editor.parent
    assert isinstance(box, FieldBox)
    return box


def test_an_event_field_is_checked_and_saved_as_fill_set_does(tmp_path: Path) -> None:
    path = blank_audit(tmp_path)
    session = open_audit(path, TODAY)
    assert add_record(session, record_form(session, "event", "supervision"),
                      {"date": "2026-06-03", "recorded": "2026-06-04"}).ok
    expected = check_value(open_audit(path, TODAY), "events[0].recorded", "2026-06-01")
    assert not expected.ok and expected.refusals[0].rule == "event-order"
    before = path.read_bytes()

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        await app.show_section(CHRONOLOGY)
        await pilot.pause()
        box = await retype(app, pilot, "events[0].recorded", "2026-06-01")
        assert path.read_bytes() == before  # refused: never written
        hint = str(box.query_one(".hint").render())
        assert "before the supervision itself" in hint, hint
        assert app.session.refused["events[0].recorded"] == expected.message
        await retype(app, pilot, "events[0].recorded", "05/06/2026")
        assert data(path)["events"][0]["recorded"] == dt.date(2026, 6, 5)
        await pilot.press("ctrl+q")

    app = drive(path, scenario)
    assert "events[0].recorded" in app.session.saved
    assert data(path)["events"][0] == {"date": dt.date(2026, 6, 3), "kind": "supervision",
                                       "recorded": dt.date(2026, 6, 5)}
    assert validate_file(path, TODAY).findings == []


def test_mark_moderated_is_the_moderate_use_case_with_its_digest(tmp_path: Path) -> None:
    path = complete_audit(tmp_path)
    session = open_audit(path, TODAY)
    decision, refused = decision_from_text(session, {"scaling": "3"}, agree=True)
    assert not refused
    partial = moderate_audit(session, decision, partial=True)
    assert partial.written and ("moderation.date", "the moderation date") in partial.missing

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        await pilot.press("ctrl+t")  # the date is still missing: listed, nothing written
        await pilot.pause()
        listed = getattr(app.screen, "items", [])
        assert ("moderation.date", "moderation.date: the moderation date") in listed, listed
        await pilot.press("escape")
        await pilot.pause()
        assert data(path)["audit"]["status"] == "complete"
        moderation = next(s for s in app.session.sections if s.id == "moderation")
        await app.show_section(moderation)
        await pilot.pause()
        await retype(app, pilot, "moderation.date", "20/11/2026")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("ctrl+q")

    app = drive(path, scenario, mode=MODERATE)
    written = data(path)
    assert written["audit"]["status"] == "moderated", app.return_value
    assert written["moderation"]["date"] == dt.date(2026, 11, 20)
    assert written["panel_digest"]["date"] == dt.date(2026, 11, 20)  # what the panel saw
    assert validate_file(path, TODAY).findings == []


def test_the_panel_gives_a_changed_grade_before_its_reason(tmp_path: Path) -> None:
    """Field by field, the grade is saved though its reason is still blank (the findings
    panel says the reason is wanted); ``--set`` of the grade alone is refused as a whole."""
    path = complete_audit(tmp_path)  # auditor's overall grade: 3
    alone = check_value(open_audit(path, TODAY), "moderation.changed_grade", "2")
    assert not alone.ok and alone.refusals[0].key == "moderation.change_reason"

    async def scenario(app: FormApp, pilot: Pilot[str]) -> None:
        moderation = next(s for s in app.session.sections if s.id == "moderation")
        await app.show_section(moderation)
        await pilot.pause()
        same = await retype(app, pilot, "moderation.changed_grade", "3")
        assert "equals the auditor's" in str(same.query_one(".hint").render())
        assert data(path)["moderation"]["changed_grade"] == ""
        await retype(app, pilot, "moderation.changed_grade", "2")
        assert data(path)["moderation"]["changed_grade"] == 2
        keys = [f.key for f in app.session.findings]
        assert "moderation.change_reason" in keys, keys
        await pilot.press("ctrl+q")

    drive(path, scenario, mode=MODERATE)
