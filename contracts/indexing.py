"""Inputs and results of the indexing, discovery and activity-sync workflows and activities.

They live in event histories: references and counts only, never settings, secrets or records.
Fields are only ever added, with defaults, so recorded histories still replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- IndexRepo --------------------------------------------------------------------------------------


@dataclass
class PlanIndexInput:
    repository: str
    branch: str
    clone_url: str | None = None
    commit_sha: str | None = None  # used when the branch is not in the clone
    full: bool = False


@dataclass
class IndexPlan:
    """One pass: take the index of `repository` from `base_sha` (None: from nothing) to `target_sha`."""

    repository_id: int
    clone_url: str
    target_sha: str | None
    base_sha: str | None
    total_files: int
    embedding_model: str
    skipped_reason: str | None = None  # set when there is nothing to do
    unfinished: list[str] = field(default_factory=list)  # targets of passes that stopped half-way


@dataclass
class IndexBatchInput:
    """Tasks [offset, offset + limit) of the pass's task list; `finish` records the commit too."""

    repository: str
    repository_id: int
    clone_url: str
    target_sha: str
    base_sha: str | None
    embedding_model: str
    offset: int
    limit: int
    finish: bool = False
    unfinished: list[str] = field(default_factory=list)


@dataclass
class IndexBatchResult:
    files: int = 0
    files_skipped: int = 0
    chunks_written: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    resumed_at: int = 0  # tasks of this batch a retried attempt did not redo (from its heartbeat)
    attempt: int = 1


@dataclass
class IndexProgress:
    """The `progress` query of IndexRepo: `done` of `total` files of the current pass."""

    repository: str
    branch: str
    step: str = "starting"  # starting | planning | indexing | done | skipped
    commit_sha: str | None = None
    done: int = 0
    total: int = 0
    passes: int = 0


@dataclass
class IndexRepoResult:
    repository: str
    branch: str
    commit_sha: str | None = None
    passes: int = 0
    full_passes: int = 0
    files_changed: int = 0
    files_skipped: int = 0
    chunks_written: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    resumed_batches: int = 0
    skipped_reason: str | None = None


# --- DiscoverRepos / RegisterRepo -------------------------------------------------------------------


@dataclass
class ListOrgReposInput:
    org: str


@dataclass
class OrgRepository:
    full_name: str
    archived: bool = False
    fork: bool = False


@dataclass
class RegisterRepositoryInput:
    repository: str


@dataclass
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


@dataclass
class RegisterRepoResult:
    repository: str
    registered: bool
    newly_registered: bool = False
    repo_type: str | None = None
    skipped_reason: str | None = None  # archived / fork: registered and flagged, not indexed
    started: list[str] = field(default_factory=list)  # workflow ids started or signalled


@dataclass
class DiscoverReposResult:
    org: str
    found: int = 0
    registered: list[str] = field(default_factory=list)
    newly_registered: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # archived or forks
    failed: list[str] = field(default_factory=list)
    started: list[str] = field(default_factory=list)


# --- SyncGithubActivity -----------------------------------------------------------------------------


@dataclass
class RecordCommitsInput:
    repository: str
    commits: list[dict] = field(default_factory=list)


@dataclass
class SyncHistoryInput:
    repository: str
    days: int


@dataclass
class SyncHistoryResult:
    commits: int = 0
    pull_requests: int = 0


@dataclass
class ActivitySyncResult:
    repository: str
    commits_recorded: int = 0
    history_commits: int = 0
    history_pull_requests: int = 0
    signal_batches: int = 0
