"""What every worker is built from: its dependencies and its queue's registrations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.health import HealthActivities
from contracts.common import QueueKind
from core.settings import Settings
from core.temporal.client import task_queue
from workflows.health import HealthCheckWorkflow

# The project's own pure modules (payload types, domain logic) are deterministic: share them with the
# sandbox instead of re-importing them per workflow run (faster, and type hints resolve reliably).
SANDBOX = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("contracts", "core", "domain", "activities")
)


@dataclass
class WorkerDeps:
    """Long-lived clients a worker process shares between its activities."""

    settings: Settings
    pool: asyncpg.Pool
    extras: dict[str, Any] = field(default_factory=dict)  # test stand-ins and optional clients


@dataclass
class QueueRegistration:
    workflows: list[type] = field(default_factory=list)
    activities: list[Callable[..., Any]] = field(default_factory=list)


def health_registration(deps: WorkerDeps) -> QueueRegistration:
    # Every queue serves HealthCheck, so `pr-agent health --queue X` proves X's workers work.
    return QueueRegistration([HealthCheckWorkflow], [HealthActivities(deps.pool).check_database])


def build_worker(
    client: Client,
    deps: WorkerDeps,
    kind: QueueKind,
    registration: QueueRegistration,
    interceptors: Sequence[Any] = (),
) -> Worker:
    base = health_registration(deps)
    return Worker(
        client,
        task_queue=task_queue(deps.settings.temporal, kind),
        workflows=[*base.workflows, *registration.workflows],
        activities=[*base.activities, *registration.activities],
        interceptors=interceptors,
        # A bug in workflow code fails the workflow (visible in the UI, alertable) instead of
        # retrying its task forever, which looks like a silent hang. See docs/operations.md.
        workflow_failure_exception_types=[Exception],
        workflow_runner=SANDBOX,
        max_concurrent_activities=20,
    )
