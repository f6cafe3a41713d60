"""The self-contained HTML page of an audit: Jinja2 templates shipped with the package
(``qaudit/render/templates``), styles inline, no network, an A4 print stylesheet."""

from __future__ import annotations

import datetime as dt
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from qaudit import __version__
from qaudit.render.model import Document, Entry, Grade


def grade_class(grade: Grade) -> str:
    return f"grade-{grade.level}"


def answer(entry: Entry) -> Markup:
    """An answer cell: a grade as a coloured badge, other answers as text, blanks marked."""
    if entry.grade is not None:
        return Markup('<span class="grade {}">{}</span>').format(grade_class(entry.grade),
                                                                 entry.grade.text)
    if not entry.value:
        return Markup('<span class="missing">Not answered</span>')
    return Markup('<span class="value">{}</span>').format(entry.value)


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("qaudit.render", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(answer=answer, grade_class=grade_class, version=__version__)
    return env


def render_html(doc: Document, *, source: str, made_on: dt.date) -> str:
    """The page as text. ``source`` names the audit file in the footer."""
    template = environment().get_template("audit.html.j2")
    return template.render(doc=doc, source=source, made_on=made_on.isoformat())
