"""When the consumer data cannot be trusted: repositories without facts, or with old ones.

An impact list is only as complete as the facts behind it. A repository that was never
indexed may call the removed route; one whose facts were read at an older commit may have
started to. The review prints these notes so that silence is not taken for safety.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from domain.impact.facts import RepositoryFacts


@dataclass(frozen=True)
class RepositoryState:
    """A known repository and the commit its default branch is at (None when unknown)."""

    repository: str
    head_commit: str | None


@dataclass(frozen=True)
class FreshnessNote:
    repository: str
    status: Literal["missing", "old"]
    message: str


def freshness_notes(
    repositories: Iterable[RepositoryState], facts: Mapping[str, RepositoryFacts], producer: str
) -> list[FreshnessNote]:
    """A note for every other repository whose facts are missing or older than its head."""
    notes = []
    for state in sorted(repositories, key=lambda s: s.repository):
        if state.repository == producer:
            continue
        known = facts.get(state.repository)
        if known is None:
            message = f"{state.repository} is not indexed: its uses of this change are unknown."
            notes.append(FreshnessNote(state.repository, "missing", message))
        elif state.head_commit and known.commit != state.head_commit:
            message = (
                f"{state.repository} was read at {known.commit[:7]}, its head is {state.head_commit[:7]}: "
                "uses added since are not seen."
            )
            notes.append(FreshnessNote(state.repository, "old", message))
    return notes
