"""File identity for caches that must refresh when a file changes (state per run): a cache
keyed on ``stamp(path)`` loads again after ``qaudit.toml``, a rule set or a template is
edited, so a long-lived front-end (the form) never works from a stale copy."""

from __future__ import annotations

import os
from pathlib import Path

Stamp = tuple[str, int, int, int]


def stamp(path: Path | str | None) -> Stamp | None:
    """(path, inode, modification time in ns, size), or None when there is no such file."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (str(path), info.st_ino, info.st_mtime_ns, info.st_size)


def folder_stamp(folder: Path) -> tuple[Stamp | None, ...]:
    """The stamps of the ``*.toml`` files in a folder (and the folder's own, for files added
    or removed)."""
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".toml"))
    except OSError:
        return (None,)
    return (stamp(folder), *(stamp(folder / name) for name in names))
