"""The folder's memory: the audits a folder already holds of one case.

``new`` fills "Audited previously? When?" from it (roles ``audited_previously`` and
``audited_previously_when``); the ``case-audited-recently`` rule warns when the same case was
audited with the same template within the folder's ``[qaudit] reaudit_months`` (default 12).

Audits are found by file name first (``<date>_<case number>_<template>.toml``, as ``new``
names them: listing names is cheap even for 10,000 files) and confirmed by reading the few
candidates with the fast reader: the case number and template inside the file decide.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from msgspec import Struct

from qaudit.audit.months import shift_months
from qaudit.audit.reader import AuditDocument, expand_paths, read_audit
from qaudit.config import FolderConfig
from qaudit.readable import readable
from qaudit.templates.catalogue import Catalogue

DEFAULT_REAUDIT_MONTHS = 12
_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}_(?P<rest>.+)\.toml$")


class PastAudit(Struct, frozen=True):
    path: Path
    case_number: str
    template_id: str
    audit_date: dt.date | None
    status: str

    def describe(self) -> str:
        day = self.audit_date.isoformat() if self.audit_date else "no audit date"
        return f"{day} ({self.template_id})"


def memory_root(config: FolderConfig, folder: Path) -> Path:
    """Where a folder's audits live: the folder holding its ``qaudit.toml``, else ``folder``."""
    return _resolved(config.path.parent if config.path is not None else folder)


@lru_cache(maxsize=64)
def _resolved(folder: Path) -> Path:
    return folder.resolve()


def reaudit_months(config: FolderConfig) -> int | str:
    """The folder's ``[qaudit] reaudit_months`` (default 12), or the message saying why the
    value is not allowed."""
    head = config.raw.get("qaudit", {})
    value = head.get("reaudit_months", DEFAULT_REAUDIT_MONTHS) if isinstance(head, dict) else 12
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return (f"[qaudit] reaudit_months = {readable(value)} in {config.path}: give a whole "
                f"number of "
                "months, 0 or more (0 turns the warning off)")
    return value


@lru_cache(maxsize=8)
def _names(root: Path, stamp: int) -> dict[str, tuple[Path, ...]]:
    """Case number -> files named after it. A name with underscores in its middle part is
    filed under every reading of it (the case number may hold "_")."""
    del stamp  # part of the cache key only: the folder changed
    index: dict[str, list[Path]] = {}
    for path in expand_paths([root]):
        match = _NAME.match(path.name)
        if not match:
            continue
        parts = match["rest"].split("_")
        for cut in range(1, len(parts)):
            index.setdefault("_".join(parts[:cut]), []).append(path)
    return {case: tuple(paths) for case, paths in index.items()}


def _same(one: Path, other: Path) -> bool:
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _stamp(root: Path) -> int:
    try:
        return os.stat(root).st_mtime_ns
    except OSError:
        return 0


def _value(doc: AuditDocument, catalogue: Catalogue, role: str) -> Any:
    template = catalogue.get(doc.template_id, doc.template_version or None)
    path = template.role_path(role) if template is not None else None
    return doc.get(path) if path else None


def audits_of_case(root: Path, case_number: str, catalogue: Catalogue, *,
                   skip: Path | None = None) -> list[PastAudit]:
    """The audits under ``root`` of ``case_number`` (any template), oldest first; ``skip``
    (an audit's own file) is left out without being read."""
    if not root.is_dir() or not case_number:
        return []
    found = []
    for path in _names(root, _stamp(root)).get(case_number, ()):
        if skip is not None and path.name == skip.name and _same(path, skip):
            continue
        doc = read_audit(path)
        if not isinstance(doc, AuditDocument):
            continue
        number = _value(doc, catalogue, "case_number")
        if not isinstance(number, str) or number.strip() != case_number:
            continue
        day = _value(doc, catalogue, "audit_date")
        found.append(PastAudit(path, case_number, doc.template_id,
                               day if isinstance(day, dt.date) else None, doc.status))
    return sorted(found, key=lambda a: (a.audit_date or dt.date.min, str(a.path)))


def earlier_audits(root: Path, case_number: str, before: dt.date,
                   catalogue: Catalogue) -> list[PastAudit]:
    """The folder's audits of the case dated before ``before``, newest first."""
    return [a for a in reversed(audits_of_case(root, case_number, catalogue))
            if a.audit_date is not None and a.audit_date < before]


def previously_values(earlier: list[PastAudit]) -> dict[str, str]:
    """Role -> value for "Audited previously?" and "When?" (nothing when none is known)."""
    if not earlier:
        return {}
    return {"audited_previously": "YES",
            "audited_previously_when": ", ".join(a.describe() for a in earlier)}


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` less ``months`` calendar months (``qaudit.audit.months``: as dateutil's
    ``relativedelta`` counts, without importing dateutil, a few ms at every pre-commit
    start). ValueError before year 1."""
    return shift_months(day, -months)


def recent_repeats(root: Path, path: Path, case_number: str, template_id: str,
                   day: dt.date, months: int, catalogue: Catalogue) -> list[PastAudit]:
    """Other audits of the case with the same template dated within ``months`` before ``day``
    (or on it)."""
    if months <= 0:
        return []
    try:
        since = months_before(day, months)
    except (ValueError, OverflowError):  # an audit dated in year 1: nothing can be earlier
        return []
    return [a for a in audits_of_case(root, case_number, catalogue, skip=path)
            if a.template_id == template_id and a.audit_date is not None
            and since < a.audit_date <= day]
