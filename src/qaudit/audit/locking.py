"""The lock and the temporary files of a write, and cleaning up after a killed writer.

* The lock: an advisory ``flock`` on a lock file beside the audit, ``.<name>.qaudit-lock``.
  The kernel drops it when the process ends, however it ends (even SIGKILL), so a killed
  writer never leaves an audit locked. The lock file is removed when the lock is released;
  a waiting writer checks, once it has the lock, that the file it locked is still the one at
  that name (so removing it can never let two writers in at once).
* A temporary file: ``.<name>.<host>-<pid>-<random>.qaudit-tmp`` in the real file's folder.
  A write that is killed leaves one behind; the next write in that folder removes those
  whose writer is gone. ``validate`` names any it meets (``file-temp``), and one
  ``.gitignore`` line keeps them out of git: ``.*.qaudit-*``.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path

from qaudit.errors import ConflictError, FileAccessError

LOCK_SUFFIX = ".qaudit-lock"
TEMP_SUFFIX = ".qaudit-tmp"
GITIGNORE_LINE = ".*.qaudit-*"
LOCK_WAIT = 10.0  # seconds a second writer waits for the first before it is refused
STALE_AFTER = 3600.0  # a temporary file this old is stale whoever made it

_held: dict[Path, tuple[int, int]] = {}  # lock file -> (descriptor, depth) in this process


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{LOCK_SUFFIX}")


@cache
def _host_tag() -> str:
    import hashlib
    import socket

    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def temp_path(target: Path) -> Path:
    tag = f"{_host_tag()}-{os.getpid()}-{os.urandom(3).hex()}"
    return target.with_name(f".{target.name}.{tag}{TEMP_SUFFIX}")


def is_leftover(name: str) -> bool:
    """A temporary or lock file that a qaudit write makes (hidden, with qaudit's suffix)."""
    return name.startswith(".") and (name.endswith(TEMP_SUFFIX) or name.endswith(LOCK_SUFFIX))


def leftover_of(name: str) -> str:
    """The audit a leftover temporary or lock file belongs to."""
    stem = name[1:]
    if stem.endswith(LOCK_SUFFIX):
        return stem[: -len(LOCK_SUFFIX)]
    return stem[: -len(TEMP_SUFFIX)].rsplit(".", 1)[0]


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _open_lock_file(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, flags, 0o666)
    except OSError as exc:
        raise folder_not_writable(path.with_name(leftover_of(path.name)), exc) from exc


def folder_not_writable(target: Path, exc: OSError, shown: Path | None = None) -> FileAccessError:
    """The error for a file that cannot be created in its folder (a missing folder, no
    permission, a read-only or special file system such as /proc): name the folder."""
    folder = target.parent
    why = exc.strerror or str(exc)
    if not folder.is_dir():
        detail = "it does not exist"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        detail = f"no permission ({why})"
    else:
        detail = f"it does not take new files ({why})"
    return FileAccessError(f"cannot be written: the folder {folder} cannot be written, "
                           f"{detail}; nothing was written", path=str(shown or target))


def _acquire(path: Path, wait: float) -> int | None:
    """The descriptor holding the lock at ``path``, or None when ``wait`` runs out."""
    deadline = time.monotonic() + wait
    pause = 0.002
    while True:
        fd = _open_lock_file(path)
        if _try_lock(fd):
            if _same_file(fd, path):
                return fd
            os.close(fd)  # the holder removed it as we locked: lock the new one
            continue
        os.close(fd)
        if time.monotonic() >= deadline:
            return None
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _release(path: Path, fd: int) -> None:
    with suppress(OSError):
        path.unlink()
    os.close(fd)  # closing drops the lock


@contextmanager
def exclusive(target: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the write lock of ``target`` (a real file, symlinks resolved); re-entrant."""
    path = lock_path(target)
    if path in _held:
        fd, depth = _held[path]
        _held[path] = (fd, depth + 1)
        try:
            yield
        finally:
            fd, depth = _held[path]
            _held[path] = (fd, depth - 1)
        return
    fd_or_none = _acquire(path, wait)
    if fd_or_none is None:
        raise ConflictError(
            f"another qaudit is writing this audit and still was after {wait:g} s; nothing "
            "was written. Try again when it has finished", path=str(target))
    _held[path] = (fd_or_none, 1)
    try:
        yield
    finally:
        fd, _depth = _held.pop(path)
        _release(path, fd)


def _writer_gone(tag: str) -> bool:
    host, _, rest = tag.partition("-")
    pid_text = rest.partition("-")[0]
    if host != _host_tag() or not pid_text.isascii() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def sweep(folder: Path, own: Path) -> list[Path]:
    """Remove what killed qaudit writes left in ``folder``; call holding ``own``'s lock.

    A temporary file goes when it is ``own``'s (no other qaudit can be writing it), when the
    process that made it on this machine is gone, or when it is over an hour old. A lock file
    goes when nobody holds it. Returns what was removed."""
    removed: list[Path] = []
    try:
        names = [entry.name for entry in os.scandir(folder) if is_leftover(entry.name)]
    except OSError:
        return removed
    now = time.time()
    for name in names:
        path = folder / name
        if name.endswith(LOCK_SUFFIX):
            if path != lock_path(own) and path not in _held and _remove_free_lock(path):
                removed.append(path)
            continue
        tag = name[: -len(TEMP_SUFFIX)].rsplit(".", 1)[-1]
        try:
            old = now - path.stat(follow_symlinks=False).st_mtime > STALE_AFTER
        except OSError:
            continue
        if leftover_of(name) == own.name or _writer_gone(tag) or old:
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


def _remove_free_lock(path: Path) -> bool:
    fd = _acquire(path, 0.0)
    if fd is None:
        return False
    _release(path, fd)
    return True


def is_stale(path: Path) -> bool:
    """A leftover no running qaudit write is using: a free lock file, or a temporary file
    whose writer is gone (or that is over an hour old)."""
    name = path.name
    if name.endswith(LOCK_SUFFIX):
        if path in _held:
            return False
        return _lock_is_free(path)
    tag = name[: -len(TEMP_SUFFIX)].rsplit(".", 1)[-1]
    try:
        old = time.time() - path.stat(follow_symlinks=False).st_mtime > STALE_AFTER
    except OSError:
        return False
    return old or _writer_gone(tag) or not tag.startswith(_host_tag())


def _lock_is_free(path: Path) -> bool:
    if sys.platform == "win32":
        return True
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True
