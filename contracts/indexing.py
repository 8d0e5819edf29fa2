"""IndexRepo's contracts: its workflow id and input, and the payloads between it and its activities.

They live in event histories: references and counts only, never settings, secrets or records.
Fields are only ever added, with defaults, so recorded histories still replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.common import Trigger


def index_workflow_id(repository: str, branch: str) -> str:
    """One index per repository branch, so a second start finds the first."""
    return f"index:{repository}@{branch}"


@dataclass(kw_only=True)
class IndexRepoInput:
    repository: str
    branch: str
    commit_sha: str | None = None  # None: the branch head when the run starts
    full: bool = False
    trigger: Trigger = "webhook"
    clone_url: str | None = None
    github_id: int | None = None  # GitHub's id: a push under a name not yet renamed finds the same row


@dataclass(kw_only=True)
class PlanIndexInput:
    repository: str
    branch: str
    clone_url: str | None = None
    commit_sha: str | None = None  # used when the branch is not in the clone
    full: bool = False
    github_id: int | None = None


@dataclass(kw_only=True)
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


@dataclass(kw_only=True)
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


@dataclass(kw_only=True)
class IndexBatchResult:
    files: int = 0
    files_skipped: int = 0
    chunks_written: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    resumed_at: int = 0  # tasks of this batch a retried attempt did not redo (from its heartbeat)
    attempt: int = 1


@dataclass(kw_only=True)
class ImpactFactsInput:
    """Bring the repository's impact facts to `commit_sha` (the commit its index was just taken to)."""

    repository: str
    repository_id: int
    clone_url: str
    commit_sha: str


@dataclass(kw_only=True)
class ImpactFactsResult:
    """`status`: fresh (already stored for this commit), carried (no file they read changed since
    the stored commit: the same facts, recorded for this commit) or extracted (read anew)."""

    commit_sha: str
    status: str
    files_read: int = 0
    uses: int = 0  # calls, topics, tables, imports and dependencies found


@dataclass(kw_only=True)
class IndexProgress:
    """The `progress` query of IndexRepo: `done` of `total` files of the current pass."""

    repository: str
    branch: str
    step: str = "starting"  # starting | planning | indexing | impact facts | done | skipped
    commit_sha: str | None = None
    done: int = 0
    total: int = 0
    passes: int = 0


@dataclass(kw_only=True)
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
    impact_facts: str | None = None  # what became of the impact facts of the last pass (status or failure)
