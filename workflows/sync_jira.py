"""SyncJira (`sync-jira:{KEY-1}`) and SyncJiraProject (`sync-jira-project:{KEY}`).

Webhooks start SyncJira with terminate-existing, so the newest event's run is the one that
finishes; the ticket upsert itself also keeps the newest state, so an out-of-order run is harmless.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.sync_jira import JiraSyncActivities
    from contracts.common import SYNC_JIRA, SYNC_JIRA_PROJECT
    from contracts.sync import SyncJiraInput, SyncJiraProjectInput, SyncJiraProjectResult, SyncJiraResult
    from core.temporal.retries import JIRA_RETRY

# A project sync heartbeats after every page (one Jira request, at most 30 s, plus the upserts).
PROJECT_HEARTBEAT = timedelta(minutes=2)


@workflow.defn(name=SYNC_JIRA)
class SyncJiraWorkflow:
    def __init__(self) -> None:
        self._step = "waiting"

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        return {"step": self._step, "done": int(self._step == "done"), "total": 1}

    @workflow.run
    async def run(self, request: SyncJiraInput) -> SyncJiraResult:
        self._step = "sync"
        result = await workflow.execute_activity_method(
            JiraSyncActivities.sync_jira_ticket,
            request,
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=JIRA_RETRY,
        )
        self._step = "done"
        return result


@workflow.defn(name=SYNC_JIRA_PROJECT)
class SyncJiraProjectWorkflow:
    def __init__(self) -> None:
        self._step = "waiting"

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        return {"step": self._step, "done": int(self._step == "done"), "total": 1}

    @workflow.run
    async def run(self, request: SyncJiraProjectInput) -> SyncJiraProjectResult:
        self._step = f"sync {request.project_key}"
        result = await workflow.execute_activity_method(
            JiraSyncActivities.sync_jira_project,
            request,
            start_to_close_timeout=timedelta(hours=2),
            heartbeat_timeout=PROJECT_HEARTBEAT,
            retry_policy=JIRA_RETRY,
        )
        self._step = "done"
        return result
