"""Reconcile: the weekly safety net behind the webhooks (started by the `reconcile-weekly` schedule).

Phases: rediscover the organisation's repositories; replay webhook deliveries that were accepted
but never started; re-index and re-investigate repositories whose default-branch head moved; full
Jira and package syncs. The fan-out runs as child workflows under one concurrency bound, each on its
usual id, so a child meets the same workflow a webhook would start: a running one is signalled (or
left to finish) instead of duplicated. Children are abandoned, not killed, if Reconcile is stopped:
each is useful on its own and may carry a webhook's signal by then. The result is a report.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ChildWorkflowError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.reconcile import ReconcileActivities
    from activities.review_feedback import FeedbackActivities
    from contracts.common import RECONCILE, WORKFLOW_QUEUES, Trigger
    from contracts.feedback import RefreshFeedbackInput
    from contracts.reconcile import ReconcileInput, ReconcilePlan, ReconcileReport, ReplayInput
    from contracts.starts import (
        WorkflowStart,
        discover_repos_start,
        main_branch_starts,
        sync_jira_project_start,
        sync_packages_start,
    )
    from core.temporal.retries import LOCAL_RETRY
    from core.temporal.search_attributes import search_attributes

TRIGGER: Trigger = "reconcile"
# workflow.patched id: from here on Reconcile re-reads the reactions on recent inline comments.
RECONCILE_FEEDBACK = "reconcile-feedback"


def _reason(error: BaseException) -> str:
    """The innermost cause: "Activity task failed" says less than the Jira or GitHub answer under it."""
    while isinstance(error, ActivityError | ChildWorkflowError) and error.cause is not None:
        error = error.cause
    return str(error) or type(error).__name__


@workflow.defn(name=RECONCILE)
class ReconcileWorkflow:
    def __init__(self) -> None:
        self._report = ReconcileReport()
        self._step = "plan"
        self._done = 0
        self._total = 1
        self._queues: dict[str, str] = {}
        self._slots = asyncio.Semaphore(1)

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        report = self._report
        return {
            "step": self._step,
            "done": self._done,
            "total": self._total,
            "started": len(report.started),
            "failed": len(report.failed),
        }

    @workflow.run
    async def run(self, request: ReconcileInput) -> ReconcileReport:
        plan: ReconcilePlan = await self._activity(ReconcileActivities.plan_reconcile, request, timedelta(minutes=1))
        self._queues, self._slots = plan.queues, asyncio.Semaphore(max(1, request.concurrency))
        self._report.skipped.extend(plan.notes)
        discover = request.repositories and plan.org is not None
        self._done, self._total = 1, 1 + discover + request.replay_deliveries + request.repositories
        if discover and plan.org:
            await self._discover(plan.org)
        if request.replay_deliveries:
            await self._replay()
        if request.feedback and workflow.patched(RECONCILE_FEEDBACK):
            await self._feedback()
        starts = await self._repository_starts(request) if request.repositories else []
        starts += self._sync_starts(request, plan)
        self._total += len(starts)
        self._step = "children"
        await asyncio.gather(*(self._child(start) for start in starts))
        self._step = "done"
        return self._report

    async def _activity(self, method: Any, arg: Any, timeout: timedelta) -> Any:
        return await workflow.execute_activity_method(
            method,
            arg,
            start_to_close_timeout=timeout,
            heartbeat_timeout=timedelta(minutes=2),
            retry_policy=LOCAL_RETRY,
        )

    async def _discover(self, org: str) -> None:
        self._step = "discover"
        await self._child(discover_repos_start(org=org, trigger=TRIGGER), bounded=False)

    async def _replay(self) -> None:
        self._step = "replay"
        try:
            result = await self._activity(ReconcileActivities.replay_deliveries, ReplayInput(), timedelta(minutes=10))
        except ActivityError as error:
            self._report.failed.append(f"replay: {_reason(error)}")
            return
        finally:
            self._done += 1
        self._report.started.extend(f"delivery:{d}" for d in result.started)
        self._report.failed.extend(f"delivery:{d}: Temporal did not take it" for d in result.still_pending)
        self._report.failed.extend(f"delivery:{d}: no longer routes" for d in result.failed)

    async def _feedback(self) -> None:
        self._step, self._total = "feedback", self._total + 1
        try:
            result = await self._activity(
                FeedbackActivities.refresh_feedback, RefreshFeedbackInput(), timedelta(minutes=30)
            )
        except ActivityError as error:
            self._report.failed.append(f"feedback: {_reason(error)}")
            return
        finally:
            self._done += 1
        self._report.feedback.append(
            f"reactions read on {result.reactions_read} comments of {result.pull_requests} pull requests"
        )
        self._report.feedback.extend(f"muted {muted}" for muted in result.muted)
        self._report.failed.extend(f"feedback: {failure}" for failure in result.failed)

    async def _repository_starts(self, request: ReconcileInput) -> list[WorkflowStart]:
        self._step = "heads"
        try:
            found = await self._activity(ReconcileActivities.check_repository_heads, request, timedelta(hours=1))
        except ActivityError as error:
            self._report.failed.append(f"repositories: {_reason(error)}")
            return []
        finally:
            self._done += 1
        starts: list[WorkflowStart] = []
        for head in found.heads:
            self._report.checked.append(head.label)
            if head.reason or head.head_sha is None:
                self._report.skipped.append(f"{head.label}: {head.reason}")
                continue
            index, investigate = main_branch_starts(
                repository=head.repository,
                branch=head.branch,
                commit_sha=head.head_sha,
                clone_url=head.clone_url,
                trigger=TRIGGER,
            )
            starts += [index] if head.reindex else []
            starts += [investigate] if head.reinvestigate else []
        return starts

    def _sync_starts(self, request: ReconcileInput, plan: ReconcilePlan) -> list[WorkflowStart]:
        starts = []
        if request.jira:
            starts += [
                sync_jira_project_start(project_key=project, full=True, trigger=TRIGGER)
                for project in plan.jira_projects
            ]
        if request.packages and plan.org:
            starts.append(sync_packages_start(org=plan.org, trigger=TRIGGER))
        return starts

    async def _child(self, start: WorkflowStart, *, bounded: bool = True) -> None:
        async with self._slots if bounded else contextlib.nullcontext():
            try:
                handle = await workflow.start_child_workflow(
                    start.workflow,
                    start.input,
                    id=start.workflow_id,
                    task_queue=self._queues[WORKFLOW_QUEUES[start.workflow]],
                    parent_close_policy=ParentClosePolicy.ABANDON,
                    search_attributes=search_attributes(start),
                )
            except WorkflowAlreadyStartedError:
                await self._join_running(start)
                return
            self._report.started.append(start.workflow_id)
            try:
                await handle
            except ChildWorkflowError as error:
                self._report.failed.append(f"{start.workflow_id}: {_reason(error)}")
            finally:
                self._done += 1

    async def _join_running(self, start: WorkflowStart) -> None:
        """The same work is already running (a webhook started it): hand it the commit, or let it be."""
        self._done += 1
        if start.signal is None:
            self._report.skipped.append(f"{start.workflow_id}: already running")
            return
        try:
            await workflow.get_external_workflow_handle(start.workflow_id).signal(start.signal, start.signal_arg)
        except Exception as error:  # it finished between our start and our signal; next week catches up
            self._report.failed.append(f"{start.workflow_id}: {_reason(error)}")
            return
        self._report.started.append(f"{start.workflow_id} (signalled)")
