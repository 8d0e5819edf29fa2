"""Precision and recall of impact findings against expected ones."""

from __future__ import annotations

from domain.impact import Evidence, ExpectedImpact, ImpactFinding, score_impacts


def _finding(name: str, *where: tuple[str, str, int]) -> ImpactFinding:
    evidence = tuple(Evidence(repo, path, line, "calls it") for repo, path, line in where)
    return ImpactFinding("impact.route-removed", "high", "m", "route", name, "removed", "a.ts", 1, "base", 1, evidence)


def test_precision_and_recall_count_each_piece_of_evidence() -> None:
    found = [
        _finding("DELETE /x", ("acme/web", "src/a.ts", 3), ("acme/app", "src/b.ts", 9)),
        _finding("GET /y", ("acme/web", "src/c.ts", 5)),
    ]
    expected = [
        ExpectedImpact("route", "DELETE /x", "acme/web", "src/a.ts", 3),
        ExpectedImpact("route", "DELETE /x", "acme/app", "src/b.ts"),  # any line of that file
        ExpectedImpact("route", "GET /y", "acme/web", "src/c.ts", 6),  # reported on another line
        ExpectedImpact("table", "users", "acme/worker", "src/q.ts", 1),
    ]
    score = score_impacts(found, expected)
    assert score.true_positives == 2
    assert score.false_positives == (("route", "GET /y", "acme/web", "src/c.ts", 5),)
    assert [e.name for e in score.false_negatives] == ["GET /y", "users"]
    assert (score.precision, score.recall) == (2 / 3, 2 / 4)


def test_nothing_reported_and_nothing_expected_is_perfect() -> None:
    score = score_impacts([], [])
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_an_expected_line_claims_its_evidence_before_an_any_line_expectation() -> None:
    found = [_finding("DELETE /x", ("acme/web", "src/a.ts", 3), ("acme/web", "src/a.ts", 8))]
    expected = [
        ExpectedImpact("route", "DELETE /x", "acme/web", "src/a.ts"),
        ExpectedImpact("route", "DELETE /x", "acme/web", "src/a.ts", 3),
    ]
    assert score_impacts(found, expected).true_positives == 2
