"""The matcher on hand-made cases where a wrong tolerance, double matching, a loose path comparison or
input-order greediness would each change the asserted numbers."""

from __future__ import annotations

import pytest

from domain.evaluation.cases import GoldenComment
from domain.evaluation.matching import EvalFinding, MatchSettings, Pair, candidate_pairs, match_case
from domain.evaluation.metrics import score, tally


def golden(line: int | None, path: str | None = "src/a.ts", severity: str = "high", category: str = "bug"):
    return GoldenComment(text=f"issue at {line}", severity=severity, category=category, path=path, line=line)  # type: ignore[arg-type]


def finding(line: int, path: str = "src/a.ts", severity: str = "high", category: str = "bug") -> EvalFinding:
    return EvalFinding(path=path, line=line, severity=severity, category=category, message=f"found at {line}")  # type: ignore[arg-type]


@pytest.mark.parametrize(("offset", "tolerance", "matched"), [(3, 3, 1), (-3, 3, 1), (4, 3, 0), (1, 0, 0), (0, 0, 1)])
def test_a_finding_matches_within_the_line_tolerance_only(offset: int, tolerance: int, matched: int) -> None:
    result = match_case([finding(20 + offset)], [golden(20)], MatchSettings(line_tolerance=tolerance))

    assert len(result.pairs) == matched


def test_the_default_tolerance_is_three_lines() -> None:
    assert len(match_case([finding(23)], [golden(20)]).pairs) == 1
    assert len(match_case([finding(24)], [golden(20)]).pairs) == 0


def test_a_golden_comment_is_matched_once_and_the_other_findings_are_false_positives() -> None:
    result = match_case([finding(10), finding(11), finding(10)], [golden(10)])

    counts = tally(result)
    assert (counts.findings_matched, counts.false_positives, counts.false_negatives) == (1, 2, 0)
    assert counts.precision == pytest.approx(1 / 3)
    assert counts.recall == 1.0
    assert counts.f1 == pytest.approx(0.5)
    # The exact-line finding wins over the one a line off; of two exact ones, the earlier.
    assert result.pairs == (Pair(finding=0, golden=0, distance=0),)


def test_a_finding_is_matched_once_even_when_two_golden_comments_are_near() -> None:
    result = match_case([finding(12)], [golden(11), golden(13)])

    assert (tally(result).golden_matched, tally(result).false_negatives) == (1, 1)


def test_the_same_line_in_another_file_does_not_match() -> None:
    result = match_case([finding(5, path="src/b.ts"), finding(5, path="src/A.ts")], [golden(5)])

    assert result.pairs == ()
    assert tally(result).false_positives == 2


def test_leading_dot_slash_or_slash_names_the_same_file() -> None:
    result = match_case([finding(5, path="./src/a.ts")], [golden(5, path="/src/a.ts")])

    assert len(result.pairs) == 1


def test_nearest_lines_are_paired_first_not_the_first_finding_listed() -> None:
    # Taking findings in input order would pair 13 with 10 and leave 10 and 16 unpaired: one hit.
    result = match_case([finding(13), finding(10)], [golden(10), golden(16)])

    assert sorted((p.finding, p.golden) for p in result.pairs) == [(0, 1), (1, 0)]
    assert tally(result).recall == 1.0


def test_a_judge_vetoes_a_pair_and_the_next_nearest_finding_gets_its_chance() -> None:
    asked: list[tuple[int, int | None]] = []

    def judge(f: EvalFinding, g: GoldenComment) -> bool:
        asked.append((f.line, g.line))
        return f.line != 10

    result = match_case([finding(10), finding(12), finding(40)], [golden(10)], judge=judge)

    assert [(result.findings[p.finding].line, p.golden) for p in result.pairs] == [(12, 0)]
    assert asked == [(10, 10), (12, 10)]  # 40 is out of reach; nothing asked once the golden is used


def test_golden_comments_without_location_match_only_through_a_judge() -> None:
    unlocated = GoldenComment(text="negative offsets reach slicing", severity="high", category="bug")
    findings = [finding(3, path="x.py"), finding(9, path="y.py")]

    assert match_case(findings, [unlocated]).pairs == ()

    result = match_case(findings, [unlocated], judge=lambda f, g: f.path == "y.py")
    assert [(p.finding, p.golden, p.distance) for p in result.pairs] == [(1, 0, None)]


def test_candidate_pairs_list_located_pairs_nearest_first_then_unlocated_ones() -> None:
    unlocated = GoldenComment(text="t", severity="low", category="style")
    pairs = candidate_pairs([finding(7), finding(5)], [golden(5), unlocated], include_unlocated=True)

    assert [(p.finding, p.golden, p.distance) for p in pairs] == [(1, 0, 0), (0, 0, 2), (0, 1, None), (1, 1, None)]


def test_a_negative_tolerance_is_refused() -> None:
    with pytest.raises(ValueError):
        MatchSettings(line_tolerance=-1)


def test_scores_split_findings_by_their_own_severity_and_golden_comments_by_theirs() -> None:
    bug_case = match_case(
        [finding(10, severity="high", category="security"), finding(30, severity="low", category="performance")],
        [golden(11, severity="medium", category="security"), golden(50, severity="high", category="bug")],
    )
    clean_case = match_case([finding(1, path="x.sql", severity="low", category="style")], [])

    scores = score([bug_case, clean_case])

    overall = scores.overall
    assert (overall.findings, overall.findings_matched, overall.golden, overall.golden_matched) == (3, 1, 2, 1)
    assert overall.precision == pytest.approx(1 / 3) and overall.recall == 0.5
    assert overall.f1 == pytest.approx(0.4)
    assert list(scores.by_severity) == ["high", "medium", "low"]
    high, medium, low = scores.by_severity["high"], scores.by_severity["medium"], scores.by_severity["low"]
    assert (high.findings, high.findings_matched, high.golden, high.golden_matched) == (1, 1, 1, 0)
    assert (medium.precision, medium.recall) == (None, 1.0)
    assert (low.precision, low.recall, low.f1) == (0.0, None, None)
    assert set(scores.by_category) == {"security", "perf", "bug", "style"}
    assert scores.by_category["security"].f1 == 1.0
    assert (scores.cases, scores.clean_cases, scores.findings_on_clean_cases) == (2, 1, 1)


def test_no_findings_and_no_hits_give_undefined_precision_and_zero_recall() -> None:
    counts = score([match_case([], [golden(3)])]).overall

    assert (counts.precision, counts.recall, counts.f1) == (None, 0.0, None)
