"""Set values in an audit: the use case behind ``fill --set``, each answer saved at the
prompt, and each field of the form.

API::

    check_value(session, key, raw, *, mode=Mode.LENIENT, later=False) -> FieldCheck
        parse ``raw`` for the key's kind and check it with the validate rules as if it were
        saved (other fields as they are); nothing is written. Call it as a value is typed.
    set_values(session, assignments, *, reopen=None, mode=Mode.LENIENT, save=True,
               later=False) -> SetResult
        ``assignments``: (key, raw) pairs; every value parsed and the whole change checked,
        then written in one atomic save, or nothing written at all.
    ``later``: saving field by field (the form), a field another one needs is not refused
    because that one is still blank (``edit.check.check_plan``).
    resolve(session, key) -> Slot     (UsageError for an unknown key, with the nearest ones)
        a template key, or a field of a chronology event in the file (``events[0].date``,
        checked by the event-* rules as validate checks it)

``FieldCheck``: ``value``, ``refusals`` / ``warnings`` (findings), ``ok``, ``message`` (one
short line for a prompt). ``SetResult``: ``written`` [(slot, value)], ``refusals``,
``warnings``, ``ok``, ``reopened``. A refused value is never written. In a moderated audit
the answers the panel saw (``moderation.digest.covers``) are refused unless ``reopen`` gives
a reason: the audit then goes back to complete, the reason kept (``edit.lifecycle``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.status import MODERATED
from qaudit.audit.values import Mode, parse_value
from qaudit.audit.values import is_single_line as _single
from qaudit.edit.check import Plan, Verdict, check_plan
from qaudit.edit.session import AuditSession
from qaudit.fill.answers import Slot, resolve_key
from qaudit.fill.records import CHRONOLOGY, event_slot, is_event_key
from qaudit.findings import Finding, Level
from qaudit.moderation.digest import covers
from qaudit.moderation.record import SAME_GRADE, same_as_auditor


@dataclass(frozen=True)
class FieldCheck:
    """One value checked as it was typed."""

    key: str
    value: Any = None
    refusals: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals

    @property
    def message(self) -> str:
        """The first refusal's message (one short line; ``?`` can show them all)."""
        return self.refusals[0].message if self.refusals else ""


@dataclass
class SetResult:
    written: list[tuple[Slot, Any]] = field(default_factory=list)
    refusals: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    reopened: bool = False

    @property
    def ok(self) -> bool:
        return not self.refusals


def resolve(session: AuditSession, key: str) -> Slot:
    """A template key (``answers.q4.grade``, ``q4``) or a chronology event's field
    (``events[0].date``): the slot, with the kind its value is parsed for."""
    if is_event_key(key):
        return event_slot(session.get, key)
    return resolve_key(session.template, session.get, key)


def _finding(session: AuditSession, key: str, rule: str, message: str) -> Finding:
    line, column = session.baseline().index.position(key)
    return Finding(session.display, line, column, Level.ERROR, rule, message, key)


def _rule_for(slot: Slot) -> str:
    """The rule validate names for a value of this slot that is not of its kind."""
    if slot.section is CHRONOLOGY:
        if slot.kind.base == "date":
            return "event-date"
        return "event-status" if slot.item.id == "status" else "event-key"
    return "grade-value" if slot.kind.base == "grade" else "value-kind"


def _parse(session: AuditSession, slot: Slot, raw: object, mode: Mode) -> Any | Finding:
    parsed = parse_value(slot.kind, raw, mode, single_line=_single(slot.item))
    if not parsed.ok:
        return _finding(session, slot.key, _rule_for(slot), f"{slot.label}: {parsed.error}")
    return "" if parsed.value is None else parsed.value


def _same_grade(session: AuditSession, slot: Slot, value: Any) -> Finding | None:
    """The panel's "changed" grade (core B) may not be the auditor's own grade."""
    if slot.item.role != "moderation_changed_grade" \
            or not same_as_auditor(session.template, session.get, value):
        return None
    return _finding(session, slot.key, "moderation", f"{slot.label}: {SAME_GRADE}")


def _moderated(session: AuditSession, slot: Slot) -> Finding | None:
    if session.status != MODERATED or not covers(session.template, slot.key):
        return None
    return _finding(session, slot.key, "moderation-stale",
                    f"{slot.label}: the panel has moderated this audit and saw this answer; "
                    'reopen it first with --reopen "reason" (it goes back to complete)')


def check_value(session: AuditSession, key: str, raw: object, *,
                mode: Mode = Mode.LENIENT, later: bool = False) -> FieldCheck:
    """``raw`` for ``key``: parsed, then checked with every validate rule. Writes nothing."""
    slot = resolve(session, key)
    value = _parse(session, slot, raw, mode)
    if isinstance(value, Finding):
        return FieldCheck(slot.key, refusals=[value])
    same = _same_grade(session, slot, value)
    if same is not None:
        return FieldCheck(slot.key, value, refusals=[same])
    stale = _moderated(session, slot)
    if stale is not None and session.get(slot.key) != value:
        return FieldCheck(slot.key, value, refusals=[stale])
    verdict = check_plan(session, Plan({slot.key: value}), later=later)
    return FieldCheck(slot.key, value, verdict.refusals, verdict.warnings)


def set_values(session: AuditSession, assignments: Sequence[tuple[str, object]], *,
               reopen: str | None = None, mode: Mode = Mode.LENIENT,
               save: bool = True, later: bool = False) -> SetResult:
    """Parse, check and write every assignment in one save, or none of them."""
    from qaudit.edit.lifecycle import reopen_plan

    result = SetResult()
    planned: dict[str, Any] = {}
    slots: list[tuple[Slot, Any]] = []
    for key, raw in assignments:
        slot = resolve(session, key)
        value = _parse(session, slot, raw, mode)
        if not isinstance(value, Finding):
            value = _same_grade(session, slot, value) or value
        if isinstance(value, Finding):
            result.refusals.append(value)
            continue
        slots.append((slot, value))
        planned[slot.key] = value
    if result.refusals:
        return result
    extra: dict[str, Any] = {}
    records: list[tuple[str, dict[str, Any]]] = []
    if reopen is not None:
        reopened = reopen_plan(session, reopen)
        if isinstance(reopened, Finding):
            result.refusals.append(reopened)
            return result
        extra, records = reopened
        result.reopened = True
    else:
        for slot, value in slots:
            stale = _moderated(session, slot)
            if stale is not None and session.get(slot.key) != value:
                result.refusals.append(stale)
        if result.refusals:
            return result
    verdict: Verdict = check_plan(session, Plan({**extra, **planned}, records), later=later)
    result.refusals, result.warnings = verdict.refusals, verdict.warnings
    if not verdict.ok:
        return result
    for table, record in records:
        session.append_record(table, record)
    for key, value in {**extra, **planned}.items():
        session.set(key, value)
    if save:
        session.save()
    result.written = slots
    return result
