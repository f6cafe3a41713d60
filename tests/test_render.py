"""``qaudit render``: every sample audit to every format, read back by independent tools.

The samples are rendered once per session (through the CLI, as a user would); each reader
then checks that every section title and every question of the template is there, in order.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import SAMPLES, TODAY
from qaudit.cli.app import app
from render_support import (
    A4_WIDTH_PX,
    CHROMIUM,
    PDFTOTEXT,
    SOFFICE,
    assert_in_order,
    chromium_layout,
    docx_text,
    expected_sequence,
    expected_titles,
    family_names,
    flat,
    pdf_text,
    png_size,
    screenshot,
    soffice_convert,
    words,
)

AUDITS = sorted(p for p in SAMPLES.glob("*.toml") if p.name != "qaudit.toml")
WITH_LEARNING = [p for p in AUDITS
                 if tomllib.loads(p.read_text(encoding="utf-8")).get("learning_actions")]
FORMATS = ("docx", "html", "pdf", "mosaic")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (no "
                                    "chromium on PATH): apt-get install chromium")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                                   "(no soffice on PATH): apt-get install libreoffice-writer")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed: "
                                     "apt-get install poppler-utils")


def run(*args: str | Path) -> Any:
    env = {"QAUDIT_TODAY": TODAY, "NO_COLOR": "1", "COLUMNS": "80"}
    return CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every sample in every format, one folder per format (and the variants)."""
    root = tmp_path_factory.mktemp("rendered")
    out = {}
    for fmt in FORMATS:
        if fmt == "pdf" and CHROMIUM is None:
            continue
        folder = root / fmt
        result = run("render", *AUDITS, "-o", folder, "--format", fmt)
        assert result.exit_code == 0, result.output
        out[fmt] = folder
    for variant, options in (("file", ("--for", "file")), ("redact", ("--redact",))):
        for fmt in ("docx", "html", "mosaic"):
            folder = root / f"{variant}-{fmt}"
            result = run("render", *AUDITS, "-o", folder, "--format", fmt, *options)
            assert result.exit_code == 0, result.output
            out[f"{variant}-{fmt}"] = folder
    if CHROMIUM is not None:
        folder = root / "file-pdf"
        assert run("render", *WITH_LEARNING, "-o", folder, "--format", "pdf", "--for",
                   "file").exit_code == 0
        out["file-pdf"] = folder
    return out


def test_one_document_per_audit_named_after_it(rendered: dict[str, Path]) -> None:
    for fmt, folder in rendered.items():
        if fmt.endswith("pdf") and fmt != "pdf":
            continue
        suffix = {"docx": ".docx", "html": ".html", "pdf": ".pdf", "mosaic": ".txt"}[
            fmt.rsplit("-", 1)[-1]]
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            a.stem + suffix for a in AUDITS), fmt


@pytest.mark.parametrize("audit", AUDITS, ids=lambda p: p.stem)
def test_docx_read_by_python_docx_has_every_title_and_question_in_order(
        rendered: dict[str, Path], audit: Path) -> None:
    from docx import Document

    path = rendered["docx"] / f"{audit.stem}.docx"
    assert_in_order(docx_text(path), expected_sequence(audit), path.name)
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Auditor's overall grading", *expected_titles(audit), "Timescales"]
    assert any(p.style.name == "Title" for p in document.paragraphs)
    assert all(t.style.name == "Table Grid" for t in document.tables)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


@needs_soffice
def test_docx_through_libreoffice_to_text_and_pdf(rendered: dict[str, Path],
                                                  tmp_path: Path) -> None:
    files = sorted(rendered["docx"].glob("*.docx"))
    soffice_convert(files, "txt:Text (encoded):UTF8", tmp_path)
    soffice_convert(files, "pdf", tmp_path)
    for audit in AUDITS:
        expected = expected_sequence(audit)
        text = (tmp_path / f"{audit.stem}.txt").read_text(encoding="utf-8-sig")
        assert_in_order(text, expected, f"LibreOffice text of {audit.name}")
        pdf = tmp_path / f"{audit.stem}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"
        if PDFTOTEXT:
            assert_in_order(pdf_text(pdf), expected, f"LibreOffice PDF of {audit.name}",
                            pdf=True)


@needs_chromium
def test_html_in_chromium_at_a4_width_shows_every_title_and_nothing_overflows(
        rendered: dict[str, Path], tmp_path: Path) -> None:
    pages = [rendered["html"] / f"{audit.stem}.html" for audit in AUDITS]
    report = chromium_layout(pages, tmp_path)
    assert report["width"] == A4_WIDTH_PX
    assert report["scrollWidth"] <= report["width"], report["scrollWidth"]
    assert [p["source"] for p in report["pages"]] == [p.name for p in pages]
    for audit, page in zip(AUDITS, report["pages"], strict=True):
        assert page["overflowing"] == [], (audit.name, page["overflowing"][:5])
        titles = [flat(t["text"]) for t in page["titles"]]
        assert titles == [flat(t) for t in (expected_title(audit), *expected_titles(audit),
                                            "Timescales")], audit.name
        assert all(t["visible"] for t in page["titles"]), (audit.name, page["titles"])


