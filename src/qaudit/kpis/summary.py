"""Compliance over many audits: per rule, per team and per case status, kept as counters so
memory does not grow with the folder (one ``add`` per audit, the records themselves gone)."""

from __future__ import annotations

from dataclasses import dataclass, field

from qaudit.kpis.engine import MISSED, STATUSES

Counts = dict[tuple[str, str, str, str], int]  # (rule, team, case status, status) -> n


@dataclass
class Tally:
    """Counts of each status; compliance = met / (met + late + overdue + missed)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))

    def add(self, status: str, n: int = 1) -> None:
        self.counts[status] = self.counts.get(status, 0) + n

    @property
    def judged(self) -> int:
        return self.counts["met"] + sum(self.counts[s] for s in MISSED)

    @property
    def compliance(self) -> float | None:
        """Share met of the due dates that have passed (None when none have)."""
        return round(100 * self.counts["met"] / self.judged, 1) if self.judged else None

    def as_dict(self) -> dict[str, object]:
        return {**self.counts, "compliance": self.compliance}


@dataclass
class Summary:
    """Running totals: ``add`` one audit's counters at a time."""

    files: int = 0
    broken: int = 0
    by_rule: dict[str, Tally] = field(default_factory=dict)
    by_team: dict[str, Tally] = field(default_factory=dict)
    by_status: dict[str, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)

    def add(self, counts: Counts, *, broken: bool = False) -> None:
        self.files += 1
        self.broken += broken
        for (rule, team, case_status, status), n in counts.items():
            for groups, key in ((self.by_rule, rule), (self.by_team, team),
                                (self.by_status, case_status)):
                tally = groups.get(key or "(none)")
                if tally is None:
                    tally = groups[key or "(none)"] = Tally()
                tally.add(status, n)
            self.total.add(status, n)

    @property
    def missed(self) -> int:
        return sum(self.total.counts[s] for s in MISSED)

    def as_dict(self) -> dict[str, object]:
        def each(groups: dict[str, Tally]) -> dict[str, object]:
            return {k: groups[k].as_dict() for k in sorted(groups)}

        return {
            "files": self.files,
            "files_not_checked": self.broken,
            "total": self.total.as_dict(),
            "by_rule": each(self.by_rule),
            "by_team": each(self.by_team),
            "by_case_status": each(self.by_status),
        }
