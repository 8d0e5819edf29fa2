"""What every worker is built from: its dependencies and its queue's registrations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any

import asyncpg
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.health import HealthActivities
from clients.embeddings import configured_embedder
from contracts.common import QueueKind
from core.settings import Settings
from core.temporal.client import task_queue
from workflows.health import HealthCheckWorkflow

if TYPE_CHECKING:  # the activity modules themselves are imported by the queue that serves them
    from activities.investigation import InvestigationOptions
    from activities.review_github import ProviderFactory
    from domain.embeddings import Embedder

# The project's own pure modules (payload types, domain logic) are deterministic: share them with the
# sandbox instead of re-importing them per workflow run (faster, and type hints resolve reliably).
SANDBOX = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("contracts", "core", "domain", "activities")
)


@dataclass
class WorkerDeps:
    """Long-lived collaborators a worker process shares between its activities.

    The optional ones stand in for outside services or shorten timings (tests, benchmarks); when
    absent, the activities build the configured ones from `settings`."""

    settings: Settings
    pool: asyncpg.Pool
    _: KW_ONLY
    embedder: Embedder | None = None
    review_providers: ProviderFactory | None = None
    investigation_options: InvestigationOptions | None = None


def embedder_for(deps: WorkerDeps) -> Embedder:
    """The worker's embedder: the stand-in when one was given, else the configured model."""
    return deps.embedder or configured_embedder(deps.settings.llm)


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
    max_concurrent_activities: int = 20,
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
        max_concurrent_activities=max_concurrent_activities,
    )
