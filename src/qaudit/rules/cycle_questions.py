"""cycle-question: the audit's own ``[cycle]`` table is well formed.

The questions themselves are ordinary questions of the audit's template (see
``qaudit.templates.cycle.audit_template``), so ``value-kind``, ``evidence-missing`` and
``required-missing`` check their answers like any other. This rule reports what keeps a
cycle question from being asked at all: a missing id or text, a kind the template does not
have, an id used twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.findings import Finding, Level
from qaudit.rules.base import AuditContext, Rule
from qaudit.templates.cycle import cycle_problems


def check(ctx: AuditContext) -> Iterator[Finding]:
    for key, message in cycle_problems(ctx.template, ctx.doc.data):
        yield ctx.finding(key, Level.ERROR, "cycle-question", message, at_value=False)


RULE = Rule(
    id="cycle-question",
    summary="A key line of enquiry or bespoke question of the audit cycle that cannot be asked.",
    source="Team-manager guidance 5: the Key Lines of Enquiries for this audit cycle; the "
    "bespoke questions set per cycle.",
    check=check,
)
