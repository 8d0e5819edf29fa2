"""Precision, recall and F1 from matched cases, overall and split by severity and by category.

Precision is counted over findings and recall over golden comments, so a split puts each finding in the
bucket of its own severity/category and each golden comment in the bucket of its own: a `high` finding
that matches a `medium` golden comment is a hit for precision of `high` and for recall of `medium`.
A ratio with nothing under it (no findings, no golden comments) is None, never a made-up 0 or 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from domain.evaluation.cases import SEVERITIES, normalise_category
from domain.evaluation.matching import CaseMatch


@dataclass(frozen=True)
class Tally:
    """Counts for one bucket: findings posted and how many matched; golden comments and how many were found."""

    findings: int = 0
    findings_matched: int = 0
    golden: int = 0
    golden_matched: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.findings + other.findings,
            self.findings_matched + other.findings_matched,
            self.golden + other.golden,
            self.golden_matched + other.golden_matched,
        )

    @property
    def false_positives(self) -> int:
        return self.findings - self.findings_matched

    @property
    def false_negatives(self) -> int:
        return self.golden - self.golden_matched

    @property
    def precision(self) -> float | None:
        return self.findings_matched / self.findings if self.findings else None

    @property
    def recall(self) -> float | None:
        return self.golden_matched / self.golden if self.golden else None

    @property
    def f1(self) -> float | None:
        precision, recall = self.precision, self.recall
        if precision is None or recall is None:
            return None
        if precision + recall == 0:
            return 0.0
        return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class Scores:
    """A whole run: the overall tally, the splits, and the false positives on clean cases."""

    overall: Tally
    by_severity: dict[str, Tally] = field(default_factory=dict)
    by_category: dict[str, Tally] = field(default_factory=dict)
    cases: int = 0
    clean_cases: int = 0
    findings_on_clean_cases: int = 0


def score(matches: Iterable[CaseMatch]) -> Scores:
    """Add up every case's outcome."""
    overall = Tally()
    by_severity: dict[str, Tally] = {}
    by_category: dict[str, Tally] = {}
    cases = clean = on_clean = 0
    for match in matches:
        cases += 1
        if not match.golden:
            clean += 1
            on_clean += len(match.findings)
        overall += tally(match)
        _add_split(by_severity, match, lambda severity, _category: severity)
        _add_split(by_category, match, lambda _severity, category: normalise_category(category))
    return Scores(
        overall=overall,
        by_severity=dict(sorted(by_severity.items(), key=lambda item: _severity_rank(item[0]))),
        by_category=dict(sorted(by_category.items())),
        cases=cases,
        clean_cases=clean,
        findings_on_clean_cases=on_clean,
    )


def tally(match: CaseMatch) -> Tally:
    """One case's counts."""
    return Tally(
        findings=len(match.findings),
        findings_matched=len(match.pairs),
        golden=len(match.golden),
        golden_matched=len(match.pairs),
    )


def _add_split(buckets: dict[str, Tally], match: CaseMatch, key: Callable[[str, str], str]) -> None:
    matched_findings = {pair.finding for pair in match.pairs}
    matched_golden = {pair.golden for pair in match.pairs}
    for index, finding in enumerate(match.findings):
        bucket = key(finding.severity, finding.category)
        hit = int(index in matched_findings)
        buckets[bucket] = buckets.get(bucket, Tally()) + Tally(findings=1, findings_matched=hit)
    for index, comment in enumerate(match.golden):
        bucket = key(comment.severity, comment.category)
        hit = int(index in matched_golden)
        buckets[bucket] = buckets.get(bucket, Tally()) + Tally(golden=1, golden_matched=hit)


def _severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)
