"""Precision and recall of impact findings against expected ones (for the benchmark).

The unit is one piece of evidence: (kind, edge name, consumer repository, path, line). A
finding citing two consumers counts twice; an expected impact without a line matches any line
of that file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.impact.impacts import ImpactFinding


@dataclass(frozen=True)
class ExpectedImpact:
    kind: str
    name: str
    repository: str
    path: str
    line: int | None = None


@dataclass(frozen=True)
class ImpactScore:
    true_positives: int
    false_positives: tuple[tuple[str, str, str, str, int], ...]
    false_negatives: tuple[ExpectedImpact, ...]

    @property
    def precision(self) -> float:
        """Share of reported evidence that was expected (1.0 when nothing was reported)."""
        reported = self.true_positives + len(self.false_positives)
        return self.true_positives / reported if reported else 1.0

    @property
    def recall(self) -> float:
        """Share of expected impacts reported (1.0 when none were expected)."""
        expected = self.true_positives + len(self.false_negatives)
        return self.true_positives / expected if expected else 1.0


def score_impacts(findings: Iterable[ImpactFinding], expected: Iterable[ExpectedImpact]) -> ImpactScore:
    """Match reported evidence to expected impacts one to one."""
    reported = [(f.kind, f.name, e.repository, e.path, e.line) for f in findings for e in f.evidence]
    missing = sorted(expected, key=lambda x: x.line is None)  # exact lines claim their match first
    false_positives = []
    hits = 0
    for item in reported:
        match = next((x for x in missing if _matches(x, item)), None)
        if match is None:
            false_positives.append(item)
        else:
            missing.remove(match)
            hits += 1
    return ImpactScore(hits, tuple(false_positives), tuple(missing))


def _matches(expected: ExpectedImpact, item: tuple[str, str, str, str, int]) -> bool:
    kind, name, repository, path, line = item
    same = (expected.kind, expected.name, expected.repository, expected.path) == (kind, name, repository, path)
    return same and (expected.line is None or expected.line == line)
