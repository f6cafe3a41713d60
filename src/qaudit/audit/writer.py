"""Writing audit files back without losing anything: the one write path of qaudit.

* ``atomic_write`` / ``atomic_write_with``: under the audit's lock (``qaudit.audit.locking``),
  a temporary file in the real file's folder, flush, fsync, rename over the real file, fsync
  the folder. A crash or a kill leaves the old file or the new one, never half of one; a
  symlink is written through (its target is replaced, the link stays a link).
* ``AuditEditor``: a round-trip (tomlkit) edit of one audit. Comments, blank lines, key order,
  a byte-order mark and keys qaudit does not know survive byte for byte; only the lines set
  change. ``save`` takes the lock, checks the file on disk is still the one it read, and
  refuses to overwrite someone else's change (``ConflictError``). ``AuditEditor.locked``
  holds the lock from the read to the save, so a second writer waits for the first and then
  reads its result (scripted edits: both land).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from qaudit.audit.locking import LOCK_WAIT, exclusive, folder_not_writable, sweep, temp_path
from qaudit.audit.reader import (
    BOM,
    Unreadable,
    decode_audit,
    parse_text,
    read_regular,
    split_key,
)
from qaudit.errors import ConflictError, FileAccessError
from qaudit.findings import Finding


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _default_mode() -> int:
    """What a plain open() would give a new file: 0o666 less the umask (mkstemp gives 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def real_target(path: Path) -> Path:
    """The file a write of ``path`` must replace: symlinks followed to the real file."""
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise FileAccessError(f"cannot be written: {exc.strerror or exc}", path=str(path)) from exc
    if not stat.S_ISREG(info.st_mode):
        raise FileAccessError("is not a regular file, so qaudit does not write it",
                              path=str(path))
    return target


def _fsync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):
        return  # Windows: a rename is durable without it
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_with(path: Path, fill: Callable[[IO[bytes]], object], *,
                      mode: int | None = None) -> None:
    """Replace ``path`` (its real file) with what ``fill`` writes to a binary handle.

    Holds ``path``'s lock (re-entrant), keeps the file's permissions (``mode`` for a new file),
    and removes what killed qaudit writes left in the folder."""
    target = real_target(path)
    folder = target.parent
    with exclusive(target):
        sweep(folder, target)
        try:
            keep = target.stat().st_mode & 0o777 if target.exists() else None
            temp = temp_path(target)
            flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
            fd = os.open(temp, flags, 0o600)
        except OSError as exc:
            raise folder_not_writable(target, exc, path) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                fill(handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, keep if keep is not None else
                     (mode if mode is not None else _default_mode()))
            os.replace(temp, target)
            _fsync_folder(folder)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise FileAccessError(f"cannot be written: {exc.strerror or exc}",
                                  path=str(path)) from exc
        except BaseException:
            temp.unlink(missing_ok=True)
            raise


