"""What every feature's contracts share: workflow names, task-queue kinds, search attributes, triggers.

Workflow inputs live in event histories for as long as Temporal keeps them, and anyone with UI
access reads them: they carry references (repository, PR number, commit), never secrets, settings
or database records. Fields are only ever added, with defaults, so old histories still replay;
every payload is a `kw_only` dataclass, so a call site names each argument and a field added
later cannot shift the meaning of a positional one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

QueueKind = Literal["reviews", "indexing", "investigations", "sync"]
QUEUE_KINDS: tuple[QueueKind, ...] = ("reviews", "indexing", "investigations", "sync")

# Workflow type names as Temporal (and the UI, and `temporal workflow list`) shows them.
REVIEW_PR = "ReviewPR"
IMPROVE_PR = "ImprovePR"
ASK_PR = "AskPR"
DESCRIBE_PR = "DescribePR"
HELP_PR = "HelpPR"
AUTOFIX_PR = "AutoFixPR"
INDEX_REPO = "IndexRepo"
INVESTIGATE_REPO = "InvestigateRepo"
INVESTIGATE_ALL = "InvestigateRepos"
SYNC_JIRA = "SyncJira"
SYNC_JIRA_PROJECT = "SyncJiraProject"
DISCOVER_REPOS = "DiscoverRepos"
REGISTER_REPO = "RegisterRepo"
RENAME_REPO = "RenameRepo"
UPDATE_REPO_ACCESS = "UpdateRepoAccess"
SYNC_PACKAGES = "SyncPackages"
SYNC_GITHUB_ACTIVITY = "SyncGithubActivity"
RECONCILE = "Reconcile"
HEALTH_CHECK = "HealthCheck"
ASK_KNOWLEDGE = "AskKnowledge"
RECORD_FEEDBACK = "RecordFeedback"

WORKFLOW_QUEUES: dict[str, QueueKind] = {
    REVIEW_PR: "reviews",
    ASK_KNOWLEDGE: "reviews",  # DESIGN.md, "The second half": the assistant shares the reviews queue
    IMPROVE_PR: "reviews",
    ASK_PR: "reviews",
    DESCRIBE_PR: "reviews",
    HELP_PR: "reviews",
    AUTOFIX_PR: "reviews",
    RECORD_FEEDBACK: "reviews",
    INDEX_REPO: "indexing",
    DISCOVER_REPOS: "indexing",
    REGISTER_REPO: "indexing",
    RENAME_REPO: "indexing",
    UPDATE_REPO_ACCESS: "indexing",
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

Trigger = Literal["webhook", "comment", "admin", "dashboard", "cli", "reconcile", "schedule", "demo", "bootstrap"]


@dataclass(kw_only=True)
class NewCommit:
    """Signal `new_commit` for IndexRepo and InvestigateRepo: bursts coalesce to the newest."""

    commit_sha: str


@dataclass(kw_only=True)
class HealthCheckInput:
    note: str = "health"


@dataclass(kw_only=True)
class HealthCheckResult:
    database_ok: bool
    database_version: str
    migrations_applied: int
    worker_identity: str
