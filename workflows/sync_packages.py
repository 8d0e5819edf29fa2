"""SyncPackages (`sync-npm:{package}`, or `sync-npm:{org}/*` for the organisation's full sync)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.sync_packages import PackageSyncActivities
    from contracts.common import SYNC_PACKAGES
    from contracts.sync import SyncPackagesInput, SyncPackagesResult
    from core.temporal.retries import GITHUB_RETRY


@workflow.defn(name=SYNC_PACKAGES)
class SyncPackagesWorkflow:
    def __init__(self) -> None:
        self._step = "waiting"

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        return {"step": self._step, "done": int(self._step == "done"), "total": 1}

    @workflow.run
    async def run(self, request: SyncPackagesInput) -> SyncPackagesResult:
        self._step = f"sync {request.package or 'all packages'}"
        result = await workflow.execute_activity_method(
            PackageSyncActivities.sync_npm_packages,
            request,
            start_to_close_timeout=timedelta(hours=1),
            # The full sync heartbeats per package (two GitHub requests of at most 30 s each).
            heartbeat_timeout=timedelta(minutes=2),
            retry_policy=GITHUB_RETRY,
        )
        self._step = "done"
        return result
