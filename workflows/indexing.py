"""IndexRepo: keep a repository's code index true at the newest commit of its default branch.

Started (or signalled) with `new_commit` on every push. Signals coalesce: a pass indexes the
branch head as fetched when the pass begins, and the run makes one more pass only if a signal
arrived after that fetch, so a burst of pushes costs a pass or two, never one per push. Each pass
is a plan activity and batches of file tasks; the last batch records the commit in the same
transaction as its chunks. Then the repository's impact facts (what its code uses of other
repositories, read by reviews) are brought to the same commit; a failure there is reported in
the result and never fails the index.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.impact_facts import ImpactFactsActivities
    from activities.indexing import IndexingActivities
    from contracts.common import INDEX_REPO, NewCommit
    from contracts.indexing import (
        ImpactFactsInput,
        ImpactFactsResult,
        IndexBatchInput,
        IndexBatchResult,
        IndexPlan,
        IndexProgress,
        IndexRepoInput,
        IndexRepoResult,
        PlanIndexInput,
    )
    from core.temporal.retries import INDEX_RETRY

# A live worker heartbeats every second (the SDK sends at most every 0.8 x this); a killed one is
# noticed after this long and its batch retried from its last heartbeat.
HEARTBEAT_TIMEOUT = timedelta(seconds=10)
PLAN_TIMEOUT = timedelta(minutes=30)  # a first clone of a large repository
BATCH_TIMEOUT = timedelta(minutes=30)
# Batches are sized so a pass has at most about this many, within the bounds below.
TARGET_BATCHES = 40
MIN_BATCH_FILES = 100
MAX_BATCH_FILES = 2000
MAX_PASSES_PER_RUN = 20  # then continue-as-new, so a repository pushed all day keeps a short history
FACTS_TIMEOUT = timedelta(minutes=10)  # parsing every source file of a large repository
# workflow.patched id: from here on each pass ends by refreshing the repository's impact facts.
IMPACT_FACTS = "impact-facts"


def batch_size(total: int) -> int:
    return max(MIN_BATCH_FILES, min(MAX_BATCH_FILES, -(-total // TARGET_BATCHES)))


@workflow.defn(name=INDEX_REPO)
class IndexRepoWorkflow:
    def __init__(self) -> None:
        self._signals = 0
        self._latest: str | None = None
        self._progress = IndexProgress(repository="", branch="")

    @workflow.signal(name="new_commit")
    def new_commit(self, commit: NewCommit) -> None:
        self._signals += 1
        self._latest = commit.commit_sha

    @workflow.query(name="progress")
    def progress(self) -> IndexProgress:
        return self._progress

    @workflow.run
    async def run(self, request: IndexRepoInput) -> IndexRepoResult:
        self._progress = IndexProgress(repository=request.repository, branch=request.branch)
        result = IndexRepoResult(repository=request.repository, branch=request.branch)
        full = request.full
        while True:
            seen = self._signals
            wanted = self._latest or request.commit_sha
            await self._pass(request, wanted, full, result)
            full = False
            if self._signals == seen:
                break  # nothing was pushed after this pass fetched
            if result.passes >= MAX_PASSES_PER_RUN:
                following = IndexRepoInput(
                    repository=request.repository,
                    branch=request.branch,
                    commit_sha=self._latest,
                    full=False,
                    trigger=request.trigger,
                    clone_url=request.clone_url,
                    github_id=request.github_id,
                )
                workflow.continue_as_new(following)
        self._progress.step = "skipped" if result.skipped_reason and not result.passes else "done"
        return result

    async def _pass(self, request: IndexRepoInput, wanted: str | None, full: bool, result: IndexRepoResult) -> None:
        self._progress.step = "planning"
        plan: IndexPlan = await workflow.execute_activity_method(
            IndexingActivities.plan_index,
            PlanIndexInput(
                repository=request.repository,
                branch=request.branch,
                clone_url=request.clone_url,
                commit_sha=wanted,
                full=full,
                github_id=request.github_id,
            ),
            start_to_close_timeout=PLAN_TIMEOUT,
            heartbeat_timeout=HEARTBEAT_TIMEOUT,
            retry_policy=INDEX_RETRY,
        )
        if plan.skipped_reason is not None or plan.target_sha is None:
            result.commit_sha = plan.target_sha or result.commit_sha
            if not result.passes:
                result.skipped_reason = plan.skipped_reason
            if plan.target_sha is not None and workflow.patched(IMPACT_FACTS):
                await self._impact_facts(request.repository, plan, plan.target_sha, result)  # e.g. a new schema
            return
        result.passes += 1
        result.full_passes += plan.base_sha is None
        self._progress = IndexProgress(
            repository=request.repository,
            branch=request.branch,
            step="indexing",
            commit_sha=plan.target_sha,
            done=0,
            total=plan.total_files,
            passes=result.passes,
        )
        await self._batches(request.repository, plan, plan.target_sha, result)
        result.commit_sha = plan.target_sha
        if workflow.patched(IMPACT_FACTS):
            await self._impact_facts(request.repository, plan, plan.target_sha, result)

    async def _impact_facts(self, repository: str, plan: IndexPlan, target: str, result: IndexRepoResult) -> None:
        self._progress.step = "impact facts"
        facts_input = ImpactFactsInput(
            repository=repository, repository_id=plan.repository_id, clone_url=plan.clone_url, commit_sha=target
        )
        try:
            facts: ImpactFactsResult = await workflow.execute_activity_method(
                ImpactFactsActivities.refresh_impact_facts,
                facts_input,
                start_to_close_timeout=FACTS_TIMEOUT,
                heartbeat_timeout=HEARTBEAT_TIMEOUT,
                retry_policy=INDEX_RETRY,
            )
        except ActivityError as error:
            # The index is recorded; reviews say the facts are older than the head until a later pass.
            workflow.logger.warning("impact facts of %s at %s failed: %s", repository, target[:12], error.cause)
            result.impact_facts = f"failed: {error.cause or error}"[:300]
            return
        result.impact_facts = f"{facts.status} at {target[:12]} ({facts.files_read} files)"

    async def _batches(self, repository: str, plan: IndexPlan, target: str, result: IndexRepoResult) -> None:
        size = batch_size(plan.total_files)
        offsets = list(range(0, plan.total_files, size)) or [0]
        for offset in offsets:
            batch = IndexBatchInput(
                repository=repository,
                repository_id=plan.repository_id,
                clone_url=plan.clone_url,
                target_sha=target,
                base_sha=plan.base_sha,
                embedding_model=plan.embedding_model,
                offset=offset,
                limit=size,
                finish=offset == offsets[-1],
                unfinished=plan.unfinished,
            )
            done: IndexBatchResult = await workflow.execute_activity_method(
                IndexingActivities.index_files,
                batch,
                start_to_close_timeout=BATCH_TIMEOUT,
                heartbeat_timeout=HEARTBEAT_TIMEOUT,
                retry_policy=INDEX_RETRY,
            )
            _add(result, done)
            self._progress.done = min(plan.total_files, offset + done.files + done.resumed_at)


def _add(result: IndexRepoResult, batch: IndexBatchResult) -> None:
    result.files_changed += batch.files + batch.resumed_at
    result.files_skipped += batch.files_skipped
    result.chunks_written += batch.chunks_written
    result.chunks_embedded += batch.chunks_embedded
    result.chunks_reused += batch.chunks_reused
    result.resumed_batches += batch.resumed_at > 0
