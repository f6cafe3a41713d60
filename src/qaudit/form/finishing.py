"""The form's whole-audit steps: adding a record, and "mark complete" / "mark moderated".

No Textual here. Each calls the editing use case the command line calls, so the form and
the commands never disagree: ``edit.records`` (``record_form``, ``check_record_field``,
``add_record``, as ``fill --add``), ``edit.lifecycle.complete_audit`` (as ``fill
--complete``) and ``edit.moderate.moderate_audit`` (as ``qaudit moderate`` and
``import-xlsx``: status check, the validate rules on the audit as moderated, the digest of
what the panel saw, one save).
"""

from __future__ import annotations

from dataclasses import dataclass

from qaudit.audit.status import MODERATED, STATUS_KEY
from qaudit.edit import records
from qaudit.edit.lifecycle import Completion, complete_audit
from qaudit.edit.moderate import moderate_audit
from qaudit.errors import ConflictError, UsageError
from qaudit.form.outline import errors_first
from qaudit.form.session import CONFLICT_MESSAGE, MODERATE, FormSession
from qaudit.moderation.record import ModerationDecision, missing_for_moderated
from qaudit.readable import readable

RecordForm = records.RecordForm


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


# --- records ------------------------------------------------------------------------------------


def record_form(session: FormSession, what: str, kind: str = "") -> RecordForm | str:
    """The form of a new record (parent, action, event of a kind), or why none can be added
    (the group is full)."""
    try:
        return records.record_form(session.audit, what, kind)
    except UsageError as exc:
        return exc.message


def check_record_field(session: FormSession, form: RecordForm, field_id: str,
                       text: str) -> str:
    """Why one field of a new record is refused ("" when it is fine), as it is typed."""
    return records.check_record_field(session.audit, form, field_id, text).message


def add_record(session: FormSession, form: RecordForm, typed: dict[str, str]) -> Added:
    """Check a new record's typed fields and write it (``edit.records.add_record``, as
    ``fill --add`` does); nothing is written when a field is refused."""
    if session.changed_on_disk():
        return Added("", {"": CONFLICT_MESSAGE})
    given = {k: v for k, v in typed.items() if v.strip()}
    try:
        result = records.add_record(session.audit, form, given)
    except ConflictError:
        session.conflict = True
        session.audit.reload()
        return Added("", {"": CONFLICT_MESSAGE})
    if not result.ok:
        problems = result.by_field()
        known = {f.id for f in form.fields}
        general = [m for k, m in problems.items() if k not in known]
        found = {k: m for k, m in problems.items() if k in known}
        return Added("", {**found, **({"": "; ".join(general)} if general else {})})
    session.saved.append(result.key)
    session.refresh()
    return Added(result.key, {})


# --- completing ---------------------------------------------------------------------------------


def finish(session: FormSession) -> Finish:
    """"Mark complete": in fill, the completion checks and status draft -> complete; in
    moderate, the panel's record checked and status -> moderated. Lists what is missing."""
    if session.changed_on_disk():
        return Finish(False, CONFLICT_MESSAGE, [])
    try:
        if session.mode == MODERATE:
            return _finish_moderation(session)
        return _finish_audit(session)
    except ConflictError:
        session.conflict = True
        return Finish(False, CONFLICT_MESSAGE, [])


def _finish_audit(session: FormSession) -> Finish:
    try:
        outcome: Completion = complete_audit(session.audit)
    except UsageError as exc:
        return Finish(False, exc.message, [])
    missing = [(f.key, f.message) for f in errors_first(outcome.missing)]
    if outcome.completed:
        session.refresh()
        session.saved.append(STATUS_KEY)
        return Finish(True, "marked complete (status draft -> complete)", [])
    if missing:
        return Finish(False, f"not complete: {len(missing)} thing(s) missing or wrong; "
                             f"status left as {readable(outcome.before)}", missing)
    return Finish(True, f"already {outcome.after}; nothing missing", [])


def _finish_moderation(session: FormSession) -> Finish:
    """The panel's values are already saved field by field: the decision adds nothing, and
    ``moderate_audit`` checks the record and marks the audit moderated."""
    audit = session.audit
    if audit.status == MODERATED and not missing_for_moderated(audit.template, audit.get):
        return Finish(True, "already moderated; nothing missing", [])
    result = moderate_audit(audit, ModerationDecision())
    if result.problems:
        return Finish(False, "; ".join(result.problems), [])
    if result.missing:
        return Finish(False, f"not moderated yet: {len(result.missing)} thing(s) missing",
                      result.missing)
    if not result.written:
        wrong = [(f.key, f.message) for f in errors_first(result.refusals)]
        return Finish(False, f"not moderated: {len(wrong)} thing(s) wrong; status left as "
                             f"{readable(result.before)}", wrong)
    session.saved.append(STATUS_KEY)
    session.refresh()
    return Finish(True, f"marked moderated (was {result.before})", [])
