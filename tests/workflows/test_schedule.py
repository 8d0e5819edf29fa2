"""The reconcile schedule on the real Temporal dev server (the time-skipping test server has no schedules)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from temporalio.client import Client, ScheduleHandle, ScheduleOverlapPolicy
from temporalio.service import RPCError

from cli.schedules import apply_schedules
from contracts.common import RECONCILE
from contracts.reconcile import ReconcileReport
from tests.support.settings import make_settings
from tests.support.sync_stack import sync_stack


@pytest.fixture
async def schedule_id(temporal_client: Client) -> AsyncIterator[str]:
    name = f"reconcile-test-{uuid.uuid4().hex[:8]}"
    yield name
    with contextlib.suppress(RPCError):  # a test that failed before creating it
        await temporal_client.get_schedule_handle(name).delete()


async def _listed(client: Client, schedule_id: str) -> list[str]:
    """Schedule listing goes through visibility, which lags a little behind a create."""
    for _ in range(50):
        found = [s.id async for s in await client.list_schedules() if s.id == schedule_id]
        if found:
            return found
        await asyncio.sleep(0.1)
    return []


async def test_apply_twice_keeps_one_schedule_with_the_new_spec(
    temporal_client: Client, db_dsn: str, schedule_id: str
) -> None:
    weekly = make_settings(db_dsn, RECONCILE_TIMEZONE="Europe/Berlin")
    first = await apply_schedules(weekly, temporal_client, schedule_id)
    berlin = ZoneInfo("Europe/Berlin")
    assert first.created and not first.paused and len(first.next_runs) >= 2
    for moment in first.next_runs:
        local = moment.astimezone(berlin)
        assert (local.weekday(), local.hour, local.minute) == (6, 2, 0)  # Sunday 02:00 in Berlin
    daily = make_settings(db_dsn, RECONCILE_CRON="30 3 * * 1", RECONCILE_TIMEZONE="America/New_York")
    second = await apply_schedules(daily, temporal_client, schedule_id)
    assert not second.created and second.next_runs
    for moment in second.next_runs:
        local = moment.astimezone(ZoneInfo("America/New_York"))
        assert (local.weekday(), local.hour, local.minute) == (0, 3, 30)  # Monday 03:30 in New York
    assert await _listed(temporal_client, schedule_id) == [schedule_id]
    described = await temporal_client.get_schedule_handle(schedule_id).describe()
    assert described.schedule.spec.time_zone_name == "America/New_York"
    assert described.schedule.policy.overlap == ScheduleOverlapPolicy.SKIP
    assert described.schedule.policy.catchup_window == timedelta(minutes=60)


async def test_a_paused_schedule_stays_paused_after_apply(
    temporal_client: Client, db_dsn: str, schedule_id: str
) -> None:
    settings = make_settings(db_dsn)
    await apply_schedules(settings, temporal_client, schedule_id)
    await temporal_client.get_schedule_handle(schedule_id).pause(note="maintenance window")
    applied = await apply_schedules(make_settings(db_dsn, RECONCILE_CATCHUP_MINUTES="5"), temporal_client, schedule_id)
    described = await temporal_client.get_schedule_handle(schedule_id).describe()
    assert applied.paused and described.schedule.state.paused
    assert described.schedule.state.note == "maintenance window"
    assert described.schedule.policy.catchup_window == timedelta(minutes=5)


async def _first_run(handle: ScheduleHandle) -> str:
    for _ in range(100):
        recent = (await handle.describe()).info.recent_actions
        if recent:
            return recent[0].action.workflow_id  # type: ignore[attr-defined]
        await asyncio.sleep(0.1)
    raise AssertionError("the trigger started nothing")


async def test_trigger_starts_reconcile_now(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, schedule_id: str
) -> None:
    settings = make_settings(db_dsn)  # nothing configured: Reconcile checks the (empty) database and ends
    await apply_schedules(settings, temporal_client, schedule_id)
    handle = temporal_client.get_schedule_handle(schedule_id)
    async with sync_stack(temporal_client, settings, pool, stand_ins=False):
        await handle.trigger()
        workflow_id = await _first_run(handle)
        run = temporal_client.get_workflow_handle(workflow_id, result_type=ReconcileReport)
        report = await run.result()
    assert workflow_id.startswith(f"{schedule_id}-")
    assert (await run.describe()).workflow_type == RECONCILE
    assert report.failed == [] and report.checked == []
    assert any("GITHUB_ORG" in note for note in report.skipped)
