"""What ``import-xlsx`` checks before it trusts a workbook that travelled by e-mail.

* The container: a regular file, a zip whose parts are few and whose uncompressed sizes are
  bounded (a zip bomb is refused from its directory alone, before anything is inflated); the
  XML is then read through ``defusedxml`` (openpyxl uses it when installed), so entity tricks
  such as billion laughs are refused, not expanded.
* Each row's hidden path: it must resolve, symlinks followed, to a regular ``*.toml`` file
  inside the workbook's folder tree (or the ``--root`` folder); ``../``, absolute paths
  elsewhere, ``dir/../../`` and folder links out of the tree are refused.
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from qaudit.errors import UsageError
from qaudit.readable import readable

MAX_WORKBOOK_BYTES = 512 * 1024 * 1024  # the file as it lies on disk
MAX_PARTS = 10_000  # a qaudit workbook has about 20
MAX_UNPACKED = 2 * 1024 * 1024 * 1024  # all parts inflated (the Answers sheet is the bulk)
MAX_HELD_PART = 64 * 1024 * 1024  # a part openpyxl holds in memory whole (styles, strings...)
MAX_RATIO = 100  # XML compresses 5-30 times; far more than this is a bomb
RATIO_FROM = 10 * 1024 * 1024  # small parts may compress as they like
_STREAMED = ("xl/worksheets/", "xl/charts/", "xl/drawings/")  # read row by row, or not at all


def check_container(workbook: Path) -> None:
    """Refuse (``UsageError``, exit 2) a workbook that is not a regular, bounded zip."""
    try:
        info = os.stat(workbook)
    except FileNotFoundError:
        raise UsageError(f"{workbook} does not exist") from None
    except OSError as exc:
        raise UsageError(f"{workbook} cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{workbook} is not a regular file; give the .xlsx workbook itself")
    if info.st_size > MAX_WORKBOOK_BYTES:
        raise UsageError(f"{workbook} is {info.st_size // 1048576} MB, more than a panel "
                         f"workbook can be ({MAX_WORKBOOK_BYTES // 1048576} MB)")
    try:
        with zipfile.ZipFile(workbook) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UsageError(f"{workbook} is not an .xlsx workbook: {exc}") from None
    if len(parts) > MAX_PARTS:
        raise _bomb(workbook, f"it has {len(parts):,} parts (a panel workbook has about 20)")
    total = 0
    for part in parts:
        total += part.file_size
        held = not part.filename.startswith(_STREAMED)
        if held and part.file_size > MAX_HELD_PART:
            raise _bomb(workbook, f"its part {part.filename} inflates to "
                        f"{part.file_size // 1048576} MB")
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FROM and ratio > MAX_RATIO:
            raise _bomb(workbook, f"its part {part.filename} inflates {ratio:,.0f} times "
                        f"(to {part.file_size // 1048576} MB)")
    if total > MAX_UNPACKED:
        raise _bomb(workbook, f"it inflates to {total // 1048576} MB")


def _bomb(workbook: Path, why: str) -> UsageError:
    return UsageError(f"{workbook} is refused: {why}, as a zip bomb does; qaudit reads only "
                      "workbooks of the size export-xlsx writes")


def require_defusedxml() -> None:
    """openpyxl parses through defusedxml only when it is installed and not switched off."""
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise UsageError("import-xlsx reads workbooks only through defusedxml, which is not "
                         "in use (is OPENPYXL_DEFUSEDXML set to False?); nothing was read")


def confine(link: str, workbook: Path, root: Path | None) -> tuple[Path, str]:
    """The audit a row's path names, and "" when it may be written; else the refusal."""
    top = Path(os.path.realpath(root if root is not None else workbook.parent))
    given = Path(link)
    path = given if given.is_absolute() else workbook.parent / given
    real = Path(os.path.realpath(path))
    where = "the --root folder" if root is not None else "the workbook's folder"
    if not real.is_relative_to(top):
        return path, (f"the path {readable(link)} leads outside {where} ({top}), to {real}; "
                      "import-xlsx writes only audits inside it (give --root DIR to widen)")
    if real.suffix.lower() != ".toml" or given.suffix.lower() != ".toml":
        return path, f"the path {readable(link)} is not an audit file (*.toml)"
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return path, f"the path {readable(link)} does not exist (was the audit moved or renamed?)"
    except OSError as exc:
        return path, f"the path {readable(link)} cannot be read: {exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return path, f"the path {readable(link)} is not a regular file, so it is not written"
    return path, ""
