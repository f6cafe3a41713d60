"""Drafts: text typed into ``qaudit fill`` that was not saved as an answer (Ctrl-C, Ctrl-D,
end of input, a refused value, a file changed on disk), kept so the next ``fill`` offers it
back. Nothing typed is lost.

A draft lives beside the audit as ``.NAME.toml.qaudit-draft`` (hidden, and not ``*.toml``, so
``validate`` and the batch commands never take it for an audit). So that it is never committed
by accident, qaudit adds ``*.qaudit-draft`` to the repository's ``.git/info/exclude`` (a
local, uncommitted ignore list) when the audit is in a git work tree. The draft is deleted
when its last answer is saved. Beside each draft it records the field's answer as it stood
when the draft was kept (``[was]``), so that a draft is never taken back over a newer answer
without both being shown.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import tomlkit

from qaudit.audit.writer import atomic_write

SUFFIX = ".qaudit-draft"
PATTERN = f"*{SUFFIX}"
HEADER = ("qaudit draft: text typed into `qaudit fill` but not yet saved as an answer.\n"
          "The next `qaudit fill` offers it back. Not an audit; never commit it.")
MAX_BYTES = 4 * 1024 * 1024


def draft_path(audit: Path) -> Path:
    real = audit.resolve()
    return real.with_name(f".{real.name}{SUFFIX}")


def _read_tables(audit: Path) -> tuple[dict[str, str], dict[str, str]]:
    """({key: draft text}, {key: the answer shown when it was kept}); empty when unreadable."""
    path = draft_path(audit)
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}, {}
        data = tomlkit.parse(path.read_text(encoding="utf-8")).unwrap()
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError):
        return {}, {}
    drafts, was = data.get("drafts", {}), data.get("was", {})
    if not isinstance(drafts, dict):
        return {}, {}
    kept = {str(k): v for k, v in drafts.items() if isinstance(v, str) and v.strip()}
    was = was if isinstance(was, dict) else {}
    return kept, {k: v for k, v in was.items() if k in kept and isinstance(v, str)}


def read_drafts(audit: Path) -> dict[str, str]:
    """The drafts kept for an audit: {key: text}; nothing when there is no (readable) draft."""
    return _read_tables(audit)[0]


def read_was(audit: Path) -> dict[str, str]:
    """{key: the field's answer (as shown) when its draft was kept}; a key is missing for a
    draft kept before qaudit recorded it."""
    return _read_tables(audit)[1]


def _write(audit: Path, drafts: dict[str, str], was: dict[str, str]) -> None:
    path = draft_path(audit)
    if not drafts:
        path.unlink(missing_ok=True)
        return
    document = tomlkit.document()
    for line in HEADER.splitlines():
        document.add(tomlkit.comment(line))
    table = tomlkit.table()
    for key, text in drafts.items():
        table.add(key, tomlkit.string(text, multiline="\n" in text))
    document.add("drafts", table)
    before = tomlkit.table()
    for key, text in was.items():
        if key in drafts:
            before.add(key, tomlkit.string(text, multiline="\n" in text))
    document.add("was", before)
    atomic_write(path, tomlkit.dumps(document))
    exclude_from_git(path.parent)


def keep_draft(audit: Path, key: str, text: str, was: str = "") -> Path:
    """Keep ``text`` as the draft for ``key``, with ``was`` the field's answer (as shown) at
    this moment; returns the draft file."""
    drafts, before = _read_tables(audit)
    drafts[key] = text
    before[key] = was
    _write(audit, drafts, before)
    return draft_path(audit)


def drop_draft(audit: Path, key: str) -> None:
    """Forget the draft for ``key`` (its answer was saved); the file goes with the last one."""
    drafts, before = _read_tables(audit)
    if key in drafts:
        del drafts[key]
        before.pop(key, None)
        _write(audit, drafts, before)


def exclude_from_git(folder: Path) -> None:
    """Add ``*.qaudit-draft`` to the work tree's local ignore list, once. Quietly nothing
    when the folder is not in a git work tree or git is missing."""
    try:
        done = subprocess.run(["git", "rev-parse", "--git-path", "info/exclude"], cwd=folder,
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return
    if done.returncode != 0 or not done.stdout.strip():
        return
    exclude = Path(done.stdout.strip())
    if not exclude.is_absolute():
        exclude = folder / exclude
    try:
        text = exclude.read_text(encoding="utf-8") if exclude.is_file() else ""
        if PATTERN in text.split("\n"):
            return
        exclude.parent.mkdir(parents=True, exist_ok=True)
        with exclude.open("a", encoding="utf-8") as handle:
            handle.write(("" if not text or text.endswith("\n") else "\n")
                         + f"# qaudit fill drafts (never commit them)\n{PATTERN}\n")
    except OSError:
        return
