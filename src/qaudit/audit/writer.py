"""Writing audit files back without losing anything.

* ``atomic_write``: temporary file in the same folder, flush, fsync, rename. A crash leaves
  the old file or the new one, never half of one.
* ``AuditEditor``: a round-trip (tomlkit) edit of one audit. Comments, blank lines, key order
  and keys qaudit does not know survive byte for byte; only the lines set change. Before
  saving it checks the file on disk is still the one it read, and refuses to overwrite
  someone else's change (``ConflictError``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from qaudit.audit.reader import split_key
from qaudit.errors import ConflictError, FileAccessError


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _default_mode() -> int:
    """What a plain open() would give a new file: 0o666 less the umask (mkstemp gives 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, text: str | bytes) -> None:
    """Replace ``path`` with ``text`` (or bytes: a rendered document) atomically, keeping
    the file's permissions."""
    folder = path.parent
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileAccessError(f"cannot write here: {exc.strerror or exc}", path=str(path)) from exc
    temp = Path(temp_name)
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise FileAccessError(f"cannot be written: {exc.strerror or exc}", path=str(path)) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


class AuditEditor:
    """Edit one audit file in place, keeping its layout; refuse to write over a changed file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise FileAccessError(f"cannot be read: {exc.strerror or exc}", path=str(path)) from exc
        self._hash = content_hash(raw)
        try:
            self.doc = tomlkit.parse(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise FileAccessError("is not UTF-8 text", path=str(path)) from exc
        except TOMLKitError as exc:
            raise FileAccessError(f"is not valid TOML, so it cannot be edited safely: {exc}",
                                  path=str(path)) from exc

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
    def changed_on_disk(self) -> bool:
        try:
            return content_hash(self.path.read_bytes()) != self._hash
        except OSError:
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
        """Write atomically, unless the file changed on disk since it was read."""
        if self.changed_on_disk:
            raise ConflictError(
                "the file changed on disk since qaudit read it (another editor or a git "
                "checkout); nothing was written. Run the command again to work on the new version",
                path=str(self.path),
            )
        text = self.text()
        atomic_write(self.path, text)
        self._hash = content_hash(text.encode("utf-8"))


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
