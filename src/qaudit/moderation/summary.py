"""The moderation summary over many audits: data in, a JSON-ready report out.

For every moderated audit the auditor's and moderator's grades are paired (overall, and per
area where the template has moderator grades per area); the report gives the agreement rate,
grades moved up and down, the quadratic-weighted Cohen's kappa, the distribution of the panel's
scaling of audit quality, the themes and learning collected, and the same figures per team.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from qaudit.audit.kinds import is_blank
from qaudit.audit.status import COMPLETE, MODERATED
from qaudit.moderation.kappa import weighted_kappa
from qaudit.moderation.record import Getter, areas, auditor_overall, moderator_overall
from qaudit.templates.catalogue import Template

OVERALL = "overall"
NO_TEAM = "(no team)"


@dataclass(frozen=True)
class GradePair:
    area: str            # "overall" or the section id
    title: str
    auditor: int
    moderator: int
    scale: tuple[int, ...]


@dataclass
class AuditModeration:
    """One audit as the summary sees it."""

    path: str
    case_number: str
    team: str
    status: str
    scaling: int | None = None
    pairs: list[GradePair] = field(default_factory=list)
    themes: str = ""
    panel_actions: str = ""


def _text(value: Any) -> str:
    return "" if is_blank(value) else str(value).strip()


def _grade(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _scale(template: Template, role: str) -> tuple[int, ...]:
    hit = template.by_role().get(role)
    values = hit[1].kind.values if hit else (1, 2, 3, 4)
    return tuple(v for v in values if isinstance(v, int))


def audit_moderation(path: str, template: Template, get: Getter, status: str) -> AuditModeration:
    """Read one audit's moderation by role. Pairs only where both grades are whole grades."""
    def role(name: str) -> Any:
        key = template.role_path(name)
        return get(key) if key else None

    record = AuditModeration(path=path, case_number=_text(role("case_number")),
                             team=_text(role("team")) or NO_TEAM, status=status)
    if status != MODERATED:
        return record
    record.scaling = _grade(role("moderation_scaling"))
    record.themes = _text(role("moderation_themes"))
    record.panel_actions = _text(role("moderation_actions"))
    auditor = _grade(auditor_overall(template, get))
    moderator = _grade(moderator_overall(template, get))
    if auditor is not None and moderator is not None:
        record.pairs.append(GradePair(OVERALL, "Overall grade", auditor, moderator,
                                      _scale(template, "overall_grade")))
    for area in areas(template):
        first = _grade(get(area.grade_key)) if area.grade_key else None
        second = _grade(get(area.moderator_grade_key))
        if first is not None and second is not None:
            scale = tuple(v for v in area.moderator_grade.kind.values if isinstance(v, int))
            record.pairs.append(GradePair(area.name, area.title, first, second, scale))
    return record


def agreement(pairs: list[GradePair]) -> dict[str, Any]:
    """Agreement rate, moved up/down and the weighted kappa of a set of grade pairs."""
    total = len(pairs)
    agreed = sum(1 for p in pairs if p.auditor == p.moderator)
    scale = sorted({v for p in pairs for v in p.scale} | {v for p in pairs
                                                          for v in (p.auditor, p.moderator)})
    kappa = weighted_kappa([(p.auditor, p.moderator) for p in pairs], scale) if pairs else None
    return {
        "pairs": total,
        "agreed": agreed,
        "agreement_rate": round(agreed / total, 4) if total else None,
        "moved_up": sum(1 for p in pairs if p.moderator > p.auditor),
        "moved_down": sum(1 for p in pairs if p.moderator < p.auditor),
        "kappa": round(kappa, 4) if kappa is not None else None,
    }


def _figures(records: list[AuditModeration]) -> dict[str, Any]:
    moderated = [r for r in records if r.status == MODERATED]
    pairs = [p for r in moderated for p in r.pairs]
    by_area: dict[str, list[GradePair]] = {}
    titles: dict[str, str] = {}
    for pair in pairs:
        if pair.area != OVERALL:
            by_area.setdefault(pair.area, []).append(pair)
            titles.setdefault(pair.area, pair.title)
    scaling: dict[str, int] = {}
    for record in moderated:
        if record.scaling is not None:
            scaling[str(record.scaling)] = scaling.get(str(record.scaling), 0) + 1
    return {
        "audits": len(records),
        "awaiting": sum(1 for r in records if r.status == COMPLETE),
        "moderated": len(moderated),
        "overall": agreement([p for p in pairs if p.area == OVERALL]),
        "areas": [{"area": name, "title": titles[name], **agreement(found)}
                  for name, found in by_area.items()],
        "all_grades": agreement(pairs),
        "scaling": dict(sorted(scaling.items())),
    }


def summarise(records: Iterable[AuditModeration]) -> dict[str, Any]:
    """The whole report: figures over every audit, the lists, and the figures per team."""
    records = list(records)
    report = _figures(records)
    report["awaiting_audits"] = [
        {"path": r.path, "case_number": r.case_number, "team": r.team}
        for r in records if r.status == COMPLETE
    ]
    report["themes"] = [
        {"path": r.path, "case_number": r.case_number, "team": r.team, "text": r.themes}
        for r in records if r.themes
    ]
    report["panel_actions"] = [
        {"path": r.path, "case_number": r.case_number, "team": r.team, "text": r.panel_actions}
        for r in records if r.panel_actions
    ]
    teams: dict[str, list[AuditModeration]] = {}
    for record in records:
        teams.setdefault(record.team, []).append(record)
    report["teams"] = [{"team": name, **_figures(found)} for name, found in sorted(teams.items())]
    return report


__all__ = ["AuditModeration", "GradePair", "agreement", "audit_moderation", "summarise"]
