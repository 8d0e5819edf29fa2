"""What the roles share: workflow names, task-queue kinds, workflow ids and workflow inputs.

Workflow inputs live in event histories for as long as Temporal keeps them, and anyone with UI
access reads them: they carry references (repository, PR number, commit), never secrets, settings
or database records. Fields are only ever added, with defaults, so old histories still replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

QueueKind = Literal["reviews", "indexing", "investigations", "sync"]
QUEUE_KINDS: tuple[QueueKind, ...] = ("reviews", "indexing", "investigations", "sync")

# Workflow type names as Temporal (and the UI, and `temporal workflow list`) shows them.
REVIEW_PR = "ReviewPR"
INDEX_REPO = "IndexRepo"
INVESTIGATE_REPO = "InvestigateRepo"
INVESTIGATE_ALL = "InvestigateRepos"
SYNC_JIRA = "SyncJira"
SYNC_JIRA_PROJECT = "SyncJiraProject"
DISCOVER_REPOS = "DiscoverRepos"
REGISTER_REPO = "RegisterRepo"
SYNC_PACKAGES = "SyncPackages"
SYNC_GITHUB_ACTIVITY = "SyncGithubActivity"
RECONCILE = "Reconcile"
HEALTH_CHECK = "HealthCheck"

WORKFLOW_QUEUES: dict[str, QueueKind] = {
    REVIEW_PR: "reviews",
    INDEX_REPO: "indexing",
    DISCOVER_REPOS: "indexing",
    REGISTER_REPO: "indexing",
    INVESTIGATE_REPO: "investigations",
    INVESTIGATE_ALL: "investigations",
    SYNC_JIRA: "sync",
    SYNC_JIRA_PROJECT: "sync",
    SYNC_PACKAGES: "sync",
    SYNC_GITHUB_ACTIVITY: "sync",
    RECONCILE: "sync",
    HEALTH_CHECK: "sync",
}

# Search attributes registered by the dev stack (and documented for production clusters).
SEARCH_ATTRIBUTE_REPO = "PrAgentRepo"  # keyword
SEARCH_ATTRIBUTE_PR = "PrAgentPr"  # int
SEARCH_ATTRIBUTE_TRIGGER = "PrAgentTrigger"  # keyword
SEARCH_ATTRIBUTES: dict[str, str] = {
    SEARCH_ATTRIBUTE_REPO: "Keyword",
    SEARCH_ATTRIBUTE_PR: "Int",
    SEARCH_ATTRIBUTE_TRIGGER: "Keyword",
}


# --- workflow ids: one per unit of work, so a second start finds the first ------------------------


def review_workflow_id(repository: str, number: int) -> str:
    return f"review:{repository}#{number}"


def index_workflow_id(repository: str, branch: str) -> str:
    return f"index:{repository}@{branch}"


def investigate_workflow_id(repository: str, branch: str) -> str:
    return f"investigate:{repository}@{branch}"


def sync_jira_workflow_id(ticket_key: str) -> str:
    return f"sync-jira:{ticket_key}"


def sync_jira_project_workflow_id(project_key: str) -> str:
    return f"sync-jira-project:{project_key}"


def discover_workflow_id(org: str) -> str:
    return f"discover:{org}"


def register_workflow_id(repository: str) -> str:
    return f"register:{repository}"


def sync_packages_workflow_id(package: str) -> str:
    return f"sync-npm:{package}"


def activity_workflow_id(repository: str) -> str:
    return f"activity:{repository}"


# --- inputs ---------------------------------------------------------------------------------------

Trigger = Literal["webhook", "comment", "admin", "cli", "reconcile", "schedule", "demo", "bootstrap"]


@dataclass
class PullRequestRef:
    """Which pull request. `provider="local"` reviews `head_ref` against `base_ref` of a local clone."""

    repository: str  # owner/name (for local: a display name)
    number: int
    provider: Literal["github", "local"] = "github"
    local_path: str | None = None
    base_ref: str | None = None
    head_ref: str | None = None


@dataclass
class NewHead:
    """Signal `new_head`: review this head (the newest wins); `force` reviews an already reviewed head."""

    head_sha: str
    trigger: Trigger = "webhook"
    force: bool = False
    delivery_id: str | None = None


@dataclass
class ReviewPullRequestInput:
    pr: PullRequestRef
    head_sha: str | None = None
    trigger: Trigger = "webhook"
    force: bool = False
    delivery_id: str | None = None


@dataclass
class IndexRepoInput:
    repository: str
    branch: str
    commit_sha: str | None = None  # None: the branch head when the run starts
    full: bool = False
    trigger: Trigger = "webhook"
    clone_url: str | None = None


@dataclass
class NewCommit:
    """Signal `new_commit` for IndexRepo and InvestigateRepo: bursts coalesce to the newest."""

    commit_sha: str


@dataclass
class InvestigateRepoInput:
    repository: str
    branch: str
    commit_sha: str | None = None
    force: bool = False
    trigger: Trigger = "webhook"
    clone_url: str | None = None
    # Carried across continue-as-new so a long investigation keeps its place and totals.
    steps_done: list[str] = field(default_factory=list)


@dataclass
class InvestigateReposInput:
    repositories: list[str] = field(default_factory=list)  # empty: every registered repository
    concurrency: int = 4
    force: bool = False
    trigger: Trigger = "admin"


@dataclass
class SyncJiraInput:
    ticket_key: str
    event: Literal["created", "updated", "deleted", "refresh"] = "refresh"
    issue: dict | None = None  # the webhook's issue object, when the event carried one
    trigger: Trigger = "webhook"


@dataclass
class SyncJiraProjectInput:
    project_key: str
    full: bool = False
    trigger: Trigger = "admin"


@dataclass
class DiscoverReposInput:
    org: str
    trigger: Trigger = "admin"


@dataclass
class RegisterRepoInput:
    repository: str
    investigate: bool = True
    trigger: Trigger = "webhook"


@dataclass
class SyncPackagesInput:
    package: str | None = None  # None: every internal npm package of the organisation
    version: str | None = None
    org: str | None = None
    trigger: Trigger = "webhook"


@dataclass
class SyncGithubActivityInput:
    repository: str
    days: int = 30
    trigger: Trigger = "admin"
    # Pushed commits and PR events delivered by webhooks, recorded without asking GitHub again.
    commits: list[dict] = field(default_factory=list)


@dataclass
class ReconcileInput:
    repositories: bool = True
    jira: bool = True
    packages: bool = True
    replay_deliveries: bool = True
    concurrency: int = 4
    trigger: Trigger = "schedule"


@dataclass
class HealthCheckInput:
    note: str = "health"


@dataclass
class HealthCheckResult:
    database_ok: bool
    database_version: str
    migrations_applied: int
    worker_identity: str
