"""The sync workflows' contracts: SyncJira, SyncJiraProject, SyncPackages and SyncGithubActivity.

Workflow ids, inputs and results, and the payloads between the workflows and their activities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from contracts.common import Trigger


def sync_jira_workflow_id(ticket_key: str) -> str:
    return f"sync-jira:{ticket_key}"


def sync_jira_project_workflow_id(project_key: str) -> str:
    return f"sync-jira-project:{project_key}"


def sync_packages_workflow_id(package: str) -> str:
    return f"sync-npm:{package}"


def full_sync_id(org: str) -> str:
    """The workflow id of an organisation's full package sync (`*` is never part of an npm name)."""
    return sync_packages_workflow_id(f"{org}/*")


def activity_workflow_id(repository: str) -> str:
    return f"activity:{repository}"


# --- SyncJira / SyncJiraProject ---------------------------------------------------------------------

JiraOutcome = Literal["stored", "unchanged", "deleted", "not_found"]


@dataclass(kw_only=True)
class SyncJiraInput:
    ticket_key: str
    event: Literal["created", "updated", "deleted", "refresh"] = "refresh"
    issue: dict | None = None  # the webhook's issue object, when the event carried one
    trigger: Trigger = "webhook"


@dataclass(kw_only=True)
class SyncJiraResult:
    key: str
    outcome: JiraOutcome
    fetched: bool = False  # the full issue was read from Jira


@dataclass(kw_only=True)
class SyncJiraProjectInput:
    project_key: str
    full: bool = False
    trigger: Trigger = "admin"


@dataclass(kw_only=True)
class SyncJiraProjectResult:
    project_key: str
    full: bool
    seen: int = 0
    written: int = 0
    flagged_deleted: list[str] = field(default_factory=list)
    since: str | None = None  # ISO time the search started from; None for everything


# --- SyncPackages -----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class SyncPackagesInput:
    package: str | None = None  # None: every internal npm package of the organisation
    version: str | None = None
    org: str | None = None
    trigger: Trigger = "webhook"


@dataclass(kw_only=True)
class SyncPackagesResult:
    org: str
    synced: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)


# --- SyncGithubActivity -----------------------------------------------------------------------------


@dataclass(kw_only=True)
class SyncGithubActivityInput:
    repository: str
    days: int = 30
    trigger: Trigger = "admin"
    # Pushed commits and PR events delivered by webhooks, recorded without asking GitHub again.
    commits: list[dict] = field(default_factory=list)


@dataclass(kw_only=True)
class RecordCommitsInput:
    repository: str
    commits: list[dict] = field(default_factory=list)


@dataclass(kw_only=True)
class SyncHistoryInput:
    repository: str
    days: int


@dataclass(kw_only=True)
class SyncHistoryResult:
    commits: int = 0
    pull_requests: int = 0


@dataclass(kw_only=True)
class ActivitySyncResult:
    repository: str
    commits_recorded: int = 0
    history_commits: int = 0
    history_pull_requests: int = 0
    signal_batches: int = 0
