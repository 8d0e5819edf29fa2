"""DiscoverRepos' and RegisterRepo's contracts: workflow ids, inputs, and their activities' payloads."""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.common import Trigger


def discover_workflow_id(org: str) -> str:
    return f"discover:{org}"


def register_workflow_id(repository: str) -> str:
    return f"register:{repository}"


@dataclass(kw_only=True)
class DiscoverReposInput:
    org: str
    trigger: Trigger = "admin"


@dataclass(kw_only=True)
class RegisterRepoInput:
    repository: str
    investigate: bool = True
    trigger: Trigger = "webhook"
    installation_id: int | None = None  # the App installation it was given with (installation events)
    reactivate: bool = False  # given (back) to the App: work on it again if it had stopped


@dataclass(kw_only=True)
class ListOrgReposInput:
    org: str


@dataclass(kw_only=True)
class OrgRepository:
    full_name: str
    archived: bool = False
    fork: bool = False


@dataclass(kw_only=True)
class RegisterRepositoryInput:
    repository: str
    installation_id: int | None = None
    reactivate: bool = False


@dataclass(kw_only=True)
class RegisteredRepository:
    """What RegisterRepo needs to decide what to start next (queue names come from the worker's settings)."""

    repository: str
    default_branch: str
    clone_url: str | None
    archived: bool
    fork: bool
    head_sha: str | None
    newly_registered: bool
    repo_type: str | None
    last_commit_sha: str | None
    last_investigated_sha: str | None
    investigations_queue: str
    github_id: int | None = None
    inactive_reason: str | None = None  # the App stopped working on it (removed, uninstalled...)


@dataclass(kw_only=True)
class RegisterRepoResult:
    repository: str
    registered: bool
    newly_registered: bool = False
    repo_type: str | None = None
    skipped_reason: str | None = None  # archived / fork / inactive: registered and flagged, not indexed
    started: list[str] = field(default_factory=list)  # workflow ids started or signalled


@dataclass(kw_only=True)
class DiscoverReposResult:
    org: str
    found: int = 0
    registered: list[str] = field(default_factory=list)
    newly_registered: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # archived or forks
    failed: list[str] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
