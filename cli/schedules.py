"""The `reconcile-weekly` Temporal Schedule, created or updated idempotently (`pr-agent schedules apply`).

Operators steer the schedule with the `temporal schedule` CLI; an apply must not undo that, so an
update keeps the schedule's state (paused or not, its note, remaining actions) and replaces only
the spec, the action and the policies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from contracts.common import RECONCILE
from contracts.reconcile import ReconcileInput
from contracts.starts import reconcile_start
from core.settings import Settings
from core.temporal.client import task_queue
from core.temporal.search_attributes import search_attributes

RECONCILE_SCHEDULE_ID = "reconcile-weekly"
# Temporal's smallest catch-up window; a zero would mean the server's default of a year.
_MIN_CATCHUP = timedelta(seconds=10)


@dataclass
class AppliedSchedule:
    schedule_id: str
    created: bool
    paused: bool
    cron: str
    time_zone: str
    next_runs: list[datetime] = field(default_factory=list)


def reconcile_schedule(settings: Settings, schedule_id: str = RECONCILE_SCHEDULE_ID) -> Schedule:
    """The schedule as configured: cron in the configured zone, overlapping runs skipped, a catch-up window."""
    config = settings.schedule
    try:
        ZoneInfo(config.reconcile_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"RECONCILE_TIMEZONE: unknown time zone {config.reconcile_timezone!r}") from None
    plan = reconcile_start(schedule_id, ReconcileInput(trigger="schedule"))
    action = ScheduleActionStartWorkflow(
        RECONCILE,
        plan.input,
        id=schedule_id,  # each run is "<id>-<scheduled time>"
        task_queue=task_queue(settings.temporal, "sync"),
        typed_search_attributes=search_attributes(plan),
    )
    return Schedule(
        action=action,
        spec=ScheduleSpec(cron_expressions=[config.reconcile_cron], time_zone_name=config.reconcile_timezone),
        policy=SchedulePolicy(
            overlap=ScheduleOverlapPolicy.SKIP,
            catchup_window=max(timedelta(minutes=config.reconcile_catchup_minutes), _MIN_CATCHUP),
        ),
        state=ScheduleState(note="managed by `pr-agent schedules apply`"),
    )


async def apply_schedules(
    settings: Settings, client: Client, schedule_id: str = RECONCILE_SCHEDULE_ID
) -> AppliedSchedule:
    """Create the schedule, or update it in place (its paused state and note are kept). Safe to repeat."""
    wanted = reconcile_schedule(settings, schedule_id)
    created = True
    try:
        handle = await client.create_schedule(schedule_id, wanted)
    except ScheduleAlreadyRunningError:
        created = False
        handle = client.get_schedule_handle(schedule_id)

        def keep_state(current: ScheduleUpdateInput) -> ScheduleUpdate:
            state = current.description.schedule.state
            return ScheduleUpdate(Schedule(action=wanted.action, spec=wanted.spec, policy=wanted.policy, state=state))

        await handle.update(keep_state)
    described = await handle.describe()
    return AppliedSchedule(
        schedule_id=schedule_id,
        created=created,
        paused=described.schedule.state.paused,
        cron=settings.schedule.reconcile_cron,
        time_zone=settings.schedule.reconcile_timezone,
        next_runs=list(described.info.next_action_times),
    )
