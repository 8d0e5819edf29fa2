"""SyncGithubActivity: record a repository's commits and pull requests in github_activity.

Push webhooks signal-with-start it with `record_commits` (a list of commit dicts: sha, message,
author, timestamp, url, branch); signals that arrive while it runs are recorded in the same run,
several at a time. With `days > 0` it first reads that much history through the GitHub API.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.activity_sync import ActivitySyncActivities
    from contracts.common import SYNC_GITHUB_ACTIVITY
    from contracts.sync import (
        ActivitySyncResult,
        RecordCommitsInput,
        SyncGithubActivityInput,
        SyncHistoryInput,
        SyncHistoryResult,
    )
    from core.temporal.retries import GITHUB_RETRY, LOCAL_RETRY

RECORD_TIMEOUT = timedelta(minutes=1)
HISTORY_TIMEOUT = timedelta(minutes=30)
HISTORY_HEARTBEAT = timedelta(seconds=30)
MAX_COMMITS_PER_RECORD = 500  # keeps one activity input well under Temporal's payload limit


@workflow.defn(name=SYNC_GITHUB_ACTIVITY)
class SyncGithubActivityWorkflow:
    def __init__(self) -> None:
        self._pending: list[dict] = []
        self._batches = 0

    @workflow.signal(name="record_commits")
    def record_commits(self, commits: list[dict]) -> None:
        self._batches += 1
        self._pending.extend(c for c in commits if isinstance(c, dict))

    @workflow.run
    async def run(self, request: SyncGithubActivityInput) -> ActivitySyncResult:
        result = ActivitySyncResult(repository=request.repository)
        self._pending[:0] = request.commits
        if request.days > 0:
            history: SyncHistoryResult = await workflow.execute_activity_method(
                ActivitySyncActivities.sync_github_history,
                SyncHistoryInput(repository=request.repository, days=request.days),
                start_to_close_timeout=HISTORY_TIMEOUT,
                heartbeat_timeout=HISTORY_HEARTBEAT,
                retry_policy=GITHUB_RETRY,
            )
            result.history_commits, result.history_pull_requests = history.commits, history.pull_requests
        # Drained until empty: a signal that arrives before the run completes is recorded by it.
        while self._pending:
            batch, self._pending = self._pending[:MAX_COMMITS_PER_RECORD], self._pending[MAX_COMMITS_PER_RECORD:]
            result.commits_recorded += await workflow.execute_activity_method(
                ActivitySyncActivities.record_commits,
                RecordCommitsInput(repository=request.repository, commits=batch),
                start_to_close_timeout=RECORD_TIMEOUT,
                retry_policy=LOCAL_RETRY,
            )
        result.signal_batches = self._batches
        return result
