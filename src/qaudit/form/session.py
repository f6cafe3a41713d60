"""The form's model: one open audit, its fields and what the core says about them.

No Textual here: this is the only module of ``qaudit.form`` that calls the core, so the form
checks and saves a value exactly as ``validate``, ``--set`` and the line walk do: the editing
use cases of ``qaudit.edit`` (``open_audit``; ``check_value`` as a value is typed, the kind's
parser and every validate rule including the cross-field ones; ``set_values`` when a field is
left, through the one write path, refusing a file changed on disk since it was opened;
``complete_audit``). The findings panel is the validate rules run over the audit as it
stands (``edit.check.findings_of``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qaudit.audit.kinds import display, is_blank
from qaudit.audit.reader import split_key
from qaudit.audit.status import MODERATED, STATUS_KEY
from qaudit.audit.values import parse_item
from qaudit.audit.writer import AuditEditor
from qaudit.edit.check import Plan, check_plan, findings_of, planned_data
from qaudit.edit.lifecycle import Completion, complete_audit
from qaudit.edit.records import RecordForm, add_record, check_record_field, record_form
from qaudit.edit.session import AuditSession, open_audit
from qaudit.edit.values import check_value, set_values
from qaudit.errors import ConflictError, QauditError, UsageError
from qaudit.fill.answers import (
    ANSWER,
    EVIDENCE,
    FIELD,
    RECORD,
    Slot,
    audit_slots,
    section_slots,
)
from qaudit.fill.drafts import keep_draft, read_drafts
from qaudit.fill.records import event_form, event_kinds
from qaudit.findings import Finding, Level
from qaudit.moderation.record import (
    mark_moderated,
    missing_for_moderated,
    status_problem,
)
from qaudit.readable import readable
from qaudit.templates.catalogue import Item, Kind, Section, Template

FILL, MODERATE = "fill", "moderate"
EVENTS = "events"
CHRONOLOGY = Section(id="chronology", number="", title="Case chronology", table=EVENTS)
SAVED, UNCHANGED, REFUSED, CONFLICT = "saved", "unchanged", "refused", "conflict"


@dataclass(frozen=True)
class Outcome:
    """What happened to a value given in a field."""

    status: str
    key: str
    message: str = ""

    @property
    def written(self) -> bool:
        return self.status == SAVED


@dataclass(frozen=True)
class Added:
    """A new record: where it was written, or the problems (by field id) that stopped it."""

    key: str
    problems: dict[str, str]


@dataclass(frozen=True)
class Finish:
    """What "mark complete" did: done or not, in words, and (key, what) still missing."""

    done: bool
    message: str
    missing: list[tuple[str, str]]


@dataclass
class SectionState:
    answered: int
    required: int
    findings: int


@dataclass
class FormSession:
    """An audit opened in the form. ``mode`` is fill (the auditor) or moderate (the panel)."""

    audit: AuditSession
    mode: str = FILL
    saved: list[str] = field(default_factory=list)
    unsaved: dict[str, str] = field(default_factory=dict)  # key -> text typed, not written
    refused: dict[str, str] = field(default_factory=dict)  # key -> why it was not written
    was: dict[str, str] = field(default_factory=dict)  # key -> the answer shown when typed over
    drafted: list[str] = field(default_factory=list)  # keys kept as drafts on leaving
    conflict: bool = False
    _findings: list[Finding] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.audit.path

    @property
    def template(self) -> Template:
        return self.audit.template

    @property
    def editor(self) -> AuditEditor:
        return self.audit.editor

    # --- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, today: dt.date, mode: str = FILL) -> FormSession:
        session = cls(open_audit(path, today), mode)
        session.refresh()
        return session

    def refresh(self) -> None:
        """Re-read the findings from the file as it now stands in the editor."""
        self._findings = findings_of(self.audit, self.editor.doc.unwrap(), self.editor.text())

    # --- what the form shows ----------------------------------------------------------------
    @property
    def sections(self) -> tuple[Section, ...]:
        return (*self.template.sections, CHRONOLOGY)

    def get(self, key: str) -> Any:
        return self.editor.get(key)

    def slots(self, section: Section) -> list[Slot]:
        """The fields of a section in template order: questions, section fields, records."""
        if section is CHRONOLOGY:
            return event_slots(self.get)
        found = section_slots(section, self.get, everything=True)
        if self.mode == FILL:
            return [s for s in found if not (s.part == FIELD and s.item.moderator_only)]
        return found

    def editable(self, slot: Slot) -> bool:
        """In moderate, only the panel's own fields; in fill, everything shown."""
        if self.mode == MODERATE:
            return slot.part == FIELD and slot.item.moderator_only
        return True

    def text_of(self, slot: Slot) -> str:
        """The stored value as the text a person edits: ``3``, ``N/A``, ``2026-05-04``."""
        value = self.get(slot.key)
        if slot.kind.base == "list" and isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return "" if is_blank(value) else display_raw(slot.kind, value)

    def shown(self, slot: Slot) -> str:
        """The stored value as a person reads it (``3 Good``)."""
        return display(slot.kind, self.get(slot.key))

    # --- checking and saving ----------------------------------------------------------------
    def check(self, slot: Slot, text: str) -> str:
        """Why the typed text is refused ("" when it would be saved): the kind's parser and
        every validate rule on the audit as it would be (``edit.values.check_value``)."""
        return self._checked(slot, text)[1]

    def _checked(self, slot: Slot, text: str) -> tuple[Any, str]:
        try:
            if slot.section is CHRONOLOGY:
                return self._event_value(slot, text)
            checked = check_value(self.audit, slot.key, text)
        except QauditError as exc:  # a key the core does not know: said, never a traceback
            return None, exc.message
        return checked.value, checked.message

    def _event_value(self, slot: Slot, text: str) -> tuple[Any, str]:
        """An event's field (not a template key): its kind's parser, then the validate
        rules on the planned audit (``edit.check.check_plan``)."""
        parsed = parse_item(slot.item, text)
        if not parsed.ok:
            return None, parsed.error
        value = "" if parsed.value is None else parsed.value
        verdict = check_plan(self.audit, Plan({slot.key: value}))
        return value, verdict.refusals[0].message if verdict.refusals else ""

    def commit(self, slot: Slot, text: str) -> Outcome:
        """Write the typed value if it is valid and differs from the file's; never a refused
        one, never over a file changed on disk since it was opened."""
        value, refusal = self._checked(slot, text)
        if refusal:
            return self._keep(slot, text, REFUSED, refusal)
        value = "" if value is None else value
        current = self.get(slot.key)
        if value == current or (is_blank(value) and is_blank(current)):
            return self._done(slot, UNCHANGED)
        if self.changed_on_disk():
            return self._keep(slot, text, CONFLICT, CONFLICT_MESSAGE)
        try:
            if slot.section is CHRONOLOGY:
                self.editor.set(slot.key, value)
                self.audit.save()
            else:
                result = set_values(self.audit, [(slot.key, text)])
                if not result.ok:
                    return self._keep(slot, text, REFUSED, result.refusals[0].message)
        except ConflictError:
            self.editor.set(slot.key, current)
            self.conflict = True
            return self._keep(slot, text, CONFLICT, CONFLICT_MESSAGE)
        self.saved.append(slot.key)
        self.refresh()
        return self._done(slot, SAVED)

    def _keep(self, slot: Slot, text: str, status: str, why: str) -> Outcome:
        """Not written: the text stays in its field (and is listed on leaving)."""
        self.unsaved[slot.key] = text
        self.refused[slot.key] = why
        self.was[slot.key] = display(slot.kind, self.get(slot.key))
        return Outcome(status, slot.key, why)

    def _done(self, slot: Slot, status: str) -> Outcome:
        self.unsaved.pop(slot.key, None)
        self.refused.pop(slot.key, None)
        return Outcome(status, slot.key)

    # --- drafts: typed, not written, offered back by the next fill ----------------------------
    def drafts_kept(self) -> list[str]:
        """The keys with a draft kept from an earlier fill (offered back by ``fill --plain``)."""
        return list(read_drafts(self.path)) if self.mode == FILL else []

    def keep_drafts(self) -> None:
        """On leaving: every value typed but not written becomes a draft, with the answer it
        was typed over, as the line walk keeps them (a field the walk does not ask, such as
        a chronology event's, is only listed on leaving: a draft of it would never be offered)."""
        if self.mode != FILL:
            return
        asked = {s.key for s in audit_slots(self.template, self.get, everything=True)}
        for key, text in self.unsaved.items():
            if text.strip() and key in asked and key not in self.drafted:
                keep_draft(self.path, key, text, self.was.get(key, ""))
                self.drafted.append(key)

    def changed_on_disk(self) -> bool:
        if not self.conflict and self.audit.changed_on_disk:
            self.conflict = True
        return self.conflict

    def reopen(self) -> None:
        """Read the file again from disk (after someone else changed it)."""
        self.audit.reload()
        self.conflict = False
        self.unsaved.clear()
        self.refused.clear()
        self.refresh()

    # --- findings ---------------------------------------------------------------------------
    @property
    def findings(self) -> list[Finding]:
        return self._findings

    def candidate_findings(self, slot: Slot, text: str) -> list[Finding]:
        """What validate would say were the typed value saved (as you type)."""
        value, refusal = self._checked(slot, text)
        if refusal:
            return self._findings
        plan = Plan({slot.key: "" if value is None else value})
        data = planned_data(self.editor.doc.unwrap(), plan)
        return findings_of(self.audit, data, self.editor.text())

    def section_of(self, key: str) -> Section:
        """The section a finding's key belongs to (the case details when none does)."""
        parts = split_key(key)
        head = parts[0] if parts else ""
        if head == "answers" and len(parts) > 1:
            question = str(parts[1])
            for section, item in self.template.questions():
                if item.id == question:
                    return section
        if head == EVENTS:
            return CHRONOLOGY
        fallback = self.template.sections[0]
        for section in self.template.sections:
            group = section.group
            if group is not None and head == group.table:
                return section
            if key == section.table or key.startswith(section.table + "."):
                if section.field(str(parts[-1])) is not None:
                    return section
                fallback = section if fallback is self.template.sections[0] else fallback
        return fallback

    def by_section(self, findings: Iterable[Finding]) -> dict[str, list[Finding]]:
        found: dict[str, list[Finding]] = {}
        for finding in findings:
            found.setdefault(self.section_of(finding.key).id, []).append(finding)
        return found

    def state(self, section: Section, findings: list[Finding]) -> SectionState:
        slots = [s for s in self.slots(section) if self.editable(s)]
        required = [s for s in slots if s.required] or slots
        answered = sum(1 for s in required if not is_blank(self.get(s.key)))
        return SectionState(answered, len(required), len(findings))

    # --- records ----------------------------------------------------------------------------
    def record_form(self, what: str, kind: str = "") -> RecordForm | str:
        """The form of a new record (parent, action, event of a kind), or why none can be
        added (the group is full)."""
        try:
            return record_form(self.audit, what, kind)
        except UsageError as exc:
            return exc.message

    def check_record_field(self, form: RecordForm, field_id: str, text: str) -> str:
        """Why one field of a new record is refused ("" when it is fine), as it is typed."""
        return check_record_field(self.audit, form, field_id, text).message

    def add_record(self, form: RecordForm, typed: dict[str, str]) -> Added:
        """Check a new record's typed fields and write it (``edit.records.add_record``, as
        ``fill --add`` does); nothing is written when a field is refused."""
        if self.changed_on_disk():
            return Added("", {"": CONFLICT_MESSAGE})
        given = {k: v for k, v in typed.items() if v.strip()}
        try:
            result = add_record(self.audit, form, given)
        except ConflictError:
            self.conflict = True
            self.audit.reload()
            return Added("", {"": CONFLICT_MESSAGE})
        if not result.ok:
            problems = result.by_field()
            known = {f.id for f in form.fields}
            general = [m for k, m in problems.items() if k not in known]
            found = {k: m for k, m in problems.items() if k in known}
            return Added("", {**found, **({"": "; ".join(general)} if general else {})})
        self.saved.append(result.key)
        self.refresh()
        return Added(result.key, {})

    # --- completing -------------------------------------------------------------------------
    def finish(self) -> Finish:
        """"Mark complete": in fill, the completion checks and status draft -> complete; in
        moderate, the panel's record checked and status -> moderated. Lists what is missing."""
        if self.changed_on_disk():
            return Finish(False, CONFLICT_MESSAGE, [])
        if self.mode == MODERATE:
            return self._finish_moderation()
        try:
            outcome: Completion = complete_audit(self.audit)
        except ConflictError:
            self.conflict = True
            return Finish(False, CONFLICT_MESSAGE, [])
        except UsageError as exc:
            return Finish(False, exc.message, [])
        missing = [(f.key, f.message) for f in errors_first(outcome.missing)]
        if outcome.completed:
            self.refresh()
            self.saved.append(STATUS_KEY)
            return Finish(True, "marked complete (status draft -> complete)", [])
        if missing:
            return Finish(False, f"not complete: {len(missing)} thing(s) missing or wrong; "
                                 f"status left as {readable(outcome.before)}", missing)
        return Finish(True, f"already {outcome.after}; nothing missing", [])

    def _finish_moderation(self) -> Finish:
        status = str(self.get(STATUS_KEY) or "")
        refused = status_problem(status)
        if refused:
            return Finish(False, refused, [])
        missing = missing_for_moderated(self.template, self.get)
        if missing:
            return Finish(False, f"not moderated yet: {len(missing)} thing(s) missing",
                          missing)
        if status == MODERATED:
            return Finish(True, "already moderated; nothing missing", [])
        mark_moderated(self.editor)
        try:
            self.audit.save()
        except ConflictError:
            self.conflict = True
            return Finish(False, CONFLICT_MESSAGE, [])
        self.saved.append(STATUS_KEY)
        self.refresh()
        return Finish(True, f"marked moderated (was {status})", [])


