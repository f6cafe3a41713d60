"""Add a record: a parent/carer's views, an action, a learning action, a chronology event.
One record builder per group (``fill.records.build_record``), so ``actions add`` and
``fill --add action`` write the same keys.

API::

    record_form(session, what, kind="") -> RecordForm
        ``what``: parent, action, learning, event (or a group table); ``kind``: the event
        kind for an event. UsageError for an unknown group or kind, or a full group.
    fields_to_ask(form) -> tuple[Item, ...]       what a person is asked, in order
    check_record_field(session, form, field_id, raw, given={}) -> FieldCheck
        one field as it is typed, with the fields already given; nothing written
    check_record(session, form, raw_values) -> RecordCheck
        every field parsed and the record checked as a whole; ``RecordCheck.by_field``
        names the fields to ask again, keeping the others
    add_record(session, form, raw_values, *, mode=Mode.LENIENT, save=True) -> RecordResult
        check, then write (into the blank record ``new`` left, or appended): ``key`` such
        as ``parents[0]``; nothing written when ``refusals``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import is_blank, problem
from qaudit.audit.values import Mode, parse_item
from qaudit.edit.check import Plan, check_plan
from qaudit.edit.session import AuditSession
from qaudit.edit.values import FieldCheck
from qaudit.errors import UsageError
from qaudit.fill.records import (
    RecordForm,
    blank_record,
    build_record,
    event_form,
    event_kind,
    fields_to_ask,
    group_form,
    is_event_word,
    record_room,
)
from qaudit.findings import Finding, Level
from qaudit.readable import readable
from qaudit.suggest import did_you_mean
from qaudit.templates.catalogue import Item

__all__ = ["RecordCheck", "RecordForm", "RecordResult", "add_record", "check_record",
           "check_record_field", "fields_to_ask", "record_form"]


@dataclass
class RecordCheck:
    values: dict[str, Any] = field(default_factory=dict)
    refusals: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals

    def by_field(self) -> dict[str, str]:
        """Field id -> the first reason it is refused (fields to ask again)."""
        found: dict[str, str] = {}
        for finding in self.refusals:
            found.setdefault(finding.key.rsplit(".", 1)[-1], finding.message)
        return found


@dataclass
class RecordResult(RecordCheck):
    key: str = ""
    record: dict[str, Any] = field(default_factory=dict)


def record_form(session: AuditSession, what: str, kind: str = "") -> RecordForm:
    if is_event_word(what):
        form = event_form(event_kind(kind))
    else:
        form = group_form(session.template, what)
    full = record_room(session.get, form)
    if full:
        raise UsageError(full, path=session.display)
    return form


def _event_name(form: RecordForm) -> str:
    return form.label.removesuffix(" event") if form.group is None else ""


def _index(session: AuditSession, form: RecordForm) -> tuple[int, bool]:
    """Where the record goes, and whether it fills the blank one ``new`` wrote."""
    blank = None if form.group is None else blank_record(session.get, form.table)
    if blank is not None:
        return blank, True
    records = session.get(form.table)
    return (len(records) if isinstance(records, list) else 0), False


def _plan(session: AuditSession, form: RecordForm, record: Mapping[str, Any]) -> Plan:
    index, fills_blank = _index(session, form)
    if fills_blank:
        return Plan({f"{form.table}[{index}].{k}": v for k, v in record.items()})
    return Plan(records=[(form.table, record)])


def _refusal(session: AuditSession, form: RecordForm, item_id: str, message: str) -> Finding:
    index, _ = _index(session, form)
    return Finding(session.display, 1, 1, Level.ERROR, "value-kind", message,
                   f"{form.table}[{index}].{item_id}")


def _parse(session: AuditSession, form: RecordForm, item: Item, raw: object,
           mode: Mode) -> Any | Finding:
    parsed = parse_item(item, raw, mode)
    if not parsed.ok:
        return _refusal(session, form, item.id, f"{item.text}: {parsed.error}")
    wrong = problem(item.kind, parsed.value) if parsed.value is not None else None
    if wrong:
        return _refusal(session, form, item.id, f"{item.text}: {wrong}")
    return parsed.value


def _record(form: RecordForm, values: Mapping[str, Any]) -> dict[str, Any]:
    return build_record(form, values, event=_event_name(form))


def check_record_field(session: AuditSession, form: RecordForm, field_id: str, raw: object,
                       given: Mapping[str, Any] | None = None, *,
                       mode: Mode = Mode.LENIENT) -> FieldCheck:
    items = {f.id: f for f in form.fields}
    item = items.get(field_id)
    if item is None:
        raise UsageError(f"{form.label} records have no field {readable(field_id)}"
                         f"{did_you_mean(field_id, items)}; fields: {', '.join(items)}")
    value = _parse(session, form, item, raw, mode)
    if isinstance(value, Finding):
        return FieldCheck(value.key, refusals=[value])
    index, _ = _index(session, form)
    key = f"{form.table}[{index}].{field_id}"
    if value is None and item.required:
        return FieldCheck(key, refusals=[_refusal(session, form, field_id,
                                                  f"{item.text} is required")])
    values = {**(given or {}), field_id: value}
    verdict = check_plan(session, _plan(session, form, _record(form, values)))
    return FieldCheck(key, value, verdict.for_key(key),
                      [w for w in verdict.warnings if w.key == key])


def check_record(session: AuditSession, form: RecordForm, raw_values: Mapping[str, object],
                 *, mode: Mode = Mode.LENIENT) -> RecordCheck:
    items = {f.id: f for f in form.fields}
    result = RecordCheck()
    for name, raw in raw_values.items():
        item = items.get(name)
        if item is None:
            raise UsageError(f"{form.label} records have no field {readable(name)}"
                             f"{did_you_mean(name, items)}; fields: {', '.join(items)}")
        value = _parse(session, form, item, raw, mode)
        if isinstance(value, Finding):
            result.refusals.append(value)
        elif value is not None:
            result.values[name] = value
    for item in form.fields:
        if item.required and is_blank(result.values.get(item.id)) and not any(
                f.key.endswith(f".{item.id}") for f in result.refusals):
            result.refusals.append(_refusal(session, form, item.id, f"{item.text} is required"))
    if result.refusals:
        return result
    verdict = check_plan(session, _plan(session, form, _record(form, result.values)))
    result.refusals, result.warnings = verdict.refusals, verdict.warnings
    return result


def add_record(session: AuditSession, form: RecordForm, raw_values: Mapping[str, object], *,
               mode: Mode = Mode.LENIENT, save: bool = True) -> RecordResult:
    checked = check_record(session, form, raw_values, mode=mode)
    result = RecordResult(checked.values, checked.refusals, checked.warnings)
    if not checked.ok:
        return result
    record = _record(form, checked.values)
    index, fills_blank = _index(session, form)
    if fills_blank:
        for name, value in record.items():
            target = f"{form.table}[{index}].{name}"
            if not is_blank(value) or session.get(target) is None:
                session.set(target, value)
    else:
        index = session.append_record(form.table, record)
    if save:
        session.save()
    result.key, result.record = f"{form.table}[{index}]", record
    return result
