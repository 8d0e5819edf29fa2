"""Freshness notes, the context a review should fetch, and files that do not parse."""

from __future__ import annotations

from domain.impact import RepositoryFacts, RepositoryState, context_paths, extract_facts, freshness_notes
from tests.domain.impact.builders import changes


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


def test_broken_files_yield_no_edges_and_no_facts_rather_than_errors() -> None:
    broken = {
        "package.json": "{ not json",
        "src/a.ts": "@Controller('x' export class {{{ fetch(`${",
        "app/b.py": "@router.get(\ndef (:\n",
        "migrations/1.sql": "ALTER TABLE ; DROP TABLE IF EXISTS ;",
        "prisma/schema.prisma": "model {",
    }
    assert changes({}, broken) == []
    facts = extract_facts("acme/x", "c", broken)
    assert (facts.calls, facts.topics, facts.tables, facts.dependencies) == ((), (), (), ())
