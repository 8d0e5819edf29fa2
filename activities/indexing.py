"""IndexRepo's activities: plan a pass (fetch, decide base and target, count files), index a batch.

Clones live in a worker-local cache: only the clone URL travels between activities, and each
activity re-checks its own cache (a batch may run on another worker than the plan). A batch
heartbeats how many of its tasks are committed; a retried attempt starts from there, and what it
redoes past the last heartbeat finds its embeddings already stored, so nothing is embedded twice.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.indexer import Finish, Indexer, file_tasks
from clients.embeddings import configured_embedder
from clients.git import GitError, run_git
from clients.git_batch import CloneCache, branch_head, has_commit, is_ancestor, tree_entries
from clients.github import GithubNotConfigured, clone_url, github_token
from contracts.indexing import IndexBatchInput, IndexBatchResult, IndexPlan, PlanIndexInput
from core.metrics import set_index_lag
from core.settings import Settings
from core.temporal.errors import GIT_ERROR, INDEX_CONFIG_ERROR
from core.temporal.heartbeat import heartbeating
from db.repositories import RepositoryRecord, RepositoryStore
from domain.embeddings import Embedder

# The dimension of code_chunks.embedding in migrations/001_initial.sql.
STORED_DIMENSION = 384
MAX_UNFINISHED = 20  # more half-done passes than this: re-index in full rather than retrace them all


class IndexConfigError(ApplicationError):
    """Configuration that retrying cannot fix (wrong embedding dimension, mismatched models)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, type=INDEX_CONFIG_ERROR, non_retryable=True)


def repo_cache_dir(settings: Settings) -> Path:
    return Path(settings.paths.repo_cache_dir or Path(settings.paths.data_dir) / "repos")


def _token_getter(settings: Settings) -> Any:
    def token_for(url: str, repository: str) -> str | None:
        if not url.startswith("https://"):
            return None  # local paths and file:// (tests, `pr-agent review --repo`) need none
        try:
            return github_token(settings.github, repository)
        except GithubNotConfigured:
            return None  # public repositories clone without one

    return token_for


class IndexingActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, *, embedder: Embedder | None = None) -> None:
        """`embedder` stands in for the configured one (tests, benchmarks); the index and its
        queries must use the same, so the worker passes one embedder to every activity that embeds."""
        self._settings = settings
        self._repositories = RepositoryStore(pool)
        self._embedder = embedder or configured_embedder(settings.llm)
        self._indexer = Indexer(pool, self._embedder)
        self._clones = CloneCache(repo_cache_dir(settings), _token_getter(settings))

    @property
    def clones(self) -> CloneCache:
        """This worker's clones, shared with the impact-facts step that follows a pass."""
        return self._clones

    def _check_embedder(self, expected_model: str | None = None) -> None:
        if self._embedder.dimension != STORED_DIMENSION:
            raise IndexConfigError(
                f"EMBEDDING_DIMENSION is {self._embedder.dimension} but code_chunks stores {STORED_DIMENSION}"
            )
        if expected_model is not None and expected_model != self._embedder.name:
            raise IndexConfigError(f"this worker embeds with {self._embedder.name}, the pass uses {expected_model}")

    @activity.defn(name="plan_index")
    async def plan_index(self, request: PlanIndexInput) -> IndexPlan:
        """Fetch the repository and decide the pass: target commit, base commit, number of files."""
        self._check_embedder()
        record = await self._repositories.ensure(
            request.repository, request.branch, request.clone_url, request.github_id
        )
        url = request.clone_url or record.clone_url or clone_url(self._settings.github, request.repository)
        model = self._embedder.name
        plan = IndexPlan(
            repository_id=record.id, clone_url=url, target_sha=None, base_sha=None, total_files=0, embedding_model=model
        )
        plan.skipped_reason = _not_indexed_reason(record, request.branch)
        if plan.skipped_reason is not None:
            return plan
        async with heartbeating({"step": "fetch"}):
            repo_dir = await self._fetch(url, request.repository)
            plan.target_sha = await self._target(repo_dir, request)
            await self._repositories.record_head(record.id, plan.target_sha)
            plan.base_sha = await self._base(repo_dir, record, request.full, model)
            if plan.base_sha == plan.target_sha and not record.unfinished_index_shas:
                plan.skipped_reason = "up to date"
                return plan
            if plan.base_sha is not None:
                plan.unfinished = record.unfinished_index_shas
                if not await self._reachable(repo_dir, plan.unfinished, plan.target_sha):
                    plan.base_sha, plan.unfinished = None, []  # a half-done pass we cannot retrace
            tasks = await asyncio.to_thread(file_tasks, repo_dir, plan.base_sha, plan.target_sha, plan.unfinished)
        await self._repositories.mark_unfinished(record.id, plan.target_sha)
        plan.total_files = len(tasks)
        return plan

    async def _reachable(self, repo_dir: Path, shas: list[str], target: str) -> bool:
        if len(shas) > MAX_UNFINISHED:
            return False
        for sha in shas:
            if not await asyncio.to_thread(is_ancestor, repo_dir, sha, target):
                return False  # force-pushed away: another worker's clone may not have it
        return True

    async def _fetch(self, url: str, repository: str) -> Path:
        try:
            return await self._clones.fetched(url, repository)
        except GitError as error:
            raise ApplicationError(f"could not fetch {repository}: {error}", type=GIT_ERROR) from error

    async def _target(self, repo_dir: Path, request: PlanIndexInput) -> str:
        head = await asyncio.to_thread(branch_head, repo_dir, request.branch)
        if head is not None:
            return head  # the newest commit of the branch: a run always catches up
        wanted = request.commit_sha
        if wanted is not None and await asyncio.to_thread(has_commit, repo_dir, wanted):
            return wanted
        raise ApplicationError(f"{request.repository} has no branch {request.branch}", non_retryable=True)

    async def _base(self, repo_dir: Path, record: RepositoryRecord, full: bool, model: str) -> str | None:
        base = record.last_commit_sha
        if full or base is None or record.indexed_embedding_model != model:
            return None  # a new embedding model re-embeds everything
        if not await asyncio.to_thread(has_commit, repo_dir, base):
            return None  # history was rewritten: start over
        return base

    @activity.defn(name="index_files")
    async def index_files(self, request: IndexBatchInput) -> IndexBatchResult:
        """Index one batch of the pass's tasks, resuming after the tasks a failed attempt committed."""
        self._check_embedder(request.embedding_model)
        info = activity.info()
        start = _resume_point(info.heartbeat_details, request)
        try:
            repo_dir = await self._clones.with_commit(request.clone_url, request.repository, request.target_sha)
        except GitError as error:
            raise ApplicationError(f"could not fetch {request.repository}: {error}", type=GIT_ERROR) from error
        details = {"target": request.target_sha, "offset": request.offset, "done": start}
        async with heartbeating(details) as beating:
            all_tasks = await asyncio.to_thread(
                file_tasks, repo_dir, request.base_sha, request.target_sha, request.unfinished
            )
            tasks = all_tasks[request.offset : request.offset + request.limit]
            full = request.base_sha is None
            entries = await asyncio.to_thread(tree_entries, repo_dir, request.target_sha) if full else None
            finish = None
            if request.finish:
                finish = Finish(request.target_sha, [t.path for t in all_tasks] if full else None)

            counts = await self._indexer.run(
                repo_dir,
                request.repository_id,
                request.target_sha,
                tasks,
                start=start,
                finish=finish,
                on_progress=lambda done: beating.update(done=done),
                entries=entries,
            )
        if finish is not None:
            await asyncio.to_thread(_record_index_lag, repo_dir, request.repository, request.target_sha)
        return IndexBatchResult(
            files=counts.files,
            files_skipped=counts.files_skipped,
            chunks_written=counts.chunks_written,
            chunks_embedded=counts.chunks_embedded,
            chunks_reused=counts.chunks_reused,
            resumed_at=start,
            attempt=info.attempt,
        )


def _record_index_lag(repo_dir: Path, repository: str, commit_sha: str) -> None:
    """The index is true at `commit_sha` now: its lag is how long ago that commit was made."""
    committed = int(run_git(["log", "-1", "--format=%ct", commit_sha], cwd=repo_dir).decode().strip() or 0)
    set_index_lag(repository, time.time() - committed if committed else 0.0)


def _not_indexed_reason(record: RepositoryRecord, branch: str) -> str | None:
    if record.inactive_reason is not None:
        return f"the App no longer works on {record.full_name}: {record.inactive_reason}"
    if not record.indexable:
        return "archived repositories and forks are not indexed"
    if record.default_branch != branch:
        return f"only the default branch ({record.default_branch}) is indexed"
    return None


def _resume_point(heartbeat_details: Any, request: IndexBatchInput) -> int:
    """Tasks of this batch an earlier attempt committed, from its last heartbeat (0 if none)."""
    if not heartbeat_details:
        return 0
    last = heartbeat_details[-1]
    if not isinstance(last, dict) or last.get("target") != request.target_sha or last.get("offset") != request.offset:
        return 0
    return max(0, min(int(last.get("done", 0)), request.limit))
