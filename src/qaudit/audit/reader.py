"""Reading audit files fast, for commands that only read (validate, check-kpis, export).

rtoml parses a 25 KB audit in well under a millisecond; the round-trip parser (tomlkit) is
kept for commands that write a file back (``qaudit.audit.writer``). Problems that stop a file being
read at all (empty, binary, unreadable, bad TOML) come back as a Finding, never an exception,
so one bad file never stops a batch.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import rtoml
from msgspec import Struct

from qaudit.audit.locate import KeyIndex
from qaudit.audit.locking import GITIGNORE_LINE, is_leftover, is_stale, leftover_of
from qaudit.audit.status import STATUS_KEY
from qaudit.findings import Finding, Level

_AT = r"at line (\d+) column (\d+)"  # compiled on first use (re's cache): syntax errors only
_KEY_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@lru_cache(maxsize=65536)
def split_key(key: str) -> tuple[str | int, ...]:
    """``actions[1].due`` -> ``("actions", 1, "due")``."""
    return tuple(int(m.group(2)) if m.group(2) else m.group(1) for m in _KEY_PART.finditer(key))


def lookup(data: Any, key: str) -> Any:
    """The value at a dotted key, or None where any part is missing."""
    node = data
    for part in split_key(key):
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
            node = node[part]
        else:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
    return node


class AuditDocument(Struct):
    """One audit file as read: its path as the user gave it, its text and its data."""

    path: str
    text: str
    data: dict[str, Any]
    _index: KeyIndex | None = None  # built on the first position asked

    def get(self, key: str) -> Any:
        return lookup(self.data, key)

    def position(self, key: str, *, at_value: bool = True) -> tuple[int, int]:
        if self._index is None:
            self._index = KeyIndex(self.text)
        return self._index.position(key, at_value=at_value)

    def finding(self, key: str, level: Level, rule: str, message: str, *,
                at_value: bool = True) -> Finding:
        line, column = self.position(key, at_value=at_value)
        return Finding(self.path, line, column, level, rule, message, key)

    @property
    def template_id(self) -> str:
        value = self.get("audit.template")
        return value if isinstance(value, str) else ""

    @property
    def template_version(self) -> str:
        value = self.get("audit.template_version")
        return str(value) if isinstance(value, str | int | float) else ""

    @property
    def status(self) -> str:
        value = self.get(STATUS_KEY)
        return value if isinstance(value, str) else ""


def _failure(path: str, rule: str, message: str, line: int = 1, column: int = 1) -> Finding:
    return Finding(path, line, column, Level.ERROR, rule, message)


def parse_text(text: str, display: str) -> AuditDocument | Finding:
    """Parse TOML text; a syntax error becomes a ``toml-syntax`` finding with its position."""
    try:
        data = rtoml.loads(text)
    except rtoml.TomlParsingError as exc:
        message = str(exc).strip()
        where = re.search(_AT, message)
        line, column = (int(where.group(1)), int(where.group(2))) if where else (1, 1)
        message = re.sub(_AT, "", message).strip().rstrip(",")
        return _failure(display, "toml-syntax", f"not valid TOML: {message}", line, column)
    return AuditDocument(display, text, data)


MAX_AUDIT_BYTES = 16 * 1024 * 1024  # an audit is 10-60 KB; a file this big is not one
BOM = "\ufeff"


class Unreadable(Exception):
    """Why a file cannot be read as an audit: a rule id, a message, and where."""

    def __init__(self, rule: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.rule, self.message, self.line, self.column = rule, message, line, column


_SPECIAL = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(path: Path, mode: int) -> Unreadable:
    if stat.S_ISDIR(mode):
        return Unreadable("file-unreadable", _folder_problem(path))
    kind = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
    via = f" (through the link to {os.path.realpath(path)})" if path.is_symlink() else ""
    return Unreadable("file-special", f"is {kind}{via}, not an audit file; qaudit reads "
                      "only regular files")


def _folder_problem(path: Path) -> str:
    if path.is_symlink():
        return (f"is a link to the folder {os.path.realpath(path)}, which is checked already "
                "(a loop, or a second way in); it is not followed again")
    if not os.access(path, os.R_OK | os.X_OK):
        return "is a folder qaudit cannot open (permission denied)"
    return "is a folder, not an audit file"


def read_regular(path: Path, limit: int = MAX_AUDIT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``Unreadable``.

    Opened without blocking, so a FIFO never hangs a command; a device, a socket or a link
    to one (``/dev/zero``) is refused before a byte is read."""
    name = path.name
    if is_leftover(name):
        raise Unreadable("file-temp", f"is a temporary file left by a qaudit write that was "
                         f"interrupted ({leftover_of(name)} itself is intact); delete it (the "
                         "next qaudit write in this folder removes it) and keep such files out "
                         f"of git with the .gitignore line {GITIGNORE_LINE}")
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if path.is_symlink():
            raise Unreadable("file-unreadable", f"is a link to {os.readlink(path)}, which "
                             "does not exist") from None
        raise Unreadable("file-unreadable", "does not exist") from None
    except IsADirectoryError:
        raise Unreadable("file-unreadable", _folder_problem(path)) from None
    except OSError as exc:
        raise Unreadable("file-unreadable",
                         f"cannot be read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path, info.st_mode)
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        chunks: list[bytes] = []
        size = 0
        want = info.st_size + 1  # the whole file in one read (and its end seen) as a rule
        while chunk := os.read(fd, want):
            want = 1 << 20
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _too_large(size, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise Unreadable("file-unreadable", f"cannot be read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _too_large(size: int, limit: int) -> Unreadable:
    return Unreadable("file-too-large", f"is {size / 1048576:.1f} MB, larger than an audit "
                      f"can be (at most {limit // 1048576} MB); qaudit does not read it")


def decode_audit(raw: bytes) -> tuple[str, bool]:
    """UTF-8 text without its one byte-order mark, and whether it had one; or ``Unreadable``
    (empty, binary, not UTF-8, two byte-order marks). Every command reads through this."""
    if not raw or raw.isspace():  # as ``not raw.strip()``, without copying the file
        raise Unreadable("file-empty", "the file is empty; an audit starts with [audit]")
    if raw.find(b"\x00", 0, 8192) >= 0:
        raise Unreadable("file-binary", "is a binary file, not a TOML audit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise Unreadable("file-encoding", "is not UTF-8 text; save it as UTF-8",
                         line, column) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if text.startswith(BOM):
        raise Unreadable("file-encoding", "starts with two byte-order marks (U+FEFF), so it "
                         "is not TOML; delete the invisible characters before [audit] or save "
                         "it again as UTF-8")
    return text, bom


def read_audit(path: Path, display: str | None = None) -> AuditDocument | Finding:
    """Read one audit file. Every way it can fail is returned as a finding."""
    shown = display if display is not None else str(path)
    try:
        text, _bom = decode_audit(read_regular(path))
    except Unreadable as problem:
        return _failure(shown, problem.rule, problem.message, problem.line, problem.column)
    return parse_text(text, shown)


def _is_audit_name(name: str, skip_names: frozenset[str]) -> bool:
    return name.lower().endswith(".toml") and name not in skip_names


def expand_paths(paths: Iterable[Path], *, suffix: str = ".toml",
                 skip_names: frozenset[str] = frozenset({"qaudit.toml"})) -> Iterator[Path]:
    """Files as given, and every ``*.toml`` (any case) under folders, sorted, hidden folders
    skipped, folder links followed once (a loop or a second link to a folder already walked
    is yielded itself, so ``read_audit`` names it). Temporary files left by an interrupted
    qaudit write are yielded too, so they are named rather than committed.

    ``qaudit.toml`` is a folder's settings file, not an audit, so it is skipped in folders.
    A path that does not exist is yielded as it is, so the caller reports it.
    """
    del suffix  # kept for callers; every *.toml is an audit, whatever the case of its suffix
    seen: set[tuple[int, int]] = set()
    for path in paths:
        if path.is_dir() and str(path) not in _NOT_WALKED:
            yield from _walk(path, seen, skip_names)
        else:
            yield path


# Folder links a walk named instead of following (loops, second ways in): expanding the
# expanded list again (a command passing its file list on) must not walk them after all.
_NOT_WALKED: set[str] = set()


def _walk(top: Path, seen: set[tuple[int, int]],
          skip_names: frozenset[str]) -> Iterator[Path]:
    """Depth first like ``os.walk``: a folder's files, then its sub-folders, each sorted."""
    stack = [top]
    info = top.stat()
    seen.add((info.st_dev, info.st_ino))
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            yield folder  # read_audit says why it cannot be opened
            continue
        folders: list[Path] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                if is_leftover(entry.name):
                    if is_stale(Path(entry.path)):
                        yield Path(entry.path)  # read_audit names it (file-temp)
                elif _is_audit_name(entry.name, skip_names):
                    yield Path(entry.path)
                continue
            if entry.name.startswith("."):
                continue
            try:
                target = entry.stat()
            except OSError:
                continue
            key = (target.st_dev, target.st_ino)
            if key in seen:
                _NOT_WALKED.add(entry.path)
                yield Path(entry.path)  # a loop, or a second link to a walked folder
                continue
            seen.add(key)
            folders.append(Path(entry.path))
        stack.extend(reversed(folders))
