"""Compliance over many audits: per rule, per team and per case status."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from qaudit.kpis.check import KpiRecord
from qaudit.kpis.engine import MISSED, STATUSES


@dataclass
class Tally:
    """Counts of each status; compliance = met / (met + late + overdue + missed)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    def add(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1

    @property
    def judged(self) -> int:
        return self.counts["met"] + sum(self.counts[s] for s in MISSED)

    @property
    def compliance(self) -> float | None:
        """Share met of the due dates that have passed (None when none have)."""
        return round(100 * self.counts["met"] / self.judged, 1) if self.judged else None

    def as_dict(self) -> dict[str, object]:
        return {**self.counts, "compliance": self.compliance}


def tally(records: Iterable[KpiRecord],
          key: Callable[[KpiRecord], str]) -> dict[str, Tally]:
    groups: dict[str, Tally] = {}
    for record in records:
        groups.setdefault(key(record) or "(none)", Tally()).add(record.status)
    return dict(sorted(groups.items()))


@dataclass
class Summary:
    files: int
    broken: int
    by_rule: dict[str, Tally]
    by_team: dict[str, Tally]
    by_status: dict[str, Tally]
    total: Tally

    def as_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "files_not_checked": self.broken,
            "total": self.total.as_dict(),
            "by_rule": {k: v.as_dict() for k, v in self.by_rule.items()},
            "by_team": {k: v.as_dict() for k, v in self.by_team.items()},
            "by_case_status": {k: v.as_dict() for k, v in self.by_status.items()},
        }


def summarise(records: list[KpiRecord], files: int, broken: int) -> Summary:
    total = Tally()
    for record in records:
        total.add(record.status)
    return Summary(files, broken, tally(records, lambda r: r.rule),
                   tally(records, lambda r: r.team),
                   tally(records, lambda r: r.case_status or ""), total)
