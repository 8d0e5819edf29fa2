"""Per-rule numbers in a repository, and whether a rule has earned being muted there.

Each posted finding gets one verdict from all that was said about it: people accepting (👍, an
accepting reply, a resolved thread) minus people rejecting, with a line changed by a later commit
("addressed") counting as one more acceptance. Above zero it was accepted, below rejected; level
or silent, it casts no vote. Precision is accepted / (accepted + rejected); a rule is muted in a
repository when its precision there is under the threshold over at least `min_votes` votes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FindingFeedback:
    """Everything recorded about one posted finding."""

    repository: str
    rule_id: str
    accepts: int = 0
    rejects: int = 0
    addressed: bool = False

    @property
    def verdict(self) -> str | None:
        balance = self.accepts - self.rejects + int(self.addressed)
        return "accepted" if balance > 0 else "rejected" if balance < 0 else None


@dataclass(frozen=True)
class RuleStats:
    repository: str
    rule_id: str
    posted: int = 0
    accepted: int = 0
    rejected: int = 0
    addressed: int = 0

    @property
    def votes(self) -> int:
        return self.accepted + self.rejected

    @property
    def precision(self) -> float | None:
        return self.accepted / self.votes if self.votes else None


@dataclass(frozen=True)
class MutePolicy:
    """A rule is muted under `precision` over at least `min_votes` votes (RULE_MUTE_PRECISION, RULE_MUTE_MIN_VOTES)."""

    precision: float
    min_votes: int

    def mutes(self, stats: RuleStats) -> bool:
        precision = stats.precision
        return precision is not None and stats.votes >= self.min_votes and precision < self.precision


def rule_stats(findings: Iterable[FindingFeedback]) -> list[RuleStats]:
    """One row per (repository, rule), sorted by repository then rule."""
    rows: dict[tuple[str, str], RuleStats] = {}
    for finding in findings:
        key = (finding.repository, finding.rule_id)
        row = rows.get(key) or RuleStats(finding.repository, finding.rule_id)
        verdict = finding.verdict
        rows[key] = RuleStats(
            row.repository,
            row.rule_id,
            posted=row.posted + 1,
            accepted=row.accepted + (verdict == "accepted"),
            rejected=row.rejected + (verdict == "rejected"),
            addressed=row.addressed + finding.addressed,
        )
    return [rows[key] for key in sorted(rows)]


def stats_row(stats: RuleStats, *, muted: bool, unmuted_by: str | None = None) -> dict[str, Any]:
    """One rule's numbers and mute state as plain data (`pr-agent rules stats --json` and the admin API)."""
    precision = stats.precision
    return {
        "repository": stats.repository,
        "rule_id": stats.rule_id,
        "posted": stats.posted,
        "accepted": stats.accepted,
        "rejected": stats.rejected,
        "addressed": stats.addressed,
        "votes": stats.votes,
        "precision": None if precision is None else round(precision, 4),
        "muted": muted,
        "unmuted_by": unmuted_by,
    }
