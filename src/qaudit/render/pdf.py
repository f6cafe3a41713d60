"""The PDF of an audit: its HTML page printed by headless Chromium (``--print-to-pdf``).

Chromium is used because the HTML page is already laid out for print (``@page`` A4, headings
kept with what follows, table headers repeated), so the PDF is exactly the page a browser
prints, from a program most machines have; LibreOffice would lay out the .docx again with
its own engine. Chromium runs with a fresh profile, no network and no extensions; as root
(CI containers) its sandbox cannot start, so it runs with ``--no-sandbox`` there only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from qaudit.errors import FileAccessError, UsageError
from qaudit.readable import readable

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_ENV = "QAUDIT_CHROMIUM"
TIMEOUT = 120


def find_browser() -> str:
    """The Chromium to print with: $QAUDIT_CHROMIUM, else the first on PATH; else a usage
    error naming what to install."""
    named = os.environ.get(BROWSER_ENV)
    if named:
        found = shutil.which(named)
        if not found:
            raise UsageError(f"${BROWSER_ENV} names {readable(named)}, which is not a program on "
                             "PATH; a PDF is printed by headless Chromium")
        return found
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise UsageError("rendering a PDF needs Chromium (the program 'chromium'), which is not "
                     "installed; install it (Debian/Ubuntu: apt-get install chromium) or "
                     "render .html or .docx instead")


def browser_flags(profile: Path) -> list[str]:
    flags = ["--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--disable-extensions", "--mute-audio",
             f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")
    return flags


def print_pdf(html: str, *, browser: str | None = None) -> bytes:
    """The PDF bytes of an HTML page, printed on A4 by headless Chromium."""
    program = browser or find_browser()
    with tempfile.TemporaryDirectory(prefix="qaudit-pdf-") as work:
        folder = Path(work)
        page, out = folder / "audit.html", folder / "audit.pdf"
        page.write_text(html, encoding="utf-8")
        command = [program, *browser_flags(folder / "profile"), "--no-pdf-header-footer",
                   f"--print-to-pdf={out}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise FileAccessError(f"Chromium did not print the PDF within {TIMEOUT} s",
                                  path=program) from None
        except OSError as exc:
            raise UsageError(f"Chromium could not be started: {exc.strerror or exc}",
                             path=program) from None
        if not out.is_file() or out.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise FileAccessError("Chromium did not print the PDF (exit "
                                  f"{done.returncode}): {detail[-1] if detail else 'no output'}",
                                  path=program)
        return out.read_bytes()
