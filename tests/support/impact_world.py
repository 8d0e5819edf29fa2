"""The impact world (tests/fixtures/impact_world): four small repositories and pull requests
against them, each with the impact findings it should get. Used by the impact tests and meant
for the impact benchmark and the soak.

Layout: world.json maps repository names to folders under repos/; changes/<name>/change.json
names the repository, the changed files (added, modified, deleted) and the expected findings,
and changes/<name>/head/ holds the head text of every added or modified file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from domain.impact import ChangedFile, ChangeSet, ExpectedImpact, RepositoryFacts, context_paths, extract_facts

WORLD = Path(__file__).resolve().parents[1] / "fixtures" / "impact_world"
BASE_COMMIT = "0" * 40


@dataclass(frozen=True)
class WorldChange:
    """One pull request of the world and what it should produce."""

    name: str
    repository: str
    title: str
    files: tuple[ChangedFile, ...]
    expected: tuple[ExpectedImpact, ...]
    severities: dict[tuple[str, str], str]  # (kind, name) → expected finding severity


@cache
def repositories() -> dict[str, Path]:
    """Repository name → its folder."""
    data = json.loads((WORLD / "world.json").read_text())
    return {name: WORLD / folder for name, folder in data["repositories"].items()}


@cache
def repository_files(repository: str) -> dict[str, str]:
    """Every file of a repository at its base state, by path."""
    root = repositories()[repository]
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


@cache
def world_facts(repository: str, commit: str = BASE_COMMIT) -> RepositoryFacts:
    """The facts an index pass at base would have stored for a repository."""
    return extract_facts(repository, commit, repository_files(repository))


def changes() -> list[WorldChange]:
    """Every pull request of the world, by name."""
    return [load_change(folder.name) for folder in sorted((WORLD / "changes").iterdir()) if folder.is_dir()]


def load_change(name: str) -> WorldChange:
    folder = WORLD / "changes" / name
    data = json.loads((folder / "change.json").read_text())
    base = repository_files(data["repository"])
    files = []
    for path, status in data["files"].items():
        head = None if status == "deleted" else (folder / "head" / path).read_text()
        files.append(ChangedFile(path, None if status == "added" else base[path], head))
    expected = tuple(
        ExpectedImpact(e["kind"], e["name"], e["repository"], e["path"], e.get("line")) for e in data["expected"]
    )
    severities = {(e["kind"], e["name"]): e["severity"] for e in data["expected"]}
    return WorldChange(name, data["repository"], data["title"], tuple(files), expected, severities)


def change_set(change: WorldChange) -> ChangeSet:
    """The change with the context a review would fetch: `context_paths` of the head tree."""
    base = repository_files(change.repository)
    changed = [f.path for f in change.files]
    head_paths = sorted({*base, *changed} - {f.path for f in change.files if f.head is None})
    wanted = context_paths(head_paths, changed, world_facts(change.repository))
    return ChangeSet(change.repository, change.files, {p: base[p] for p in wanted if p in base})
