"""Where a workflow's wall time went, read from its event history (server timestamps)."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client


@dataclass(frozen=True)
class StepTime:
    """One activity: waiting in the task queue (scheduled → started) and running (started → closed)."""

    activity: str
    queued: float
    ran: float


@dataclass(frozen=True)
class Breakdown:
    total: float  # workflow started → closed
    steps: list[StepTime]
    workflow_tasks: int
    workflow_task_time: float  # scheduled → completed, summed: the workflow code's own turns
    first_task: float  # the first of them (creates the workflow's sandbox)
    timers: float  # time spent in timers (the settle debounce)

    def line(self) -> str:
        steps = ", ".join(f"{s.activity} {s.ran * 1000:.0f}ms" for s in self.steps)
        queued = sum(s.queued for s in self.steps)
        accounted = sum(s.ran for s in self.steps) + queued + self.timers + self.workflow_task_time
        return (
            f"total {self.total * 1000:.0f}ms = {steps}; queue waits {queued * 1000:.0f}ms;"
            f" timers {self.timers * 1000:.0f}ms;"
            f" {self.workflow_tasks} workflow tasks {self.workflow_task_time * 1000:.0f}ms"
            f" (first {self.first_task * 1000:.0f}ms);"
            f" rest {(self.total - accounted) * 1000:.0f}ms"
        )


async def breakdown(client: Client, workflow_id: str) -> Breakdown:
    """Activity, workflow-task and timer times of the latest run of `workflow_id`."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    events = list(history.events)
    at = {e.event_id: e.event_time.seconds + e.event_time.nanos / 1e9 for e in events}
    names: dict[int, str] = {}
    started: dict[int, float] = {}
    steps: list[StepTime] = []
    task_times: list[float] = []
    timer_time, timer_start = 0.0, {}
    for event in events:
        kind, when = event.event_type, at[event.event_id]
        if kind == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            names[event.event_id] = event.activity_task_scheduled_event_attributes.activity_type.name
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
            started[event.activity_task_started_event_attributes.scheduled_event_id] = when
        elif kind == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
            scheduled = event.activity_task_completed_event_attributes.scheduled_event_id
            begun = started.get(scheduled, at[scheduled])
            steps.append(StepTime(names[scheduled], begun - at[scheduled], when - begun))
        elif kind == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
            task_times.append(when - at[event.workflow_task_completed_event_attributes.scheduled_event_id])
        elif kind == EventType.EVENT_TYPE_TIMER_STARTED:
            timer_start[event.timer_started_event_attributes.timer_id] = when
        elif kind in (EventType.EVENT_TYPE_TIMER_FIRED, EventType.EVENT_TYPE_TIMER_CANCELED):
            attributes = (
                event.timer_fired_event_attributes
                if kind == EventType.EVENT_TYPE_TIMER_FIRED
                else event.timer_canceled_event_attributes
            )
            timer_time += when - timer_start.pop(attributes.timer_id, when)
    total = at[events[-1].event_id] - at[events[0].event_id] if events else 0.0
    first = task_times[0] if task_times else 0.0
    return Breakdown(total, steps, len(task_times), sum(task_times), first, timer_time)
