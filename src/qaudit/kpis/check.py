"""``check-kpis`` core: every rule of the folder's rule set against every audit's chronology.

Data in (audit files), records out. A file that cannot be read, or whose chronology is
broken, gives findings instead of records; the other files are still checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import msgspec

from qaudit.audit.reader import AuditDocument, expand_paths
from qaudit.batch import run_batch
from qaudit.chronology.events import as_date, read_events
from qaudit.chronology.workdays import WorkCalendar
from qaudit.config import FolderConfig, config_for
from qaudit.filestamp import stamp
from qaudit.findings import Finding, Level
from qaudit.kpis.crosscheck import cross_check
from qaudit.kpis.engine import MISSED, CaseFacts, Outcome, check_rule
from qaudit.kpis.ruleset import RuleSet, load_ruleset
from qaudit.kpis.timeline import build_timeline, normalise_status
from qaudit.templates.catalogue import Template
from qaudit.validate import load


class KpiRecord(msgspec.Struct):
    """One rule's result for one due date of one audit. The explanation is built when read."""

    file: str
    kpi: str
    team: str
    outcome: Outcome
    calendar: WorkCalendar
    fallback_status: str | None = None

    @property
    def rule(self) -> str:
        return self.outcome.rule

    @property
    def status(self) -> str:
        return self.outcome.status

    @property
    def anchor(self) -> dt.date | None:
        return self.outcome.anchor

    @property
    def due(self) -> dt.date | None:
        return self.outcome.due

    @property
    def done(self) -> dt.date | None:
        return self.outcome.done

    @property
    def working_days_late(self) -> int | None:
        return self.outcome.working_days_late

    @property
    def case_status(self) -> str | None:
        return self.outcome.case_status or self.fallback_status

    @property
    def explanation(self) -> str:
        return self.outcome.explanation(self.calendar)

    def as_dict(self) -> dict[str, Any]:
        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        o = self.outcome
        return {"file": self.file, "rule": o.rule, "kpi": self.kpi, "status": o.status,
                "anchor": day(o.anchor), "due": day(o.due), "done": day(o.done),
                "working_days_late": o.working_days_late, "case_status": self.case_status,
                "team": self.team, "explanation": o.explanation(self.calendar)}


