"""The form's model: one open audit, its fields, and a typed value checked and saved.

No Textual here. The form checks and saves a value exactly as ``validate``, ``--set`` and
the line walk do, through the editing use cases of ``qaudit.edit``: ``open_audit``;
``check_value`` as a value is typed (the kind's parser and every validate rule, the
cross-field ones and, for a chronology event's field, the event-* ones); ``set_values`` when
a field is left, through the one write path, refusing a file changed on disk since it was
opened. Both with ``later``: a field another one needs (the reason for a changed grade) is
not refused while that one is still blank; the findings panel lists it. Values typed but
not written are kept as drafts (``qaudit.fill.drafts``), as the line walk keeps them.
Where findings belong is ``form.outline``; adding a record and "mark complete" / "mark
moderated" are ``form.finishing``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qaudit.audit.kinds import display, is_blank
from qaudit.audit.writer import AuditEditor
from qaudit.edit.check import Plan, findings_of, planned_data
from qaudit.edit.session import AuditSession, open_audit
from qaudit.edit.values import check_value, set_values
from qaudit.errors import ConflictError, QauditError
from qaudit.fill.answers import ANSWER, EVIDENCE, FIELD, RECORD, Slot, audit_slots, section_slots
from qaudit.fill.drafts import keep_draft, read_drafts
from qaudit.fill.records import CHRONOLOGY, EVENTS_TABLE, event_slots
from qaudit.findings import Finding
from qaudit.templates.catalogue import Kind, Section, Template

FILL, MODERATE = "fill", "moderate"
EVENTS = EVENTS_TABLE
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
            checked = check_value(self.audit, slot.key, text, later=True)
        except QauditError as exc:  # a key the core does not know: said, never a traceback
            return None, exc.message
        return checked.value, checked.message

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
            result = set_values(self.audit, [(slot.key, text)], later=True)
        except ConflictError:
            self.audit.set(slot.key, current)  # undone in memory: nothing of it was written
            self.conflict = True
            return self._keep(slot, text, CONFLICT, CONFLICT_MESSAGE)
        if not result.ok:
            return self._keep(slot, text, REFUSED, result.refusals[0].message)
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


def event_count(get: Any) -> int:
    records = get(EVENTS_TABLE)
    return len(records) if isinstance(records, list) else 0


__all__ = ["ANSWER", "CHRONOLOGY", "EVIDENCE", "FIELD", "RECORD", "FormSession", "Outcome",
           "Slot"]
