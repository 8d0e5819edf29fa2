"""HealthCheck: the smallest workflow that crosses every layer (client → server → worker → database)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.health import HealthActivities
    from contracts.common import HEALTH_CHECK, HealthCheckInput, HealthCheckResult
    from core.temporal.retries import HEALTH_RETRY


@workflow.defn(name=HEALTH_CHECK)
class HealthCheckWorkflow:
    @workflow.run
    async def run(self, check: HealthCheckInput) -> HealthCheckResult:
        return await workflow.execute_activity_method(
            HealthActivities.check_database,
            check,
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=HEALTH_RETRY,
        )
