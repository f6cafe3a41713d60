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


Tallies = dict[tuple[str, str, str, str], int]  # (rule, kpi, case status, status) -> n


@dataclass
class Summary:
    """Running totals: ``add`` one audit's tallies at a time. They are kept as they come, per
    team, which is one dictionary update per key; the tallies per rule, team and case status
    are summed from them when asked for."""

    files: int = 0
    broken: int = 0
    teams: dict[str, Tallies] = field(default_factory=dict)

    def add(self, tallies: Tallies, team: str = "", *, broken: bool = False) -> None:
        self.files += 1
        self.broken += broken
        mine = self.teams.get(team)
        if mine is None:
            mine = self.teams[team] = {}
        for key, n in tallies.items():
            mine[key] = mine.get(key, 0) + n

    @property
    def counts(self) -> Counts:
        """How many records of each (rule, team, case status, status)."""
        counted: Counts = {}
        for team, tallies in self.teams.items():
            for (rule, _, case_status, status), n in tallies.items():
                key = (rule, team, case_status, status)
                counted[key] = counted.get(key, 0) + n
        return counted

    def _group(self, part: int) -> dict[str, Tally]:
        groups: dict[str, Tally] = {}
        for key, n in self.counts.items():
            name = key[part] or "(none)"
            tally = groups.get(name)
            if tally is None:
                tally = groups[name] = Tally()
            tally.add(key[3], n)
        return groups

    @property
    def by_rule(self) -> dict[str, Tally]:
        return self._group(0)

    @property
    def by_team(self) -> dict[str, Tally]:
        return self._group(1)

    @property
    def by_status(self) -> dict[str, Tally]:
        return self._group(2)

    @property
    def total(self) -> Tally:
        tally = Tally()
        for key, n in self.counts.items():
            tally.add(key[3], n)
        return tally

    @property
    def missed(self) -> int:
        return sum(n for key, n in self.counts.items() if key[3] in MISSED)

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
