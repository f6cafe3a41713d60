"""The Word document of an audit (python-docx): real headings (Title, Heading 1-2), tables in
the "Table Grid" style and the template's order, on A4, so it reads like the council's own
form filled in, in Word or LibreOffice."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from qaudit import __version__
from qaudit.render.model import Block, Document, Entry, Grade

# Shading (fill, text) by grade level, as the workbook colours grades.
GRADE_COLOURS = {1: ("F4B6B6", "7F0000"), 2: ("FFD7A0", "7F3F00"), 3: ("C6E8C6", "1E5E1E"),
                 4: ("BDD7EE", "1F3864"), 0: ("E7E6E6", "333333")}
HEADER_FILL = "1F3864"
LABEL_FILL = "EEF2F7"


def _shade(cell: Any, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_together(row: Any) -> None:
    """A row is never split across two pages (its question and answer stay side by side)."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _text(cell: Any, text: str, *, bold: bool = False, italic: bool = False,
          colour: str | None = None) -> None:
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _grade(cell: Any, grade: Grade) -> None:
    fill, colour = GRADE_COLOURS.get(grade.level, GRADE_COLOURS[0])
    _shade(cell, fill)
    _text(cell, grade.text, bold=True, colour=colour)


def _answer(cell: Any, entry: Entry) -> None:
    if entry.grade is not None:
        _grade(cell, entry.grade)
    elif entry.value:
        _text(cell, entry.value)
    else:
        _text(cell, "Not answered", italic=True, colour="7F3F00")


def _widths(table: Any, widths: list[float]) -> None:
    """Column widths in cm, in the table grid (which LibreOffice reads) and every cell
    (which Word reads)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)


def _label_rows(doc: Any, entries: tuple[Entry, ...], *, numbered: bool = False) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for entry in entries:
        row = table.add_row()
        _keep_together(row)
        label, value = row.cells
        _shade(label, LABEL_FILL)
        number = f"{entry.number}. " if numbered and entry.number else ""
        _text(label, number + entry.label)
        _answer(value, entry)
    _widths(table, [7.5, 10.5])


def _header(table: Any, titles: list[str]) -> None:
    row = table.rows[0]
    for cell, title in zip(row.cells, titles, strict=True):
        _shade(cell, HEADER_FILL)
        _text(cell, title, bold=True, colour="FFFFFF")
    _repeat_header(row)


def _questions(doc: Any, block: Block) -> None:
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    _header(table, ["No.", "Question and evidence", "Answer"])
    for question in block.questions:
        row = table.add_row()
        _keep_together(row)
        number, text, value = row.cells
        _text(number, question.number)
        if question.long:
            merged = text.merge(value)
            _text(merged, question.label, bold=True)
            if question.value:
                merged.add_paragraph(question.value)
            else:
                merged.add_paragraph().add_run("Not answered").italic = True
            continue
        _text(text, question.label, bold=True)
        if question.evidence:
            paragraph = text.add_paragraph()
            label = paragraph.add_run(f"{question.evidence_label or 'Evidence'}: ")
            label.italic = True
            paragraph.add_run(question.evidence)
        _answer(value, question)
    _widths(table, [1.4, 12.6, 4.0])


def _records(doc: Any, block: Block) -> None:
    if not block.records:
        doc.add_paragraph("None recorded.").runs[0].italic = True
        return
    if block.columns:
        table = doc.add_table(rows=1, cols=len(block.columns) + 1)
        table.style = "Table Grid"
        _header(table, ["#", *(label for _, label in block.columns)])
        for number, record in enumerate(block.records, start=1):
            cells = table.add_row().cells
            _text(cells[0], str(number))
            for cell, (field_id, _) in zip(cells[1:], block.columns, strict=True):
                _text(cell, record.value(field_id) or "—")
        first = 0.8
        rest = (18.0 - first) / max(1, len(block.columns))
        _widths(table, [first, *[rest] * len(block.columns)])
        return
    for record in block.records:
        doc.add_heading(record.label, level=2)
        _label_rows(doc, record.entries, numbered=True)


def _cover(doc: Any, model: Document) -> None:
    doc.add_heading(model.title, level=0)
    doc.add_paragraph(model.subtitle)
    for notice, shown in (("Version for the child's file: learning actions are left out.",
                           model.for_file),
                          ("Redacted: the child and the case are named by pseudonym, other "
                           "family members as [family member].", model.redacted)):
        if shown:
            doc.add_paragraph(notice).runs[0].bold = True
    facts = [("Case number", model.case_number), ("Child", model.child),
             ("Audit date", model.audit_date), ("Auditor", model.auditor),
             ("Status", model.status)]
    _label_rows(doc, tuple(Entry(label, value) for label, value in facts))
    doc.add_heading("Auditor's overall grading", level=1)
    if model.overall_grade is not None:
        table = doc.add_table(rows=1, cols=1)
        table.style = "Table Grid"
        _grade(table.rows[0].cells[0], model.overall_grade)
        _widths(table, [6.0])
    else:
        doc.add_paragraph("Not graded yet.").runs[0].italic = True
    if model.overall_comments:
        doc.add_paragraph(model.overall_comments)


def _timescales(doc: Any, model: Document) -> None:
    doc.add_heading("Timescales", level=1)
    summary = model.timescales
    if not summary.total:
        doc.add_paragraph("No timescale could be checked from the case chronology.")
    else:
        doc.add_paragraph(" · ".join(f"{n} {status.replace('_', ' ')}"
                                     for status, n in summary.counts))
        for line in summary.missed:
            doc.add_paragraph(line, style="List Bullet")
        if not summary.missed:
            doc.add_paragraph("No timescale was missed.")
    for problem in summary.problems:
        doc.add_paragraph(problem).runs[0].italic = True


def render_docx(model: Document, *, source: str, made_on: dt.date) -> bytes:
    """The .docx file's bytes."""
    doc = new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin = section.bottom_margin = Cm(1.6)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    properties = doc.core_properties
    properties.title = model.title
    properties.subject = model.template_title
    properties.author = "qaudit"
    properties.last_modified_by = "qaudit"
    properties.comments = ""
    properties.keywords = ""
    _cover(doc, model)
    for block in model.blocks:
        doc.add_heading(block.heading, level=1)
        if block.note:
            doc.add_paragraph(block.note).runs[0].italic = True
        if block.fields:
            _label_rows(doc, block.fields)
        if block.questions:
            _questions(doc, block)
        if block.rating:
            _label_rows(doc, block.rating)
        if block.group_label:
            _records(doc, block)
    _timescales(doc, model)
    footer = f"Made by qaudit {__version__} from {source} on {made_on.isoformat()}."
    if model.left_out:
        footer += f" Left out for the child's file: {', '.join(model.left_out)}."
    doc.add_paragraph(footer).runs[0].font.size = Pt(8)
    for table in doc.tables:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
