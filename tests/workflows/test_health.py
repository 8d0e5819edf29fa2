from __future__ import annotations

import uuid

import asyncpg
from temporalio.client import Client

from contracts.common import HEALTH_CHECK, QUEUE_KINDS, HealthCheckInput, HealthCheckResult
from core.settings import Settings
from core.temporal.client import task_queue
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS


async def test_health_workflow_reaches_the_database_on_every_queue(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings
) -> None:
    deps = WorkerDeps(settings, pool)
    for kind in QUEUE_KINDS:
        worker = build_worker(temporal_client, deps, kind, REGISTRATIONS[kind](deps))
        async with worker:
            result = await temporal_client.execute_workflow(
                HEALTH_CHECK,
                HealthCheckInput(),
                id=f"health-{uuid.uuid4()}",
                task_queue=task_queue(settings.temporal, kind),
                result_type=HealthCheckResult,
            )
        assert result.database_ok
        assert result.database_version.startswith("18")
        assert result.migrations_applied >= 1
        assert result.worker_identity.endswith(task_queue(settings.temporal, kind))