NEW_RECORD = "new."  # the fields of a record being added: checked whole when it is saved
CONFLICT_MESSAGE = ("the file changed on disk since the form opened it (another editor or a "
                    "git checkout); nothing was written")


def display_raw(kind: Kind, value: Any) -> str:
    """A stored value as the text that would give it back: a grade as its number."""
    if kind.base == "grade" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return display(kind, value)


def errors_first(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.level is not Level.ERROR, f.line, f.column))


# --- the case chronology ----------------------------------------------------------------------


def event_slots(get: Any) -> list[Slot]:
    """The fields of every ``[[events]]`` record: date, the kind's own keys, the note."""
    records = get(EVENTS)
    if not isinstance(records, list):
        return []
    kinds = event_kinds()
    found: list[Slot] = []
    for index, record in enumerate(records):
        kind_name = str(record.get("kind", "")) if isinstance(record, dict) else ""
        kind = kinds.get(kind_name)
        items: tuple[Item, ...] = event_form(kind).fields if kind else ()
        for item in items:
            found.append(Slot(f"{EVENTS}[{index}].{item.id}", CHRONOLOGY, item, RECORD,
                              item.kind, f"Event {index + 1} ({kind_name}): {item.text}",
                              False, index))
    return found


def event_count(get: Any) -> int:
    records = get(EVENTS)
    return len(records) if isinstance(records, list) else 0


__all__ = ["ANSWER", "CHRONOLOGY", "EVIDENCE", "FIELD", "RECORD", "Completion", "FormSession",
           "Outcome", "Slot"]
