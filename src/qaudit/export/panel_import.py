"""Bringing the panel's decisions back: read the panel columns of an exported workbook and
record each decision in its audit (``qaudit import-xlsx``).

Each row is matched to its audit by the hidden path column: relative to the workbook's folder
(as the export writes it), or absolute. Cell values are checked strictly: a grade must be one
of the drop-down's values, Agree? exactly Yes or No; anything else is refused, never guessed.
A row that would change the audit is refused when the file's SHA-256 is not the one recorded
at export (someone changed the audit since). A decision is recorded by the moderation use case
``qaudit.edit.moderate.moderate_audit``, the one ``qaudit moderate`` and the form call: the
status check, the validate rules on the audit as it would be (dates not in the future nor
before the audit, the rules across fields), the digest of what the panel saw, and the one
write path (locked from the read to the save, atomic, layout kept).
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from defusedxml import DefusedXmlException
from openpyxl.utils.escape import unescape

from qaudit.audit.values import Mode, parse_value
from qaudit.edit.moderate import moderate_audit
from qaudit.edit.session import AuditSession, held_audit
from qaudit.errors import QauditError, UsageError
from qaudit.export import layout as L
from qaudit.export.audits_sheet import AREA_PREFIX
from qaudit.export.decision import (
    NO,
    YES,
    Change,
    PanelDecision,
    current_decision,
    grade_kind,
    plan_changes,
    scaling_kind,
    section_title,
    to_moderation,
)
from qaudit.export.import_guard import check_container, confine, require_defusedxml
from qaudit.export.redact import PSEUDONYM_PATTERN, matches_redacted
from qaudit.moderation.record import Getter, ModerationDecision, areas
from qaudit.readable import readable
from qaudit.templates.catalogue import Kind, Template
from qaudit.validate import load

REQUIRED = (L.H_PATH, L.H_HASH, L.H_GRADE, L.H_AGREE, L.H_COMMENT)


@dataclass
class PanelRow:
    """One row of the Audits sheet as typed: raw cell values, not yet checked."""

    row: int
    link: str
    sha256: str
    cells: dict[str, Any]  # panel header -> raw value
    areas: dict[str, Any] = field(default_factory=dict)  # area title -> raw value
    redacted: bool = False  # the workbook was exported with --redact
    sheet: str = L.AUDITS  # the Audits sheet it is on (one per template)


@dataclass
class RowOutcome:
    row: int
    link: str
    sheet: str = L.AUDITS
    path: str = ""
    changes: list[Change] = field(default_factory=list)
    refused: str = ""
    note: str = ""

    @property
    def status(self) -> str:
        return "refused" if self.refused else ("changed" if self.changes else "unchanged")


@dataclass
class ImportResult:
    workbook: Path
    outcomes: list[RowOutcome] = field(default_factory=list)
    blank_rows: int = 0
    rows: list[tuple[PanelRow, RowOutcome]] = field(default_factory=list, repr=False)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(unescape(str(value))).strip()


def read_panel(workbook: Path) -> Iterator[PanelRow]:
    """The rows of the workbook's Audits sheet; UsageError when it is not a qaudit workbook.

    Text is decoded from OOXML's ``_xHHHH_`` escapes (Excel writes a carriage return so),
    which openpyxl leaves as they are."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_container(workbook)
    require_defusedxml()
    try:
        wb = load_workbook(workbook, read_only=True, data_only=False)
    except FileNotFoundError:
        raise UsageError(f"{workbook} does not exist") from None
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        raise UsageError(f"{workbook} is not an .xlsx workbook: {exc}") from None
    except (DefusedXmlException, SyntaxError, ValueError) as exc:
        raise _unsafe_xml(workbook, exc) from None
    try:
        sheets = [name for name in wb.sheetnames if L.is_audit_sheet(name)]
        if not sheets:
            raise UsageError(f"{workbook} has no {readable(L.AUDITS)} sheet; import-xlsx reads the "
                             "workbook written by qaudit export-xlsx")
        for sheet in sheets:
            yield from _sheet_rows(workbook, sheet, wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()


def _sheet_rows(workbook: Path, sheet: str, rows: Iterator[tuple[Any, ...]]
                ) -> Iterator[PanelRow]:
    """The rows of one Audits sheet (one per template)."""
    header = [_text(h) for h in next(rows, ())]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise UsageError(f"{workbook}: the {sheet} sheet has no column "
                         + ", ".join(readable(m) for m in missing)
                         + "; do not rename the headers qaudit wrote")
    where = {h: i for i, h in enumerate(header) if h}
    area_columns = {h[len(AREA_PREFIX):]: i for h, i in where.items()
                    if h.startswith(AREA_PREFIX)}
    for number, values in enumerate(rows, start=2):
        def cell(index: int, row: tuple[Any, ...] = values) -> Any:
            return row[index] if index < len(row) else None
        yield PanelRow(
            row=number,
            link=_text(cell(where[L.H_PATH])),
            sha256=_text(cell(where[L.H_HASH])),
            cells={h: cell(where[h]) for h in L.PANEL_HEADERS if h in where},
            areas={title: cell(i) for title, i in area_columns.items()},
            redacted=L.H_CHILD_REDACTED in where,
            sheet=sheet,
        )


def parse_grade(value: Any, kind: Kind | None, what: str) -> tuple[Any, str]:
    """A grade cell as the number it stands for, or why it is not on the drop-down."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    allowed = [v for v in (kind.values if kind else ()) if isinstance(v, int)]
    listed = ", ".join(str(v) for v in allowed)
    if kind is None:
        return None, f"{what}: this audit's template has no such grade; leave it blank"
    number: Any = parse_value(kind, value, Mode.STRICT).value  # exactly the drop-down
    if number not in allowed:
        return None, f"{what} {readable(value)} is not on the drop-down; allowed: {listed}"
    return number, ""


def check_row(row: PanelRow, template: Template) -> PanelDecision | list[str]:
    """The row's panel cells as a decision, or every problem with them."""
    problems: list[str] = []
    grade, wrong = parse_grade(row.cells.get(L.H_GRADE), grade_kind(template), L.H_GRADE)
    problems += [wrong] if wrong else []
    scaling, wrong = parse_grade(row.cells.get(L.H_SCALING), scaling_kind(template),
                                 L.H_SCALING)
    problems += [wrong] if wrong else []
    agree_raw = row.cells.get(L.H_AGREE)
    agree = _text(agree_raw)
    if agree and agree not in (YES, NO):
        problems.append(f"{L.H_AGREE} {readable(agree_raw)} is not on the drop-down; "
                        f"allowed: Yes, No")
    area_kinds = {section_title(a.section): a.moderator_grade.kind for a in areas(template)}
    area_grades: dict[str, Any] = {}
    for title, raw in row.areas.items():
        value, wrong = parse_grade(raw, area_kinds.get(title), AREA_PREFIX + title)
        if wrong:
            problems.append(wrong)
        elif value is not None:
            area_grades[title] = value
    if problems:
        return problems
    comment = row.cells.get(L.H_COMMENT)
    moderator = row.cells.get(L.H_MODERATOR)
    return PanelDecision(grade, agree, "" if comment is None else unescape(str(comment)),
                         _text(moderator), scaling, area_grades)


def _unsafe_xml(workbook: Path, exc: BaseException) -> UsageError:
    """openpyxl wraps a parser's error in a ValueError: name the parser's."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, DefusedXmlException | SyntaxError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return UsageError(f"{workbook} is not an .xlsx workbook qaudit can read: "
                          + str(exc).splitlines()[0])
    return UsageError(f"{workbook} is refused: its XML is not what a workbook holds "
                      f"({type(cause).__name__}: {cause}); entity definitions (billion "
                      "laughs) and malformed XML are not read")


def _read_rows(workbook: Path) -> list[PanelRow]:
    """Every row, read in full before anything is written."""
    try:
        return list(read_panel(workbook))
    except (DefusedXmlException, SyntaxError) as exc:
        raise _unsafe_xml(workbook, exc) from None
    except (BadZipFile, zlib.error, EOFError) as exc:
        raise UsageError(f"{workbook} is not an .xlsx workbook: {exc}") from None


def import_panel(workbook: Path, panel_date: dt.date, *, dry_run: bool = False,
                 root: Path | None = None, today: dt.date | None = None) -> ImportResult:
    """Record every decision of the workbook; one refused row never stops the others.

    ``today`` (default: the system's) is what "in the future" is judged against. The whole
    workbook is read and every row checked (and planned) before the first write; then the
    planned rows are written one by one, each under its audit's lock. A row whose write
    fails says so, so the result names exactly the audits written."""
    day = today or dt.date.today()
    if panel_date > day:
        raise UsageError(f"the panel's date {panel_date} is in the future (today is {day}); "
                         "nothing was written")
    run = _Run(workbook, panel_date, day, root, dry_run=True)
    planned = _import_all(run, _read_rows(workbook))
    if dry_run:
        return planned
    to_write = [row for row, outcome in planned.rows if outcome.changes]
    written = _import_all(replace(run, dry_run=False), to_write)
    done = {(outcome.sheet, outcome.row): outcome for _, outcome in written.rows}
    planned.outcomes = [done.get((o.sheet, o.row), o) for o in planned.outcomes]
    return planned


@dataclass(frozen=True)
class _Run:
    """What every row of one import shares."""

    workbook: Path
    panel_date: dt.date
    today: dt.date
    root: Path | None
    dry_run: bool


def _import_all(run: _Run, rows: list[PanelRow]) -> ImportResult:
    result = ImportResult(run.workbook)
    seen: dict[Path, int] = {}
    for row in rows:
        outcome = RowOutcome(row.row, row.link, row.sheet)
        blank = PanelDecision(row.cells.get(L.H_GRADE), _text(row.cells.get(L.H_AGREE)),
                              _text(row.cells.get(L.H_COMMENT)),
                              _text(row.cells.get(L.H_MODERATOR)), row.cells.get(L.H_SCALING),
                              row.areas).blank
        if blank and not row.link:
            continue
        if blank:
            result.blank_rows += 1
            continue
        try:
            _import_row(row, run, seen, outcome)
        except Exception as exc:  # last line of defence: one row, never the whole import
            outcome.changes, outcome.refused = [], (
                f"internal error, nothing written for this row: {type(exc).__name__}: {exc}")
        result.outcomes.append(outcome)
        result.rows.append((row, outcome))
    return result


def _import_row(row: PanelRow, run: _Run, seen: dict[Path, int], outcome: RowOutcome) -> None:
    if not row.link or not row.sha256:
        outcome.refused = ("the row has no qaudit path or hash (hidden columns); only rows "
                           "written by export-xlsx can be imported")
        return
    path, refused = confine(row.link, run.workbook, run.root)
    outcome.path = str(path)
    if refused:
        outcome.refused = refused
        return
    key = path.resolve()
    if key in seen:
        outcome.refused = f"the same audit is on row {seen[key]} too; keep one row per audit"
        return
    seen[key] = row.row
    loaded = load(path)
    if loaded.document is None or loaded.template is None:
        outcome.refused = "; ".join(f.message for f in loaded.findings) or "cannot be read"
        return
    doc, template = loaded.document, loaded.template
    checked = check_row(row, template)
    if isinstance(checked, list):
        outcome.refused = "; ".join(checked)
        return
    if row.redacted:
        unredacted = _unredact(checked, doc.get, template, doc.status)
        if isinstance(unredacted, str):
            outcome.refused = unredacted
            return
        checked = unredacted
    if checked == current_decision(doc.get, template, doc.status):
        return  # the row shows exactly what the audit records: nothing to change
    decision = to_moderation(template, doc.get, checked, run.panel_date)
    if isinstance(decision, str):
        outcome.refused = decision
        return
    changes, problems = plan_changes(template, doc.get, decision)
    if problems:
        outcome.refused = "; ".join(problems)
        return
    if changes:
        _record(path, row.sha256, decision, run, outcome, changes)


def _unredact(panel: PanelDecision, get: Getter, template: Template,
              status: str) -> PanelDecision | str:
    """A redacted workbook pre-fills text with pseudonyms; they must never reach the file.

    Text the panel left as exported (the audit's own text with the child's name replaced)
    is taken back from the audit; new text that still holds a pseudonym is refused."""
    current = current_decision(get, template, status)
    restored: dict[str, str] = {}
    for field_name in ("comment", "moderator"):
        typed: str = getattr(panel, field_name)
        own: str = getattr(current, field_name)
        alias = PSEUDONYM_PATTERN.search(typed)
        if own and matches_redacted(typed, own):
            restored[field_name] = own
        elif alias:
            return (f"the {field_name} holds a pseudonym ({alias.group(0)}) from the redacted "
                    "workbook, which must not go into the audit; write the child's name, or "
                    "record this decision with qaudit moderate")
    return replace(panel, comment=restored.get("comment", panel.comment),
                   moderator=restored.get("moderator", panel.moderator))


def _record(path: Path, sha256: str, decision: ModerationDecision, run: _Run,
            outcome: RowOutcome, changes: list[Change]) -> None:
    """Record the decision with the moderation use case, holding the audit's lock from the
    read to the save (nothing is saved in a dry run, nor when anything refuses)."""
    try:
        with held_audit(path, run.today) as session:
            _moderate(session, sha256, decision, run.dry_run, outcome, changes)
    except OSError as exc:
        outcome.refused = f"cannot be read: {exc.strerror or exc}"
    except QauditError as exc:
        outcome.refused = exc.message


def _moderate(session: AuditSession, sha256: str, decision: ModerationDecision,
              dry_run: bool, outcome: RowOutcome, changes: list[Change]) -> None:
    if session.editor.read_hash != sha256:
        outcome.refused = ("the audit changed since the workbook was exported (its "
                           "SHA-256 differs); export again and re-enter this row")
        return
    result = moderate_audit(session, decision, partial=True, save=not dry_run)
    if result.problems or result.refusals:
        outcome.refused = "; ".join([*result.problems, *(f.message for f in result.refusals)])
        return
    if result.missing:
        outcome.note = (f"status stays {readable(result.before)}: still needs "
                        + "; ".join(what for _, what in result.missing))
    elif result.after != result.before:
        changes.append(Change("audit.status", result.before, result.after))
    outcome.changes = changes