class AuditKpis(msgspec.Struct):
    """Everything check-kpis found in one audit file: its outcomes rule by rule, the findings
    about the file (what stopped it being checked, a missing audit date) and ``flags``,
    findings too: the answers its timescales contradict (``kpi-grade``, ``kpi-answer``), for
    the moderator. ``records`` gives the outcomes with the file and team attached."""

    file: str
    results: list[tuple[str, list[Outcome]]] = msgspec.field(default_factory=list)  # kpi
    findings: list[Finding] = msgspec.field(default_factory=list)
    flags: list[Finding] = msgspec.field(default_factory=list)
    team: str = ""
    # (rule, kpi, case status, status) -> records, kept by check_document as it goes
    tallies: dict[tuple[str, str, str, str], int] = msgspec.field(default_factory=dict)
    audit_date: dt.date | None = None
    window_start: dt.date | None = None
    fallback_status: str | None = None  # the audit's case status, for outcomes without one
    calendar: WorkCalendar | None = None

    @property
    def records(self) -> list[KpiRecord]:
        calendar = self.calendar
        if calendar is None:
            return []
        return [KpiRecord(self.file, kpi, self.team, outcome, calendar, self.fallback_status)
                for kpi, outcomes in self.results for outcome in outcomes]

    @property
    def missed(self) -> int:
        return sum(n for (_, _, _, status), n in self.tallies.items() if status in MISSED)

    @property
    def broken(self) -> bool:
        """Not checked at all: an error finding and no records."""
        return not self.results and any(f.level is Level.ERROR for f in self.findings)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _age(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    from qaudit.audit.values import AGE, parse_value  # ASCII digits only: "²" is no age

    parsed = parse_value(AGE, _text(value))
    return parsed.value if isinstance(parsed.value, int) else None


@lru_cache(maxsize=64)
def _role_paths(template: Template) -> tuple[str | None, str, str, str, str | None]:
    """Where a template keeps the audit date, case status, team, child's age and actions."""
    actions = template.group_by_role("actions")
    return (template.role_path("audit_date"), template.role_path("case_status") or "",
            template.role_path("team") or "", template.role_path("child_age") or "",
            actions.table if actions else None)


def check_document(doc: AuditDocument, template: Template, ruleset: RuleSet,
                   today: dt.date, as_of: dt.date | None = None) -> AuditKpis:
    """All rules of ``ruleset`` that apply to this audit's template, against its events.
    ``today`` stands in for a missing audit date; ``as_of`` (default ``today``) is the date
    the audit's own later events (upload, email, action agreements) are judged at."""
    result = AuditKpis(doc.path)
    events, problems = read_events(doc.get("events"))
    if problems:
        result.findings = sorted(
            doc.finding(p.key, Level.ERROR, p.rule, p.message, at_value=p.at_value)
            for p in problems)
        return result
    audit_path, status_path, team_path, age_path, actions_table = _role_paths(template)
    audit_date = as_date(doc.get(audit_path)) if audit_path else None
    if audit_date is None:
        audit_date = today
        result.findings.append(doc.finding(
            audit_path or "audit", Level.WARNING, "kpi-audit-date",
            f"no audit date: the review window is counted back from today ({today})",
            at_value=bool(audit_path)))
    status_value = doc.get(status_path)
    timeline = build_timeline(events, audit_date, template.review_months, status_value)
    result.team = _text(doc.get(team_path))
    result.audit_date, result.window_start = audit_date, timeline.window_start
    actions = doc.get(actions_table) if actions_table else None
    facts = CaseFacts(timeline, events, ruleset.calendar,
                      [a for a in actions if isinstance(a, dict)]
                      if isinstance(actions, list) else None,
                      _age(doc.get(age_path)), as_of or today)
    fallback = result.fallback_status = normalise_status(status_value)
    result.calendar = ruleset.calendar
    results, tallies, unknown = result.results, result.tallies, fallback or ""
    for rule in ruleset.for_template(template.id):
        rule_id, kpi = rule.id, rule.kpi
        outcomes = check_rule(rule, facts)
        results.append((kpi, outcomes))
        for o in outcomes:
            key = (rule_id, kpi, o.case_status or unknown, o.status)
            tallies[key] = tallies.get(key, 0) + 1
    result.flags.extend(cross_check(doc, template, tallies))
    return result


@lru_cache(maxsize=32)
def _ruleset_cached(name: str, config: FolderConfig, config_stamp: object,
                    file_stamp: object) -> RuleSet:
    return load_ruleset(name, config)


def _ruleset_for(name: str, config: FolderConfig) -> RuleSet:
    """The rule set, loaded again when ``qaudit.toml`` or a rule file changes (keyed on
    their identity and modification time)."""
    chosen = name or config.ruleset
    rule_file = None
    if chosen.endswith(".toml"):
        base = config.path.parent if config.path else Path.cwd()
        rule_file = base / chosen
    return _ruleset_cached(name, config, stamp(config.path), stamp(rule_file))


def check_file(path: Path, today: dt.date, ruleset_name: str = "",
               as_of: dt.date | None = None) -> AuditKpis:
    """One audit file; a file that cannot be read gives its finding and no records."""
    loaded = load(path)
    if loaded.document is None or loaded.template is None:
        return AuditKpis(loaded.path, findings=list(loaded.findings))
    ruleset = _ruleset_for(ruleset_name, loaded.config or config_for(path))
    return check_document(loaded.document, loaded.template, ruleset, today, as_of)


def failed(path: Path, finding: Finding) -> AuditKpis:
    """The result for a file the batch runner could not check (an ``internal-error``)."""
    return AuditKpis(str(path), findings=[finding])


def check_paths(paths: Iterable[Path], today: dt.date, ruleset_name: str = "",
                progress: Callable[[int], None] | None = None,
                jobs: int = 0, as_of: dt.date | None = None) -> Iterator[AuditKpis]:
    """Every audit under the given files and folders, in path order, streamed as each is
    checked (``qaudit.batch.run_batch``: worker processes for large batches, ``jobs`` 0 for
    one per CPU). ``progress`` is called with the number of files done so far."""
    files = list(expand_paths(paths))
    yield from run_batch(files, partial(check_file, today=today, ruleset_name=ruleset_name,
                                         as_of=as_of),
                         on_error=failed, jobs=jobs, progress=progress)
