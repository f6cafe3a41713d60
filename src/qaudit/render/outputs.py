"""``qaudit render``'s core: which format, where each document goes, and writing it through
the one atomic write. A file that cannot be read is a finding for that file; the others are
still rendered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from qaudit.audit.writer import atomic_write, atomic_write_bytes
from qaudit.errors import FileAccessError, UsageError
from qaudit.export.redact import NameScrubber
from qaudit.findings import Finding
from qaudit.readable import readable
from qaudit.render.prepare import Prepared, prepare, scrubber_for


class Format(StrEnum):
    docx = "docx"
    html = "html"
    pdf = "pdf"
    mosaic = "mosaic"


SUFFIX = {Format.docx: ".docx", Format.html: ".html", Format.pdf: ".pdf", Format.mosaic: ".txt"}
BY_SUFFIX = {".docx": Format.docx, ".html": Format.html, ".htm": Format.html,
             ".pdf": Format.pdf, ".txt": Format.mosaic}


@dataclass(frozen=True)
class Plan:
    """What to make: the format, and for each audit the file to write (None: standard out,
    only for mosaic text)."""

    format: Format
    targets: tuple[tuple[Path, Path | None], ...]


def plan(paths: Sequence[Path], output: Path | None, chosen: Format | None) -> Plan:
    """Resolve the format (from ``--format`` or the output's suffix) and the output names.

    One audit and ``-o name.docx`` writes that file; several audits (or ``-o`` a folder)
    write one document each into the folder, named after the audit (``<stem>.docx``).
    """
    if not paths:
        raise UsageError("name at least one audit file to render")
    suffix_format = BY_SUFFIX.get(output.suffix.lower()) if output is not None else None
    if output is not None and output.suffix and suffix_format is None and not output.is_dir():
        raise UsageError(f"-o {output}: cannot tell the format from {readable(output.suffix)}; "
                         "use .docx, .html, .pdf or .txt (mosaic), or name a folder")
    if chosen is not None and suffix_format is not None and chosen is not suffix_format:
        raise UsageError(f"--format {chosen.value} does not match -o {output} "
                         f"({suffix_format.value}); leave one out")
    fmt = chosen or suffix_format
    if fmt is None:
        raise UsageError("say which format: --format docx|html|pdf|mosaic, or an -o file "
                         "ending .docx, .html, .pdf or .txt")
    if output is None:
        if fmt is not Format.mosaic:
            raise UsageError(f"say where to write the {fmt.value}: -o FILE{SUFFIX[fmt]} "
                             "(or -o FOLDER for several audits)")
        return Plan(fmt, tuple((p, None) for p in paths))
    if suffix_format is not None and not output.is_dir():
        if len(paths) > 1:
            raise UsageError(f"{len(paths)} audits make {len(paths)} documents: give -o a "
                             "folder, not one file")
        _check_target(paths[0], output)
        return Plan(fmt, ((paths[0], output),))
    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {output} exists and is not a folder")
    targets = []
    seen: dict[Path, Path] = {}
    for path in paths:
        target = output / (path.stem + SUFFIX[fmt])
        if target in seen:
            raise UsageError(f"{path} and {seen[target]} would both be written to {target}; "
                             "render them separately")
        seen[target] = path
        _check_target(path, target)
        targets.append((path, target))
    return Plan(fmt, tuple(targets))


def _check_target(source: Path, target: Path) -> None:
    if target.suffix.lower() == ".toml":
        raise UsageError(f"refusing to write a document over a .toml file: {target}")
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise UsageError(f"refusing to write over the audit itself: {target}")


@dataclass
class Rendered:
    """One audit's outcome: where it went (or its text), and what validate found."""

    source: str
    target: Path | None
    findings: list[Finding] = field(default_factory=list)
    written: bool = False
    text: str = ""          # mosaic text bound for standard out


def _make(prepared: Prepared, fmt: Format, made_on: dt.date, source: str,
          browser: str | None) -> str | bytes:
    assert prepared.document is not None
    document = prepared.document
    if fmt is Format.mosaic:
        from qaudit.render.mosaic import render_mosaic

        return render_mosaic(document)
    if fmt is Format.docx:
        from qaudit.render.docx_writer import render_docx

        return render_docx(document, source=source, made_on=made_on)
    from qaudit.render.html import render_html

    page = render_html(document, source=source, made_on=made_on)
    if fmt is Format.html:
        return page
    from qaudit.render.pdf import print_pdf

    return print_pdf(page, browser=browser)


def render_all(target_plan: Plan, today: dt.date, *, for_file: bool = False,
               redact: bool = False,
               progress: Callable[[int], None] | None = None) -> Iterator[Rendered]:
    """Render every audit of the plan, one result each, in order."""
    browser = None
    if target_plan.format is Format.pdf:
        from qaudit.render.pdf import find_browser

        browser = find_browser()  # before any work: a missing Chromium is a usage error
    paths = [p for p, _ in target_plan.targets]
    scrubber: NameScrubber | None = scrubber_for(paths) if redact else None
    for done, (path, target) in enumerate(target_plan.targets, start=1):
        prepared = prepare(path, today, for_file=for_file, scrubber=scrubber)
        result = Rendered(prepared.shown, target, prepared.findings)
        if prepared.document is not None:
            name = path.name if scrubber is None else scrubber(path.name)
            made = _make(prepared, target_plan.format, today, name, browser)
            if target is None:
                result.text = made if isinstance(made, str) else made.decode("utf-8")
            else:
                try:
                    # one new level at most: a typo in -o must not make a tree somewhere new
                    target.parent.mkdir(exist_ok=True)
                except FileNotFoundError:
                    raise UsageError(
                        f"no such folder, and its parent {target.parent.absolute().parent} "
                        "does not exist either; nothing was written (create the folder "
                        "first)", path=str(target.parent)) from None
                except OSError as exc:
                    raise FileAccessError(f"cannot make the folder: {exc.strerror or exc}",
                                          path=str(target.parent)) from None
                if isinstance(made, str):
                    atomic_write(target, made)
                else:
                    atomic_write_bytes(target, made)
                result.written = True
        if progress is not None:
            progress(done)
        yield result
