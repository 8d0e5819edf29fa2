"""A workflow and an activity that only log, to see what their loggers' lines carry."""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow


@activity.defn(name="log_probe_activity")
async def log_probe_activity() -> None:
    activity.logger.info("activity probe", extra={"step": "two"})


@workflow.defn(name="LogProbe")
class LogProbeWorkflow:
    @workflow.run
    async def run(self) -> None:
        workflow.logger.info("workflow probe", extra={"step": "one"})
        await workflow.execute_activity(log_probe_activity, start_to_close_timeout=timedelta(seconds=10))
