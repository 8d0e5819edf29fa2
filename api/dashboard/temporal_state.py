"""What Temporal says about the workers and workflows the dashboard shows: pollers per task queue
(DescribeTaskQueue) and a workflow's status. Every call is bounded; an unreachable Temporal is
shown as such, never turned into an error page."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from temporalio.api.enums.v1 import TaskQueueKind, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from contracts.common import QUEUE_KINDS, QueueKind
from core.settings import Settings
from core.temporal.client import task_queue

CALL_TIMEOUT = timedelta(seconds=2)
# A worker polls continuously; one unseen for longer than this is gone.
POLLER_FRESH = timedelta(minutes=2)


@dataclass
class QueueHealth:
    kind: str
    name: str
    workflow_pollers: int = 0
    activity_pollers: int = 0
    backlog: int = 0
    identities: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def healthy(self) -> bool:
        return self.error is None and self.workflow_pollers > 0 and self.activity_pollers > 0


async def queue_health(client: Client, settings: Settings) -> list[QueueHealth]:
    """Each task queue's live pollers and approximate backlog, all queues asked at once."""
    return list(await asyncio.gather(*(_one_queue(client, settings, kind) for kind in QUEUE_KINDS)))


async def _one_queue(client: Client, settings: Settings, kind: QueueKind) -> QueueHealth:
    health = QueueHealth(kind, task_queue(settings.temporal, kind))
    try:
        for queue_type in (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY):
            response = await client.workflow_service.describe_task_queue(
                DescribeTaskQueueRequest(
                    namespace=settings.temporal.namespace,
                    task_queue=TaskQueue(name=health.name, kind=TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
                    task_queue_type=queue_type,
                    report_stats=True,
                ),
                timeout=CALL_TIMEOUT,
            )
            fresh = [p for p in response.pollers if _recent(p.last_access_time.ToDatetime(tzinfo=UTC))]
            if queue_type == TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW:
                health.workflow_pollers = len(fresh)
            else:
                health.activity_pollers = len(fresh)
            health.backlog += int(response.stats.approximate_backlog_count)
            health.identities = sorted({*health.identities, *(p.identity for p in fresh)})
    except (TimeoutError, RPCError) as error:
        health.error = f"Temporal did not answer ({type(error).__name__})"
    return health


def _recent(last_access: datetime) -> bool:
    return datetime.now(UTC) - last_access < POLLER_FRESH


@dataclass(frozen=True)
class WorkflowState:
    workflow_id: str
    status: str  # RUNNING, COMPLETED, ..., or "not started" / "unknown"
    run_id: str | None = None
    started: datetime | None = None


async def workflow_state(client: Client, workflow_id: str) -> WorkflowState:
    try:
        description = await client.get_workflow_handle(workflow_id).describe(rpc_timeout=CALL_TIMEOUT)
    except RPCError as error:
        status = "not started" if error.status == RPCStatusCode.NOT_FOUND else "unknown"
        return WorkflowState(workflow_id, status)
    status = description.status.name if description.status else "unknown"
    return WorkflowState(workflow_id, status, description.run_id, description.start_time)
