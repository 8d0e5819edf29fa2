"""InvestigateRepos: many repositories' investigations as child workflows in a sliding window.

Not batches: with a window of N, a new child starts the moment any running one ends, so the run
takes about max(longest child, total work / N) instead of the sum of each batch's slowest child
(bench/fanout_bench.py measures both).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ApplicationError, ChildWorkflowError, WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from activities.investigation import InvestigationActivities
    from contracts.common import INVESTIGATE_ALL
    from contracts.investigation import (
        FanoutProgress,
        InvestigateRepoResult,
        InvestigateReposInput,
        InvestigateReposResult,
        ListTargetsInput,
        RepoReport,
        RepoTarget,
        investigate_workflow_id,
    )
    from contracts.starts import investigate_repo_start
    from core.temporal.retries import LOCAL_RETRY
    from core.temporal.search_attributes import search_attributes

LIST_TIMEOUT = timedelta(minutes=1)


@workflow.defn(name=INVESTIGATE_ALL)
class InvestigateReposWorkflow:
    """Investigate many repositories, at most `concurrency` at a time: a new child starts as soon
    as any running one ends (a sliding window), so one slow repository never holds up a batch."""

    def __init__(self) -> None:
        self._progress = FanoutProgress()

    @workflow.query(name="progress", description="Repositories done, failed and running, of the total.")
    def progress(self) -> FanoutProgress:
        return self._progress

    @workflow.run
    async def run(self, request: InvestigateReposInput) -> InvestigateReposResult:
        began = workflow.now()
        targets = await workflow.execute_activity_method(
            InvestigationActivities.list_investigation_targets,
            ListTargetsInput(repositories=list(request.repositories)),
            start_to_close_timeout=LIST_TIMEOUT,
            retry_policy=LOCAL_RETRY,
        )
        self._progress = FanoutProgress(total=len(targets), phase="running")
        window = asyncio.Semaphore(max(1, request.concurrency))
        reports = await asyncio.gather(*(self._investigate(t, request, window) for t in targets))
        self._progress.phase = "done"
        return InvestigateReposResult(reports=list(reports), seconds=(workflow.now() - began).total_seconds())

    async def _investigate(
        self, target: RepoTarget, request: InvestigateReposInput, window: asyncio.Semaphore
    ) -> RepoReport:
        async with window:
            workflow_id = investigate_workflow_id(target.repository, target.branch)
            self._progress.running.append(target.repository)
            self._progress.running_workflows.append(workflow_id)
            began = workflow.now()
            try:
                report = await self._child(target, request)
            except WorkflowAlreadyStartedError:
                report = RepoReport(repository=target.repository, status="already-running", seconds=0.0)
            except ChildWorkflowError as error:
                cause = error.cause.message if isinstance(error.cause, ApplicationError) else str(error.cause)
                report = RepoReport(
                    repository=target.repository, status="failed", seconds=0.0, error=cause or str(error)
                )
                self._progress.failed += 1
            finally:
                self._progress.running.remove(target.repository)
                self._progress.running_workflows.remove(workflow_id)
                self._progress.done += 1
            report.seconds = (workflow.now() - began).total_seconds()
            return report

    async def _child(self, target: RepoTarget, request: InvestigateReposInput) -> RepoReport:
        plan = investigate_repo_start(
            repository=target.repository,
            branch=target.branch,
            force=request.force,
            trigger=request.trigger,
            clone_url=target.clone_url,
        )
        result: InvestigateRepoResult = await workflow.execute_child_workflow(
            plan.workflow,
            plan.input,
            id=plan.workflow_id,
            search_attributes=search_attributes(plan),
            parent_close_policy=workflow.ParentClosePolicy.REQUEST_CANCEL,
            result_type=InvestigateRepoResult,
        )
        return RepoReport(
            repository=target.repository,
            status=result.status,
            seconds=0.0,
            commit_sha=result.commit_sha,
            llm_calls=result.llm_calls,
            tokens_in=result.tokens_in,
            tokens_out=result.tokens_out,
            cost_usd=result.cost_usd,
        )
