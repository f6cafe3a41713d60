"""grade-value: every grade is a whole grade of its scale, or N/A where the template allows.

The template states the rule in so many words (core guidance 3 and 4: a grading between 1 and
4, no half gradings, no 0), and the finding quotes it.
"""

from __future__ import annotations

from collections.abc import Iterator

from qaudit.findings import Finding
from qaudit.rules.base import AuditContext, Rule
from qaudit.rules.values import answer_values, check_value


def check_grades(ctx: AuditContext) -> Iterator[Finding]:
    for item, key, value, label in answer_values(ctx):
        if item.kind.base == "grade":
            yield from check_value(ctx, "grade-value", item, key, value, label)


RULE = Rule(
    id="grade-value",
    summary="A grade outside its scale (1-4), a half grade, 0, or N/A where not allowed.",
    source="Core guidance 3-4: a grading between 1 and 4 for every question; no half gradings "
    "or decimal points such as 2.5, 3.5; nor a rating of 0.",
    check=check_grades,
)
