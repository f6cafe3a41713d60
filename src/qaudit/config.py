"""A folder's settings: ``qaudit.toml`` at the top of an audit folder (or any folder above).

```toml
[qaudit]
template_dirs = ["templates"]     # the council's own templates, beside the shipped ones
ruleset = "core-v1.1"             # KPI rule set for check-kpis and actions
count_anchor_day = false          # true: the anchor day counts as working day 1
closure_days = [2026-12-24]       # local closure days, not worked
protective_marking = "OFFICIAL-SENSITIVE"  # printed in the header of every workbook page

[rules.action-agreement]          # override any rule of the rule set by id
limit = 5
```
"""

from __future__ import annotations

import datetime as dt
import os
import stat as stat_mode
from functools import lru_cache
from pathlib import Path
from typing import Any

import msgspec
import rtoml

from qaudit.errors import UsageError

CONFIG_NAME = "qaudit.toml"
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


class FolderConfig(msgspec.Struct, frozen=True, eq=False):
    """Settings that apply to the audits under one folder. ``raw`` keeps every table."""

    path: Path | None = None
    template_dirs: tuple[Path, ...] = ()
    ruleset: str = ""
    count_anchor_day: bool = False
    closure_days: tuple[dt.date, ...] = ()
    rule_overrides: dict[str, dict[str, Any]] = msgspec.field(default_factory=dict)
    raw: dict[str, Any] = msgspec.field(default_factory=dict)
    protective_marking: str = DEFAULT_MARKING


def _bad(path: Path, message: str) -> UsageError:
    return UsageError(message, path=str(path))


def load_config(path: Path) -> FolderConfig:
    """Read one ``qaudit.toml``; a mistake in it stops the command with the file named."""
    try:
        data = rtoml.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _bad(path, f"cannot be read: {exc.strerror or exc}") from exc
    except rtoml.TomlParsingError as exc:  # its text ends "at line L column C"
        raise _bad(path, f"not valid TOML: {str(exc).strip()}") from exc
    head = data.get("qaudit", {})
    if not isinstance(head, dict):
        raise _bad(path, "[qaudit] must be a table")
    dirs = head.get("template_dirs", [])
    if not isinstance(dirs, list) or not all(isinstance(d, str) for d in dirs):
        raise _bad(path, "template_dirs must be a list of folder names")
    closures = head.get("closure_days", [])
    if not isinstance(closures, list) or not all(
        isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in closures
    ):
        raise _bad(path, "closure_days must be a list of dates written as YYYY-MM-DD")
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise _bad(path, "[rules.<rule id>] tables hold rule overrides")
    anchor = head.get("count_anchor_day", False)
    if not isinstance(anchor, bool):
        raise _bad(path, "count_anchor_day must be true or false")
    ruleset = head.get("ruleset", "")
    if not isinstance(ruleset, str):
        raise _bad(path, "ruleset must be the name of a rule set, in quotes")
    marking = head.get("protective_marking", DEFAULT_MARKING)
    if not isinstance(marking, str) or not marking.strip() or len(marking) > 80 \
            or not marking.isprintable():
        raise _bad(path, "protective_marking must be one line of text in quotes, at most 80 "
                   'characters, such as "OFFICIAL-SENSITIVE"')
    return FolderConfig(
        path=path,
        template_dirs=tuple(path.parent / d for d in dirs),
        ruleset=ruleset,
        count_anchor_day=anchor,
        closure_days=tuple(closures),
        rule_overrides=rules,
        raw=data,
        protective_marking=marking.strip(),
    )


Stamp = tuple[int, int, int, int]


def file_stamp(path: Path) -> Stamp | None:
    """A file's identity and version: device, inode, modification time (ns) and size."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


@lru_cache(maxsize=256)
def _load_stamped(path: Path, stamp: Stamp) -> FolderConfig:
    return load_config(path)


@lru_cache(maxsize=4096)
def _nearest(where: str) -> Path | None:
    """The nearest ``qaudit.toml`` at or above a file or folder (its location is cached;
    its content is checked on every call, see ``config_for``)."""
    folder = Path(where).resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        settings = candidate / CONFIG_NAME
        if settings.is_file():
            return settings
    return None


_NO_SETTINGS = FolderConfig()


def config_for(path: Path) -> FolderConfig:
    """The settings for an audit file or folder: the nearest ``qaudit.toml`` at or above it.

    Read again whenever that file changes (its identity, time or size: one ``stat`` a
    call), so a long-lived front-end sees an edited ``qaudit.toml``; an unchanged file gives
    the same object. A settings file added or removed later is found by a new process."""
    where = os.fspath(path)  # made absolute as Path.absolute() does (no ".." folded), faster
    if not os.path.isabs(where):
        where = os.path.join(os.getcwd(), where)
    try:  # a plain file (not a link): its folder's lookup, cached once per folder
        if stat_mode.S_ISREG(os.lstat(where).st_mode):
            where = os.path.dirname(where)
    except OSError:
        pass
    settings = _nearest(where)
    stamp = file_stamp(settings) if settings is not None else None
    if settings is None or stamp is None:
        return _NO_SETTINGS
    return _load_stamped(settings, stamp)