@needs_chromium
def test_html_screenshot_at_a4_width(rendered: dict[str, Path], tmp_path: Path) -> None:
    png = tmp_path / "page.png"
    screenshot(rendered["html"] / f"{AUDITS[0].stem}.html", png)
    assert png_size(png) == (A4_WIDTH_PX, 1123)


def test_html_is_self_contained(rendered: dict[str, Path]) -> None:
    for page in rendered["html"].glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<style>" in text and "@page" in text and "size: A4" in text
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), page.name
        assert "<link" not in text and "@import" not in text and "<script" not in text


@needs_chromium
@needs_pdftotext
@pytest.mark.parametrize("audit", AUDITS, ids=lambda p: p.stem)
def test_pdf_text_by_pdftotext_has_every_title_and_question_in_order(
        rendered: dict[str, Path], audit: Path) -> None:
    pdf = rendered["pdf"] / f"{audit.stem}.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert_in_order(pdf_text(pdf), expected_sequence(audit), pdf.name, pdf=True)


def expected_title(audit: Path) -> str:
    from render_support import read_toml, template_of

    data = read_toml(audit)
    return f"{template_of(data).title}: {data['case']['case_number']}"


def _learning(audit: Path) -> list[str]:
    from render_support import read_toml

    return [r["action"] for r in read_toml(audit).get("learning_actions", [])
            if r.get("action", "").strip()]


def test_for_file_leaves_out_every_learning_action(rendered: dict[str, Path]) -> None:
    assert WITH_LEARNING, "the samples have learning actions to leave out"
    for audit in WITH_LEARNING:
        learning = _learning(audit)
        assert learning
        full = flat(docx_text(rendered["docx"] / f"{audit.stem}.docx"))
        assert all(flat(a) in full for a in learning), "the team's version has them"
        assert "Learning actions" in full
        texts = {
            "docx": docx_text(rendered["file-docx"] / f"{audit.stem}.docx"),
            "html": (rendered["file-html"] / f"{audit.stem}.html").read_text("utf-8"),
            "mosaic": (rendered["file-mosaic"] / f"{audit.stem}.txt").read_text("utf-8"),
        }
        if "file-pdf" in rendered and PDFTOTEXT:
            texts["pdf"] = pdf_text(rendered["file-pdf"] / f"{audit.stem}.pdf")
        for fmt, text in texts.items():
            shown = flat(text).replace("-", "").replace(" ", "")
            for action in learning:
                loose = flat(action).replace("-", "").replace(" ", "")
                assert loose not in shown, (fmt, audit.name, action)
            assert "Learning actions</h2>" not in text and "\nLearning actions\n" not in text
        assert_in_order(texts["docx"], expected_sequence(audit, for_file=True), audit.name)


def _all_zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace")
                         for name in archive.namelist())


def test_redact_leaves_no_family_name_in_any_part_of_the_docx_or_the_html(
        rendered: dict[str, Path]) -> None:
    every_name = set().union(*(family_names(a) for a in AUDITS))
    assert {"kai", "thistlewood", "leanne", "morrow", "dean"} <= every_name
    for audit in AUDITS:
        unredacted = words(_all_zip_text(rendered["docx"] / f"{audit.stem}.docx"))
        assert family_names(audit) & unredacted, "the names are there unredacted"
        for fmt, name in (("redact-docx", f"{audit.stem}.docx"),
                          ("redact-html", f"{audit.stem}.html"),
                          ("redact-mosaic", f"{audit.stem}.txt")):
            path = rendered[fmt] / name
            text = _all_zip_text(path) if path.suffix == ".docx" else path.read_text("utf-8")
            leaked = {n for n in every_name if n.casefold() in words(text)}
            assert not leaked, (fmt, name, leaked)
        html = (rendered["redact-html"] / f"{audit.stem}.html").read_text("utf-8")
        assert "Redacted:" in html and "Child " in html and "Case " in html


def test_mosaic_is_the_comments_and_the_actions_only(rendered: dict[str, Path]) -> None:
    text = (rendered["mosaic"] / "2026-06-10_FICT-100472_core.txt").read_text("utf-8")
    assert text.startswith("AUDITOR'S COMMENTS\nOverall grading: 3 Good\nGood. Quick,")
    assert "ACTIONS FOR THE PRACTITIONER\n1. Complete the 'what will be different'" in text
    assert "By whom: Jodie Fenwick-Hale (SW); Agreed due date: 26 June 2026; Status: open" \
        in text
    assert "Section" not in text and "Evidence" not in text  # nothing else
    learning = _learning(SAMPLES / "2026-02-25_FICT-200051_team-manager.toml")
    tm = (rendered["mosaic"] / "2026-02-25_FICT-200051_team-manager.txt").read_text("utf-8")
    assert learning and not any(flat(a) in flat(tm) for a in learning)


