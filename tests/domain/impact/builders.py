"""Small builders for the impact tests: a change from base and head dicts, facts of consumers."""

from __future__ import annotations

from collections.abc import Mapping

from domain.impact import (
    ChangedFile,
    ChangeSet,
    EdgeChange,
    ImpactFinding,
    assess_impact,
    edge_changes,
    extract_facts,
)

PRODUCER = "acme/producer"


def change_set(base: Mapping[str, str], head: Mapping[str, str], context: Mapping[str, str] | None = None) -> ChangeSet:
    """The files that differ between base and head (absent on one side: added or deleted)."""
    paths = sorted(set(base) | set(head))
    files = tuple(ChangedFile(p, base.get(p), head.get(p)) for p in paths if base.get(p) != head.get(p))
    return ChangeSet(PRODUCER, files, dict(context or {}))


def changes(
    base: Mapping[str, str], head: Mapping[str, str], context: Mapping[str, str] | None = None
) -> list[EdgeChange]:
    return edge_changes(change_set(base, head, context))


def impacts(
    base: Mapping[str, str],
    head: Mapping[str, str],
    consumers: Mapping[str, Mapping[str, str]],
    context: Mapping[str, str] | None = None,
) -> list[ImpactFinding]:
    """Findings of the change against consumer repositories given as {name: files}."""
    facts = [extract_facts(name, "c1", files) for name, files in consumers.items()]
    return list(assess_impact(change_set(base, head, context), facts).findings)


def summary(found: list[EdgeChange]) -> set[tuple[str, str, str]]:
    """(kind, name, change) of each edge change."""
    return {(c.kind, c.name, c.change) for c in found}
