"""``check-kpis`` core: every rule of the folder's rule set against every audit's chronology.

Data in (audit files), records out. A file that cannot be read, or whose chronology is
broken, gives findings instead of records; the other files are still checked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from qaudit.audit.reader import AuditDocument, expand_paths
from qaudit.batch import run_batch
from qaudit.chronology.events import as_date, read_events
from qaudit.config import FolderConfig, config_for
from qaudit.findings import Finding, Level
from qaudit.kpis.engine import MISSED, CaseFacts, Outcome, check_rule
from qaudit.kpis.ruleset import RuleSet, load_ruleset
from qaudit.kpis.timeline import build_timeline, normalise_status
from qaudit.templates.catalogue import Template
from qaudit.validate import load

GOOD_GRADES = (3, 4)


@dataclass(frozen=True, slots=True)
class KpiRecord:
    """One rule's result for one due date of one audit."""

    file: str
    rule: str
    kpi: str
    status: str
    anchor: dt.date | None
    due: dt.date | None
    done: dt.date | None
    working_days_late: int | None
    case_status: str | None
    team: str
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        return {"file": self.file, "rule": self.rule, "kpi": self.kpi, "status": self.status,
                "anchor": day(self.anchor), "due": day(self.due), "done": day(self.done),
                "working_days_late": self.working_days_late, "case_status": self.case_status,
                "team": self.team, "explanation": self.explanation}


@dataclass(frozen=True)
class GradeFlag:
    """A KPI graded Good or Outstanding while its timescales were missed: for the moderator."""

    file: str
    line: int
    column: int
    kpi: str
    key: str
    grade: int
    grade_name: str
    missed: tuple[str, ...]

    @property
    def message(self) -> str:
        return (f"KPI {self.kpi} graded {self.grade} ({self.grade_name}) at {self.key}, but "
                f"{len(self.missed)} timescale{'s were' if len(self.missed) != 1 else ' was'} "
                f"missed ({', '.join(sorted(set(self.missed)))}): for the moderator")

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "kpi": self.kpi,
                "key": self.key, "grade": self.grade,
                "grade_name": self.grade_name, "missed_rules": sorted(set(self.missed)),
                "message": self.message}