def test_mosaic_without_output_goes_to_the_screen() -> None:
    result = run("render", AUDITS[0], "--format", "mosaic")
    assert result.exit_code == 0
    assert result.stdout.startswith("AUDITOR'S COMMENTS\n")


def test_docx_carries_grades_names_evidence_actions_and_timescales(
        rendered: dict[str, Path]) -> None:
    text = flat(docx_text(rendered["docx"] / "2026-06-10_FICT-100472_core.docx"))
    for wanted in ("Core Audit Template V1.1: FICT-100472", "template core, version 1.1",
                   "2 Requires Improvement to be Good", "Evidence and rationale for the rating:",
                   "Leanne Morrow", "Timescales", "Visits", "working days late",
                   "Jodie Fenwick-Hale (SW)", "26 June 2026"):
        assert wanted in text, wanted
    moderated = flat(docx_text(rendered["docx"] / "2026-03-18_FICT-100318_core.docx"))
    assert "Section 18: Moderation Panel" in moderated
    assert "Section 18: Moderation Panel" not in text  # only once moderated


def test_an_audit_validate_refuses_still_renders_with_a_warning(tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "qaudit.toml", tmp_path / "qaudit.toml")
    bad = tmp_path / "bad.toml"
    source = (SAMPLES / "2026-06-10_FICT-100472_core.toml").read_text(encoding="utf-8")
    bad.write_text(source.replace("[answers.q4]\ngrade = 4", "[answers.q4]\ngrade = 7", 1),
                   encoding="utf-8")
    result = run("render", bad, "-o", tmp_path / "bad.html")
    assert result.exit_code == 1
    assert "warning:" in result.stderr and "bad.toml" in result.stderr
    assert "validate refuses it (1 error" in result.stderr
    assert (tmp_path / "bad.html").is_file()


def test_pdf_without_chromium_is_a_usage_error_naming_it(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("QAUDIT_CHROMIUM", raising=False)
    result = CliRunner().invoke(app, ["render", str(AUDITS[0]), "-o", str(tmp_path / "a.pdf")],
                                env={"QAUDIT_TODAY": TODAY, "PATH": str(tmp_path)})
    assert result.exit_code == 2
    assert "needs Chromium (the program 'chromium')" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("-o", "out.xlsx"), "cannot tell the format"),
    (("--format", "docx"), "say where to write the docx"),
    (("-o", "audit.toml"), "cannot tell the format"),
    (("-o", "x.html", "--format", "docx"), "does not match"),
    ((), "say which format"),
])
def test_usage_errors(args: tuple[str, ...], message: str, tmp_path: Path) -> None:
    os.chdir(tmp_path)
    result = run("render", AUDITS[0], *args)
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_several_audits_need_a_folder(tmp_path: Path) -> None:
    result = run("render", *AUDITS[:2], "-o", tmp_path / "one.docx")
    assert result.exit_code == 2 and "give -o a folder" in result.stderr


def test_hostile_text_is_escaped_and_control_characters_do_not_break_the_docx(
        tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "qaudit.toml", tmp_path / "qaudit.toml")
    audit = tmp_path / "hostile.toml"
    source = (SAMPLES / "2026-06-10_FICT-100472_core.toml").read_text(encoding="utf-8")
    audit.write_text(source.replace(
        'answer = "Since December 2025 (6 months). She completed the C&F assessment."',
        'answer = "<script>alert(1)</script> bell\\u0007 form\\u000c feed & </td>"'),
        encoding="utf-8")
    assert run("render", audit, "-o", tmp_path / "h.html").exit_code == 0
    assert run("render", audit, "-o", tmp_path / "h.docx").exit_code == 0
    page = (tmp_path / "h.html").read_text("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "bell" in docx_text(tmp_path / "h.docx") and "\x07" not in page


def test_a_file_that_is_not_an_audit_is_reported_and_the_others_render(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[audit\n", encoding="utf-8")
    result = run("render", broken, AUDITS[0], "-o", tmp_path / "out", "--format", "html")
    assert result.exit_code == 1
    assert "broken.toml:1:" in result.stderr and "toml-syntax" in result.stderr
    assert (tmp_path / "out" / f"{AUDITS[0].stem}.html").is_file()
    assert not (tmp_path / "out" / "broken.html").exists()


@needs_chromium
def test_the_layout_check_sees_an_overflowing_element(rendered: dict[str, Path],
                                                     tmp_path: Path) -> None:
    """The check above can fail: a page with a too-wide table cell is reported."""
    page = tmp_path / "wide.html"
    source = (rendered["html"] / f"{AUDITS[0].stem}.html").read_text(encoding="utf-8")
    page.write_text(source.replace("</header>", '<p style="width: 250mm">wide</p></header>', 1),
                    encoding="utf-8")
    report = chromium_layout([page], tmp_path)
    assert any(item.startswith("P wide") for item in report["pages"][0]["overflowing"])


def test_an_output_folder_that_cannot_be_made_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("render", AUDITS[0], "-o", blocker / "sub", "--format", "html")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "cannot make the folder" in result.stderr or "not a folder" in result.stderr