def atomic_write(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically, keeping the file's permissions."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write_with(path, lambda handle: handle.write(data))


def _read_for_edit(path: Path) -> tuple[bytes, str, bool]:
    try:
        raw = read_regular(path)
        text, bom = decode_audit(raw)
    except Unreadable as problem:
        raise FileAccessError(problem.message, path=str(path)) from None
    return raw, text, bom


def _syntax_error(path: Path, text: str, exc: TOMLKitError) -> FileAccessError:
    """The same message and position as ``validate``'s toml-syntax finding."""
    found = parse_text(text, str(path))
    if isinstance(found, Finding):
        return FileAccessError(f"{found.message}; fix it (qaudit validate shows where) "
                               "before editing", path=f"{path}:{found.line}:{found.column}")
    return FileAccessError(f"is not TOML this editor can keep as written: {exc}",
                           path=str(path))


_HOLD_FROM_READ = False


def hold_locks_from_read(on: bool = True) -> None:
    """For a one-shot scripted command: every editor opened from now on takes the audit's lock
    before it reads and keeps it until it saves (or the process ends), so a second writer
    waits and then reads this one's result instead of being refused. Not for a front-end that
    keeps an audit open while a person types."""
    global _HOLD_FROM_READ
    _HOLD_FROM_READ = on


class AuditEditor:
    """Edit one audit file in place, keeping its layout; refuse to write over a changed file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = ExitStack()
        if _HOLD_FROM_READ:
            self._lock.enter_context(exclusive(real_target(path)))
        raw, text, self._bom = _read_for_edit(path)
        self._hash = content_hash(raw)
        try:
            self.doc = tomlkit.parse(text)
        except TOMLKitError as exc:
            raise _syntax_error(path, text, exc) from None

    def close(self) -> None:
        """Let go of a lock held from the read (nothing else to close)."""
        self._lock.close()

    def __del__(self) -> None:
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.close()

    @classmethod
    @contextmanager
    def locked(cls, path: Path, wait: float = LOCK_WAIT) -> Iterator[AuditEditor]:
        """An editor holding the audit's lock from the read until the block ends: a second
        writer waits (at most ``wait`` seconds) and then works on this one's result."""
        with exclusive(real_target(path), wait):
            yield cls(path)

    # --- reading --------------------------------------------------------------------------
    def get(self, key: str) -> Any:
        node: Any = self.doc
        for part in split_key(key):
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node.unwrap() if hasattr(node, "unwrap") else node

    @property
    def read_hash(self) -> str:
        """SHA-256 of the bytes this editor read (or last saved)."""
        return self._hash

    @property
    def changed_on_disk(self) -> bool:
        try:
            return content_hash(read_regular(self.path)) != self._hash
        except Unreadable:
            return True

    # --- editing --------------------------------------------------------------------------
    def _container(self, parts: tuple[str | int, ...]) -> Any:
        node: Any = self.doc
        for part in parts:
            if isinstance(part, int):
                node = node[part]
            else:
                if part not in node:
                    node[part] = tomlkit.table()
                node = node[part]
        return node

    def set(self, key: str, value: Any) -> None:
        """Set one value, creating its tables if needed. Multi-line text stays readable."""
        parts = split_key(key)
        container = self._container(parts[:-1])
        name = parts[-1]
        assert isinstance(name, str)
        before = container.get(name)
        container[name] = to_item(value)
        _keep_comment_column(before, container.get(name))

    def append_record(self, table: str, record: dict[str, Any]) -> int:
        """Add a record to an array of tables (``[[actions]]``); returns its index."""
        existing = self.doc.get(table)
        new = tomlkit.table()
        for k, v in record.items():
            new[k] = to_item(v)
        if isinstance(existing, AoT):
            existing.append(new)
            return len(existing) - 1
        if existing is None:
            array = tomlkit.aot()
            array.append(new)
            self.doc[table] = array
            return 0
        raise FileAccessError(f"{table} is not written as [[{table}]] records", path=str(self.path))

    def text(self) -> str:
        return tomlkit.dumps(self.doc)

    def save(self) -> None:
        """Write atomically under the lock, unless the file changed on disk since it was
        read (by anyone: the check is made holding the lock)."""
        with exclusive(real_target(self.path)):
            if self.changed_on_disk:
                raise ConflictError(
                    "the file changed on disk since qaudit read it (another qaudit, an editor "
                    "or a git checkout); nothing was written. Run the command again to work on "
                    "the new version", path=str(self.path))
            data = ((BOM if self._bom else "") + self.text()).encode("utf-8")
            atomic_write_bytes(self.path, data)
            self._hash = content_hash(data)
        self._lock.close()  # a lock held from the read ends with the save


def _keep_comment_column(old: Any, new: Any) -> None:
    """A trailing comment stays in its column when a one-line value changes length."""
    try:
        old_text, new_text, trivia = old.as_string(), new.as_string(), new.trivia
    except AttributeError:
        return
    if not trivia.comment or "\n" in old_text or "\n" in new_text:
        return
    trivia.comment_ws = " " * max(1, len(old.trivia.comment_ws) + len(old_text) - len(new_text))


def to_item(value: Any) -> Any:
    """A Python value as a tomlkit item; text with line breaks becomes a ``\"\"\"`` string."""
    if isinstance(value, str) and "\n" in value:
        text = value.replace("\r\n", "\n")
        body = text.replace("\\", "\\\\").replace('"""', '""\\"')
        body = "".join(
            f"\\u{ord(ch):04x}" if ord(ch) < 0x20 and ch not in "\t\n" or ch == "\x7f" else ch
            for ch in body
        )
        return tomlkit.string(body, multiline=True, literal=False, escape=False)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return tomlkit.date(value.isoformat())
    if isinstance(value, Table):
        return value
    return tomlkit.item(value)
