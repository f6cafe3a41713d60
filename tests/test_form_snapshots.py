"""The form's screens at 80x24 (usable) and 120x40 (comfortable), for both shipped templates,
compared with the SVG screens checked in under tests/snapshots/form/.

After a deliberate change to the layout, regenerate them with
``QAUDIT_UPDATE_SNAPSHOTS=1 python -m pytest tests/test_form_snapshots.py`` and look at the
new SVGs (any browser opens them) before committing."""

from __future__ import annotations

import asyncio
import html
import os
import re
from pathlib import Path

import pytest
from textual.pilot import Pilot

from builders import blank_audit
from qaudit.form.app import FormApp
from qaudit.form.session import FormSession
from test_form import TODAY, goto

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "form"
SIZES = ((80, 24), (120, 40))
# Where each screen is taken, and a value the question refuses (a grade of 5; "maybe").
REFUSED = {"core": ("4", "5"), "team-manager": ("2.1", "maybe")}
_TEXT = re.compile(r'<text[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', re.S)


def screen_text(svg: str) -> str:
    """The characters of an exported screen, one line per row (for readable failures)."""
    rows: dict[float, list[str]] = {}
    for y, body in _TEXT.findall(svg):
        rows.setdefault(float(y), []).append(html.unescape(re.sub(r"<[^>]+>", "", body)))
    return "\n".join("".join(parts).replace("\xa0", " ").rstrip()
                     for _, parts in sorted(rows.items()))


def screens(path: Path, question: str, refused: str) -> dict[tuple[int, int], str]:
    """The form open at a question with a refused answer typed in it, at each size."""
    app = FormApp(FormSession.open(path, TODAY))
    shots: dict[tuple[int, int], str] = {}

    async def run() -> None:
        async with app.run_test(size=SIZES[0]) as pilot:
            await pilot.pause()
            await goto(pilot, question)
            await pilot.press(*refused, "tab")
            await pilot.pause()
            await take(pilot)
            await pilot.press("ctrl+q")

    async def take(pilot: Pilot[str]) -> None:
        for editor in app.query("OneLine, ManyLines"):
            editor.cursor_blink = False  # type: ignore[attr-defined]  # same screen every run
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await pilot.pause(0.2)
            shots[(width, height)] = app.export_screenshot(title="qaudit fill")

    asyncio.run(run())
    return shots


@pytest.mark.parametrize("template_id", ["core", "team-manager"])
def test_form_screens_match_the_snapshots(tmp_path: Path, template_id: str) -> None:
    path = blank_audit(tmp_path, template_id)
    shots = screens(path, *REFUSED[template_id])
    update = os.environ.get("QAUDIT_UPDATE_SNAPSHOTS") == "1"
    for (width, height), svg in shots.items():
        text = screen_text(svg)
        assert "Traceback" not in text
        assert "NOT SAVED" in text  # the refused grade is marked on screen at every size
        snapshot = SNAPSHOTS / f"{template_id}-{width}x{height}.svg"
        if update or not snapshot.exists():
            SNAPSHOTS.mkdir(parents=True, exist_ok=True)
            snapshot.write_text(svg, encoding="utf-8")
            if not update:
                pytest.fail(f"{snapshot.name} did not exist; written now, check it and commit")
        expected = snapshot.read_text(encoding="utf-8")
        assert screen_text(expected) == text, f"{snapshot.name} differs"
        assert expected == svg, f"{snapshot.name}: same text, different colours or layout"


def readme_screenshot(folder: Path) -> Path:
    """The README's picture of the form: a sample audit at 120x40, in colour, with a
    practice standard opened and a refused grade. ``python tests/test_form_snapshots.py DIR``
    writes DIR/form-120x40.svg and, with Chromium, DIR/form-120x40.png (the README's)."""
    import shutil
    import subprocess
    import tempfile

    os.environ.pop("NO_COLOR", None)
    sample = Path(__file__).resolve().parent.parent / "sample_audits"
    work = Path(tempfile.mkdtemp())
    path = work / "2026-05-20_FICT-100231_core.toml"
    shutil.copy(sample / path.name, path)
    app = FormApp(FormSession.open(path, TODAY))
    svg = ""

    async def run() -> None:
        nonlocal svg
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await goto(pilot, "6")
            await pilot.press("ctrl+a", "ctrl+k", "2", ".", "5", "tab")
            await goto(pilot, "5")
            await pilot.press("f2")
            await pilot.pause(0.5)
            for editor in app.query("OneLine, ManyLines"):
                editor.cursor_blink = False  # type: ignore[attr-defined]
            svg = app.export_screenshot(title="qaudit fill")
            await pilot.press("ctrl+q")

    asyncio.run(run())
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "form-120x40.svg"
    target.write_text(svg, encoding="utf-8")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser:
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--screenshot={folder / 'form-120x40.png'}", "--window-size=1500,1010",
                        target.resolve().as_uri()], check=True, capture_output=True)
    shutil.rmtree(work)
    return target


if __name__ == "__main__":
    import sys

    print(readme_screenshot(Path(sys.argv[1])))
