"""case-audited-recently: the same case audited with the same template within the folder's
``[qaudit] reaudit_months`` (default 12) before this audit. A warning: a second look can be
intended, but it is worth a word with the QA officer before the work is done twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from qaudit.audit.memory import memory_root, reaudit_months, recent_repeats
from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule
from qaudit.templates.catalogue import Catalogue


@lru_cache(maxsize=8)
def _catalogue(template_dirs: tuple[Path, ...]) -> Catalogue:
    return Catalogue(template_dirs)


def check(ctx: AuditContext) -> Iterator[Finding]:
    case_path = ctx.template.role_path("case_number")
    number, day = ctx.role_value("case_number"), ctx.role_value("audit_date")
    if not case_path or not isinstance(number, str) or not isinstance(day, dt.date):
        return
    months = reaudit_months(ctx.config)
    if isinstance(months, str):
        yield ctx.finding(case_path, Level.WARNING, "case-audited-recently", months)
        return
    path = Path(ctx.doc.path)
    catalogue = _catalogue(ctx.config.template_dirs)
    root = memory_root(ctx.config, path.parent)
    for other in recent_repeats(root, path, number.strip(), ctx.template.id, day, months,
                                catalogue):
        yield ctx.finding(case_path, Level.WARNING, "case-audited-recently",
                          f"case {number.strip()} was already audited with {ctx.template.id} "
                          f"on {other.describe().split(' ')[0]} ({other.path.name}), within "
                          f"the folder's {months} months ([qaudit] reaudit_months)")


RULE = Rule(
    id="case-audited-recently",
    summary="The same case audited with the same template within the folder's period.",
    source="The folder's [qaudit] reaudit_months (default 12): one audit of a case per "
    "template in that period.",
    check=check,
)
