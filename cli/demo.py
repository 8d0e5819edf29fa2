"""The `pr-agent dev --demo` walk-through: proves the stack's path end to end once it is up."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from core.contracts import HEALTH_CHECK, QUEUE_KINDS, HealthCheckInput, HealthCheckResult
from core.settings import Settings
from core.temporal_client import connect, task_queue

log = logging.getLogger("pr_agent.demo")


async def run_demo(settings: Settings) -> None:
    client = await connect(settings.temporal)
    for kind in QUEUE_KINDS:
        result = await client.execute_workflow(
            HEALTH_CHECK,
            HealthCheckInput(note="demo"),
            id=f"health:{kind}:{uuid.uuid4().hex[:8]}",
            task_queue=task_queue(settings.temporal, kind),
            result_type=HealthCheckResult,
            execution_timeout=timedelta(seconds=30),
        )
        log.info("demo: %s queue healthy (PostgreSQL %s)", kind, result.database_version)
