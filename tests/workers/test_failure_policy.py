"""A bug in workflow code fails the workflow visibly instead of retrying its task forever."""

from __future__ import annotations

import uuid
from datetime import timedelta

import asyncpg
import pytest
from temporalio.client import Client, WorkflowFailureError

from core.settings import Settings
from core.temporal.client import task_queue
from tests.workers.buggy_workflow import BuggyWorkflow
from workers.base import QueueRegistration, WorkerDeps, build_worker


async def test_bug_in_workflow_code_fails_the_workflow(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings
) -> None:
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "sync", QueueRegistration([BuggyWorkflow], [])):
        with pytest.raises(WorkflowFailureError) as failure:
            await temporal_client.execute_workflow(
                "BuggyForTest",
                id=f"buggy-{uuid.uuid4()}",
                task_queue=task_queue(settings.temporal, "sync"),
                execution_timeout=timedelta(seconds=30),
            )
    assert "KeyError" in str(failure.value.cause)
