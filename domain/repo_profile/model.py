"""What a repository is: its languages, frameworks, datastores, kind and layout."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

RepoType = Literal["backend", "frontend", "mobile", "library", "infrastructure", "monorepo"]


@dataclass(frozen=True)
class Dependency:
    """One dependency declared by one manifest; `scope` is "runtime", "dev" or "peer"."""

    manifest: str
    ecosystem: str
    name: str
    scope: str = "runtime"


@dataclass
class ManifestFacts:
    """Everything the manifests say that profiling uses, gathered before any decision."""

    dependencies: list[Dependency] = field(default_factory=list)
    # (manifest path, glob) pairs from package.json workspaces, pnpm-workspace.yaml, lerna.json.
    workspace_globs: list[tuple[str, str]] = field(default_factory=list)
    # Manifests that describe a package meant for publishing, with the reason.
    publishable: list[tuple[str, str]] = field(default_factory=list)
    # (manifest path, service name, image) from docker-compose files.
    compose_images: list[tuple[str, str, str]] = field(default_factory=list)
    # Paths named by manifests as what runs (package.json main/bin, pyproject scripts).
    declared_entry_points: list[str] = field(default_factory=list)
    # Datastores named by configuration text, with the evidence.
    configured_databases: list[tuple[str, str]] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


@dataclass
class RepoProfile:
    """The deterministic profile of a repository, with the evidence behind each conclusion."""

    primary_language: str | None
    languages: dict[str, int]
    frameworks: list[str]
    databases: list[str]
    repo_type: RepoType
    subtype: str
    packages: list[str] = field(default_factory=list)
    entry_points: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