@dataclass
class AuditKpis:
    """Everything check-kpis found in one audit file."""

    file: str
    records: list[KpiRecord] = field(default_factory=list)
    flags: list[GradeFlag] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    team: str = ""
    audit_date: dt.date | None = None
    window_start: dt.date | None = None

    @property
    def missed(self) -> int:
        return sum(1 for r in self.records if r.status in MISSED)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _age(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = _text(value).split(" ")[0]
    return int(text) if text.isdigit() else None


def _grade_position(doc: AuditDocument, key: str) -> tuple[int, int]:
    """Line and column of ``answers.<id>.grade``: found by its table header, which is fast;
    the full key index (``doc.position``) only when the layout is unusual."""
    table, _, name = key.rpartition(".")
    found = re.search(rf"^\s*\[{re.escape(table)}\]\s*(?:#.*)?$", doc.text, re.MULTILINE)
    if found:
        value = re.compile(rf"^\s*{re.escape(name)}\s*=\s*", re.MULTILINE)
        for match in value.finditer(doc.text, found.end()):
            between = doc.text[found.end():match.start()]
            if re.search(r"^\s*\[", between, re.MULTILINE):
                break
            line = doc.text.count("\n", 0, match.end()) + 1
            column = match.end() - doc.text.rfind("\n", 0, match.end())
            return line, column
    return doc.position(key)


def _grade_flags(doc: AuditDocument, template: Template, file: str,
                 records: Iterable[KpiRecord]) -> list[GradeFlag]:
    missed: dict[str, list[str]] = {}
    for record in records:
        if record.kpi and record.status in MISSED:
            missed.setdefault(record.kpi, []).append(record.rule)
    flags = []
    for kpi, rules in missed.items():
        role = template.by_role().get(f"kpi:{kpi}")
        if role is None:
            continue
        key, item = role
        grade = doc.get(key)
        if isinstance(grade, int) and not isinstance(grade, bool) and grade in GOOD_GRADES:
            line, column = _grade_position(doc, key)
            flags.append(GradeFlag(file, line, column, kpi, key, grade, item.kind.grade_name(grade),
                                   tuple(rules)))
    return flags


def check_document(doc: AuditDocument, template: Template, ruleset: RuleSet,
                   today: dt.date) -> AuditKpis:
    """All rules of ``ruleset`` that apply to this audit's template, against its events."""
    result = AuditKpis(doc.path)
    events, problems = read_events(doc.get("events"))
    if problems:
        result.findings = sorted(
            doc.finding(p.key, Level.ERROR, p.rule, p.message, at_value=p.at_value)
            for p in problems)
        return result
    audit_path = template.role_path("audit_date")
    audit_date = as_date(doc.get(audit_path)) if audit_path else None
    if audit_date is None:
        audit_date = today
        result.findings.append(doc.finding(
            audit_path or "audit", Level.WARNING, "kpi-audit-date",
            f"no audit date: the review window is counted back from today ({today})",
            at_value=bool(audit_path)))
    status_value = doc.get(template.role_path("case_status") or "")
    timeline = build_timeline(events, audit_date, template.review_months, status_value)
    result.team = _text(doc.get(template.role_path("team") or ""))
    result.audit_date, result.window_start = audit_date, timeline.window_start
    actions_group = template.group_by_role("actions")
    actions = doc.get(actions_group.table) if actions_group else None
    facts = CaseFacts(timeline, events, ruleset.calendar,
                      [a for a in actions if isinstance(a, dict)]
                      if isinstance(actions, list) else None,
                      _age(doc.get(template.role_path("child_age") or "")))
    fallback = normalise_status(status_value)
    for rule in ruleset.active():
        if not rule.applies_to_template(template.id):
            continue
        for outcome in check_rule(rule, facts):
            result.records.append(_record(doc.path, rule.kpi, outcome, result.team,
                                          fallback))
    result.flags = _grade_flags(doc, template, doc.path, result.records)
    return result


def _record(file: str, kpi: str, outcome: Outcome, team: str,
            fallback: str | None) -> KpiRecord:
    return KpiRecord(file, outcome.rule, kpi, outcome.status, outcome.anchor, outcome.due,
                     outcome.done, outcome.working_days_late,
                     outcome.case_status or fallback, team, outcome.explanation)


@cache
def _ruleset_for(name: str, config: FolderConfig) -> RuleSet:
    return load_ruleset(name, config)


def check_file(path: Path, today: dt.date, ruleset_name: str = "") -> AuditKpis:
    """One audit file; a file that cannot be read gives its finding and no records."""
    loaded = load(path)
    if loaded.document is None or loaded.template is None:
        return AuditKpis(loaded.path, findings=list(loaded.findings))
    ruleset = _ruleset_for(ruleset_name, config_for(path))
    return check_document(loaded.document, loaded.template, ruleset, today)


def failed(path: Path, finding: Finding) -> AuditKpis:
    """The result for a file the batch runner could not check (an ``internal-error``)."""
    return AuditKpis(str(path), findings=[finding])


def check_paths(paths: Iterable[Path], today: dt.date, ruleset_name: str = "",
                progress: Callable[[int], None] | None = None,
                jobs: int = 0) -> Iterator[AuditKpis]:
    """Every audit under the given files and folders, in path order, streamed as each is
    checked (``qaudit.batch.run_batch``: worker processes for large batches, ``jobs`` 0 for
    one per CPU). ``progress`` is called with the number of files done so far."""
    files = list(expand_paths(paths))
    yield from run_batch(files, partial(check_file, today=today, ruleset_name=ruleset_name),
                         on_error=failed, jobs=jobs, progress=progress)
