"""Checking a planned change with the ``validate`` rules before anything is written.

API::

    check_plan(session, plan, *, later=False) -> Verdict
        ``later``: a new error about another field that is still blank after the change
        (a reason not yet given for a grade just given) is left for later, counted as a
        warning: a front-end that saves field by field (the form) can give the grade first.
        A new error about a value given, or about another field that holds a value, refuses.
    Plan(values={key: value}, records=[(table, record)], drop=[key])
    Verdict.refusals -> list[Finding]   new errors: the change is refused when there are any
    Verdict.warnings -> list[Finding]   new warnings: shown, never blocking
    Verdict.ok -> bool;  Verdict.for_key(key) -> list[Finding];  Verdict.lines() -> list[str]

Every rule ``validate`` runs is run on the audit as it would be after the change: the value
kinds, and the rules across fields (date order, dates in the future, a moderation date
before the audit date, a record dated before its meeting, a changed grade without its
reason, answers the panel moderated). A finding counts against the change when it is an
error that the audit did not have before it; problems already in the file do not block an
unrelated edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import is_blank
from qaudit.audit.reader import AuditDocument, lookup, split_key
from qaudit.findings import Finding, Level
from qaudit.validate import check_document

FindingKey = tuple[str, str, str]


@dataclass(frozen=True)
class Plan:
    """A change to an audit, not yet made: values to set and records to append."""

    values: Mapping[str, Any] = field(default_factory=dict)
    records: Sequence[tuple[str, Mapping[str, Any]]] = ()


@dataclass(frozen=True)
class Verdict:
    """What the rules say about the audit after a planned change."""

    refusals: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals

    def for_key(self, key: str) -> list[Finding]:
        """The refusals about one key (a front-end re-asks that field)."""
        return [f for f in self.refusals if f.key == key]

    def lines(self) -> list[str]:
        return [f.as_line() for f in self.refusals]


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    parts = split_key(key)
    node: Any = data
    for part in parts[:-1]:
        node = node[part] if isinstance(part, int) else node.setdefault(part, {})
    node[parts[-1]] = value


def planned_data(current: Mapping[str, Any], plan: Plan) -> dict[str, Any]:
    """A plain copy of the audit's data with the plan applied (the file is untouched)."""
    import copy

    data: dict[str, Any] = copy.deepcopy(dict(current))
    for table, record in plan.records:
        records = data.setdefault(table, [])
        if isinstance(records, list):
            records.append(dict(record))
    for key, value in plan.values.items():
        try:
            _put(data, key, value)
        except (IndexError, KeyError, TypeError):
            continue  # the key's place is not a table: the unknown-key / value-kind rules say so
    return data


def _key(finding: Finding) -> FindingKey:
    return finding.rule, finding.key, finding.message


def findings_of(session: Any, data: dict[str, Any], text: str | None = None) -> list[Finding]:
    """Every validate finding for ``data`` (positions from the session's current text)."""
    base = session.baseline()
    doc = AuditDocument(session.display, base.text if text is None else text, data)
    if text is None:
        doc._index = base.index  # the same text: reuse its key positions
    return check_document(doc, session.template, session.today, session.config)


def _before(session: Any) -> frozenset[FindingKey]:
    base = session.baseline()
    if base.finding_keys is None:
        base.finding_keys = frozenset(_key(f) for f in findings_of(session, base.data))
    return base.finding_keys  # type: ignore[no-any-return]


def check_plan(session: Any, plan: Plan, *, later: bool = False) -> Verdict:
    """The new errors and warnings the plan would bring (``session``: an ``AuditSession``)."""
    before = _before(session)
    data = planned_data(session.baseline().data, plan)
    new = [f for f in findings_of(session, data) if _key(f) not in before]
    errors = [f for f in new if f.level is Level.ERROR]
    warnings = [f for f in new if f.level is Level.WARNING]
    if later:
        waiting = [f for f in errors if f.key and f.key not in plan.values
                   and is_blank(lookup(data, f.key))]
        errors = [f for f in errors if f not in waiting]
        warnings = [*warnings, *waiting]
    return Verdict(errors, warnings)
