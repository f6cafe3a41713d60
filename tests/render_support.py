"""What the render tests share: the samples rendered once per session, the sequence of titles
and questions a document must show (from the template data, not from the renderer), and the
independent readers (python-docx, LibreOffice, headless Chromium, pdftotext)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from qaudit.export.redact import name_parts
from qaudit.templates.catalogue import Catalogue, Template

CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
A4_WIDTH_PX = 794  # 210 mm at 96 px per inch


def flat(text: str) -> str:
    """Whitespace collapsed and typographic quotes plain, so wrapped lines compare."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00ad", "")
    return " ".join(text.split())


def read_toml(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def template_of(data: dict[str, Any]) -> Template:
    return Catalogue().require(data["audit"]["template"], data["audit"]["template_version"])


def expected_titles(path: Path, *, for_file: bool = False) -> list[str]:
    """The section titles a document of this audit must show, in order."""
    template = template_of(read_toml(path))
    headings = {s.heading for s in template.sections}
    return [t for t in expected_sequence(path, for_file=for_file) if t in headings]


def expected_sequence(path: Path, *, for_file: bool = False) -> list[str]:
    """Every section title and every question of the audit's template, in template order,
    as a document must show them: moderator-only parts only once moderated, learning
    actions left out for the child's file."""
    data = read_toml(path)
    template = template_of(data)
    moderated = data["audit"]["status"] == "moderated"
    found = []
    for section in template.sections:
        if for_file and section.group is not None and section.group.role == "learning_actions":
            continue
        shown_fields = [f for f in section.fields if moderated or not f.moderator_only]
        questions = [q for q in section.questions if moderated or not q.moderator_only]
        if not (shown_fields or questions or section.group is not None):
            continue
        found.append(section.heading)
        found.extend(q.text for q in questions)
    return found


def assert_in_order(text: str, expected: list[str], where: str, *, pdf: bool = False) -> None:
    """Each expected string found after the one before it. ``pdf``: hyphens are ignored, as
    a PDF reader joins a word hyphenated at a line end ("multi-" "agency": "multiagency")."""
    def norm(value: str) -> str:
        value = flat(value).casefold()
        return value.replace("-", "").replace(" ", "") if pdf else value

    haystack = norm(text)
    position = 0
    for wanted in expected:
        needle = norm(wanted)
        found = haystack.find(needle, position)
        assert found >= 0, (f"{where}: {wanted!r} is missing after position {position}"
                            f" (anywhere: {haystack.find(needle) >= 0})")
        position = found + len(needle)


def family_names(path: Path) -> set[str]:
    """Every part (case folded) of the child's and the parents'/carers' names an audit
    records, read from the file with tomllib (not through qaudit's template roles)."""
    data = read_toml(path)
    names = [data.get("case", {}).get("child_name", "")]
    names += [p.get("name", "") for p in data.get("parents", []) if isinstance(p, dict)]
    return {part for name in names if name.strip() for part in name_parts(name)}


def _runs_text(paragraph: Any) -> str:
    """A paragraph's text: its w:t runs, a line break or tab read as a space."""
    parts = []
    for node in paragraph.iter():
        name = node.tag.rsplit("}", 1)[-1]
        if name == "t":
            parts.append(node.text or "")
        elif name in ("br", "tab", "cr"):
            parts.append(" ")
    return "".join(parts)


def docx_text(path: Path) -> str:
    """The body of a .docx in document order (paragraphs and table cells), by python-docx."""
    from docx import Document

    document = Document(str(path))
    out: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(_runs_text(block))
        elif tag == "tbl":  # each cell once: a merged cell is one w:tc with a gridSpan
            for cell in block.iter():
                if cell.tag.endswith("}tc"):
                    out.append(" ".join(_runs_text(p) for p in cell.iter()
                                        if p.tag.endswith("}p")))
    return "\n".join(out)


def soffice_convert(files: list[Path], target: str, outdir: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", target, "--outdir", str(outdir), *map(str, files)],
                       check=True, capture_output=True, timeout=300)


def pdf_text(path: Path) -> str:
    """The PDF's text in content order (``-raw``: cell by cell, as it was laid out)."""
    done = subprocess.run([PDFTOTEXT, "-raw", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, timeout=60)
    return done.stdout.decode("utf-8")


def chromium_flags(profile: str) -> list[str]:
    flags = ["--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--hide-scrollbars",
             f"--user-data-dir={profile}", f"--window-size={A4_WIDTH_PX},1123"]
    if os.geteuid() == 0:
        flags.append("--no-sandbox")
    return flags


# Run after layout: for each audit's <main>, what overflows the A4-wide viewport and every
# section title with whether it is laid out and visible. The report goes into the DOM, for
# --dump-dom.
CHECK_SCRIPT = """
<script>
window.addEventListener("load", () => {
  const width = document.documentElement.clientWidth;
  const pages = [...document.querySelectorAll("main.audit")].map(main => {
    const overflowing = [];
    for (const el of main.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.width && (box.right > width + 0.5 || box.left < -0.5)) {
        overflowing.push(el.tagName + " " + (el.textContent || "").slice(0, 60));
      }
    }
    const titles = [...main.querySelectorAll("h1, h2.section-title")].map(h => {
      const box = h.getBoundingClientRect(), style = getComputedStyle(h);
      return {text: h.textContent, visible: box.width > 0 && box.height > 0 &&
              style.visibility !== "hidden" && style.display !== "none" &&
              parseFloat(style.opacity) > 0 && box.right <= width + 0.5};
    });
    return {source: main.dataset.source, overflowing, titles};
  });
  const report = {width, scrollWidth: document.documentElement.scrollWidth, pages};
  document.body.setAttribute("data-layout-report", JSON.stringify(report));
});
</script>
"""


class _ReportFinder(HTMLParser):
    report: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.report = dict(attrs).get("data-layout-report")


def chromium_layout(pages: list[Path], workdir: Path) -> dict[str, Any]:
    """Lay out every page's <main> (each as rendered, one after the other, with the pages'
    own stylesheet) in one headless Chromium at A4 width, and report on each."""
    head = pages[0].read_text(encoding="utf-8").split("<body>", 1)[0]
    mains = []
    for page in pages:
        body = page.read_text(encoding="utf-8").split("<body>", 1)[1].rsplit("</body>", 1)[0]
        mains.append(body.replace('<main class="audit">',
                                  f'<main class="audit" data-source="{page.name}">', 1))
    probe = workdir / "probe.html"
    probe.write_text(head + "<body>" + "".join(mains) + CHECK_SCRIPT + "</body></html>",
                     encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        done = subprocess.run([CHROMIUM, *chromium_flags(profile), "--dump-dom",
                               probe.as_uri()], capture_output=True, timeout=180, check=True)
    finder = _ReportFinder()
    finder.feed(done.stdout.decode("utf-8"))
    assert finder.report, "Chromium ran no layout check"
    result: dict[str, Any] = json.loads(html.unescape(finder.report))
    return result


def screenshot(page: Path, png: Path, height: int = 1123) -> None:
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        flags = [f for f in chromium_flags(profile) if not f.startswith("--window-size")]
        subprocess.run([CHROMIUM, *flags, f"--window-size={A4_WIDTH_PX},{height}",
                        f"--screenshot={png}", page.as_uri()], capture_output=True,
                       timeout=120, check=True)


def png_size(png: Path) -> tuple[int, int]:
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)}
