"""Precision and recall of impact findings, the freshness notes, and the context to fetch."""

from __future__ import annotations

from domain.impact import (
    Evidence,
    ExpectedImpact,
    ImpactFinding,
    RepositoryFacts,
    RepositoryState,
    context_paths,
    freshness_notes,
    score_impacts,
)


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


def test_freshness_notes_for_missing_and_old_facts_but_not_the_producer_or_unknown_heads() -> None:
    facts = {
        "acme/web": RepositoryFacts("acme/web", "1111111aaaa"),
        "acme/worker": RepositoryFacts("acme/worker", "2222222bbbb"),
        "acme/api": RepositoryFacts("acme/api", "old"),
    }
    states = [
        RepositoryState("acme/web", "1111111aaaa"),
        RepositoryState("acme/worker", "3333333cccc"),
        RepositoryState("acme/api", "new"),
        RepositoryState("acme/mobile", None),
        RepositoryState("acme/legacy", "4444444dddd"),
    ]
    notes = freshness_notes(states, facts, producer="acme/api")
    assert [(n.repository, n.status) for n in notes] == [
        ("acme/legacy", "missing"),
        ("acme/mobile", "missing"),
        ("acme/worker", "old"),
    ]
    assert notes[2].message == "acme/worker was read at 2222222, its head is 3333333: uses added since are not seen."


def test_context_is_manifests_entries_route_files_and_the_files_declaring_edges() -> None:
    head = [
        "package.json",
        "packages/ui/package.json",
        "packages/ui/src/index.ts",
        "packages/ui/src/button.ts",
        "packages/ui/src/form/index.ts",
        "packages/ui/src/form/input.ts",
        "packages/ui/test/button.spec.ts",
        "services/api/src/main.ts",
        "services/api/src/users/users.controller.ts",
        "services/api/src/events/publisher.ts",
        "services/api/src/users/users.service.ts",
        "node_modules/x/index.js",
    ]
    own = RepositoryFacts("acme/mono", "c", edge_files=("services/api/src/events/publisher.ts",))
    wanted = context_paths(head, ["packages/ui/src/button.ts"], own)
    assert wanted == [
        "package.json",
        "packages/ui/package.json",
        "packages/ui/src/index.ts",
        "services/api/src/main.ts",
        "services/api/src/events/publisher.ts",
        "services/api/src/users/users.controller.ts",
    ]
