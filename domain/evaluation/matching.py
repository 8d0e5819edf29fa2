"""Matching a review's findings to a case's golden comments, one to one.

A finding and a golden comment are a candidate pair when they name the same file and their lines are
at most `line_tolerance` apart (models and analyzers often point at the statement next to the one a
person would). Golden comments without a location (Martian's) pair with every finding, but only when
a judge is given: a location alone cannot match them.

Pairs are taken greedily, nearest lines first (ties: earlier finding, then earlier golden comment), and
each finding and each golden comment is used at most once, so ten findings on one line cannot all
count as hits for one golden comment. With a judge, a pair is kept only if the judge says the finding
raises the same issue; the judge is asked only about pairs whose both ends are still free.

Greedy is not an optimal assignment: with golden comments on lines 25 and 26 and findings on 28 and 29,
28 takes 26 (distance 2) and 29 is 4 lines from 25, so one golden comment stays unmatched although a
pairing of both exists. Findings that are all a few lines off therefore lose some recall.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from domain.evaluation.cases import GoldenComment, Severity

DEFAULT_LINE_TOLERANCE = 3


@dataclass(frozen=True)
class EvalFinding:
    """What a reviewer posted on one line, as scored: the caller maps its own finding type onto this."""

    path: str
    line: int
    severity: Severity
    category: str
    message: str
    source: str = ""


# Decides whether a finding raises the same issue as a golden comment (an LLM, in practice). Pure here:
# a caller that must do I/O asks `candidate_pairs` first and passes a judge backed by the answers.
Judge = Callable[[EvalFinding, GoldenComment], bool]


@dataclass(frozen=True)
class MatchSettings:
    """How lenient matching is; `line_tolerance` is the largest line distance that still matches."""

    line_tolerance: int = DEFAULT_LINE_TOLERANCE

    def __post_init__(self) -> None:
        if self.line_tolerance < 0:
            raise ValueError("line_tolerance must be 0 or more")


@dataclass(frozen=True)
class Pair:
    """Finding `finding` (index) with golden comment `golden` (index); `distance` None for an unlocated golden."""

    finding: int
    golden: int
    distance: int | None


@dataclass(frozen=True)
class CaseMatch:
    """The outcome for one case: the inputs and the pairs kept."""

    findings: tuple[EvalFinding, ...]
    golden: tuple[GoldenComment, ...]
    pairs: tuple[Pair, ...]

    @property
    def unmatched_findings(self) -> tuple[EvalFinding, ...]:
        used = {pair.finding for pair in self.pairs}
        return tuple(f for i, f in enumerate(self.findings) if i not in used)

    @property
    def missed_golden(self) -> tuple[GoldenComment, ...]:
        used = {pair.golden for pair in self.pairs}
        return tuple(g for i, g in enumerate(self.golden) if i not in used)


def candidate_pairs(
    findings: Sequence[EvalFinding],
    golden: Sequence[GoldenComment],
    settings: MatchSettings = MatchSettings(),
    *,
    include_unlocated: bool = False,
) -> list[Pair]:
    """Every pair close enough to match, nearest first; unlocated golden comments only if asked (judge runs)."""
    pairs: list[Pair] = []
    for f_index, finding in enumerate(findings):
        for g_index, comment in enumerate(golden):
            if comment.path is None or comment.line is None:
                if include_unlocated:
                    pairs.append(Pair(f_index, g_index, None))
                continue
            distance = abs(finding.line - comment.line)
            if _same_path(finding.path, comment.path) and distance <= settings.line_tolerance:
                pairs.append(Pair(f_index, g_index, distance))
    # Located pairs first, nearest first; unlocated ones after them, in input order.
    return sorted(pairs, key=lambda p: (p.distance is None, p.distance or 0, p.finding, p.golden))


def match_case(
    findings: Sequence[EvalFinding],
    golden: Sequence[GoldenComment],
    settings: MatchSettings = MatchSettings(),
    judge: Judge | None = None,
) -> CaseMatch:
    """Greedy one-to-one matching of `findings` to `golden` (see the module docstring)."""
    kept: list[Pair] = []
    used_findings: set[int] = set()
    used_golden: set[int] = set()
    for pair in candidate_pairs(findings, golden, settings, include_unlocated=judge is not None):
        if pair.finding in used_findings or pair.golden in used_golden:
            continue
        if judge is not None and not judge(findings[pair.finding], golden[pair.golden]):
            continue
        kept.append(pair)
        used_findings.add(pair.finding)
        used_golden.add(pair.golden)
    return CaseMatch(findings=tuple(findings), golden=tuple(golden), pairs=tuple(kept))


def _same_path(left: str, right: str) -> bool:
    return _normal_path(left) == _normal_path(right)


def _normal_path(path: str) -> str:
    # Paths are repository-relative; "./src/x.ts" and "/src/x.ts" are the same file, "src/X.ts" is not.
    return path.strip().removeprefix("./").lstrip("/")
