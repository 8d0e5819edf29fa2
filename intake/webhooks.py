"""Webhook intake: route, record in the inbox, start; and replay of what could not be started.

Order matters for "nothing lost, nothing twice": the delivery is recorded (unique id) before any
workflow is started, and marked `started` only after Temporal accepted every start. A crash or a
Temporal outage in between leaves the row `received`/`pending`, and `replay_open_deliveries`
starts it later. Starts are idempotent (workflow ids, signal-with-start), so a replay of a row
whose starts half happened does no double work.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

import asyncpg
from temporalio.service import RPCError

from contracts.lifecycle import RepoStatus
from contracts.webhooks import Routed, RoutingConfig, repository_identity, route_github, route_jira
from core.metrics import record_delivery
from core.settings import Settings
from core.temporal.client import TemporalGateway, TemporalUnavailable, start_workflow
from db.deliveries import Delivery, DeliveryRepository
from db.repositories import RepositoryStore

log = logging.getLogger(__name__)

Source = Literal["github", "jira"]
# Errors that mean "Temporal did not take it now": keep the delivery for replay.
TEMPORAL_UNAVAILABLE_ERRORS = (TemporalUnavailable, RPCError, asyncio.TimeoutError, ConnectionError)


@dataclass
class IntakeOutcome:
    status_code: int
    body: dict[str, Any] = field(default_factory=dict)


def route(
    source: Source, event: str, payload: Any, settings: Settings, delivery_id: str, stored: RepoStatus | None = None
) -> Routed:
    """Raises InvalidPayload for a body that is not the event's shape. `stored`: what is stored about
    the event's repository (an archived one, or one the App no longer works on, is not reviewed)."""
    if source == "jira":
        return route_jira(payload)
    return route_github(event, payload, RoutingConfig(settings.github.main_branches), delivery_id, stored)


async def stored_status(repositories: RepositoryStore, source: Source, payload: Any) -> RepoStatus | None:
    """The stored state of a GitHub event's repository, found by GitHub id, name or former name."""
    github_id, full_name = repository_identity(payload) if source == "github" else (None, None)
    if github_id is None and full_name is None:
        return None
    return await repositories.status(github_id, full_name)


class WebhookIntake:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, temporal: TemporalGateway) -> None:
        self._settings = settings
        self._deliveries = DeliveryRepository(pool)
        self._repositories = RepositoryStore(pool)
        self._temporal = temporal

    async def accept(self, source: Source, delivery_id: str, event: str, payload: Any) -> IntakeOutcome:
        outcome = await self._accept(source, delivery_id, event, payload)
        record_delivery(source, str(outcome.body.get("status", "unknown")))
        return outcome

    async def _accept(self, source: Source, delivery_id: str, event: str, payload: Any) -> IntakeOutcome:
        stored = await stored_status(self._repositories, source, payload)
        routed = route(source, event, payload, self._settings, delivery_id, stored)
        delivery, is_new = await self._deliveries.record(
            delivery_id, source, event, routed.action, routed.repository, payload
        )
        if not is_new:
            return _duplicate(delivery)
        if routed.ignored:
            await self._deliveries.mark(delivery_id, "ignored", reason=routed.ignored_reason)
            log.info("webhook ignored: %s", routed.ignored_reason, extra={"delivery_id": delivery_id, "event": event})
            return IntakeOutcome(
                202, {"status": "ignored", "reason": routed.ignored_reason, "delivery_id": delivery_id}
            )
        return await self._start(delivery_id, routed)

    async def _start(self, delivery_id: str, routed: Routed) -> IntakeOutcome:
        try:
            workflow_ids = await start_routed(self._temporal, self._settings, routed)
        except TEMPORAL_UNAVAILABLE_ERRORS as error:
            await self._deliveries.mark(delivery_id, "pending", error=_short(error))
            log.warning("Temporal unavailable; delivery kept for replay", extra={"delivery_id": delivery_id})
            return IntakeOutcome(503, {"status": "pending", "delivery_id": delivery_id, "detail": "kept for replay"})
        await self._deliveries.mark(delivery_id, "started", workflow_ids=workflow_ids)
        log.info("webhook started workflows", extra={"delivery_id": delivery_id, "workflow_ids": workflow_ids})
        return IntakeOutcome(202, {"status": "started", "workflow_ids": workflow_ids, "delivery_id": delivery_id})


async def start_routed(temporal: TemporalGateway, settings: Settings, routed: Routed) -> list[str]:
    client = await temporal.get()
    ids = []
    for plan in routed.starts:
        handle = await asyncio.wait_for(start_workflow(client, settings.temporal, plan), timeout=10)
        ids.append(handle.id)
    return ids


def _duplicate(delivery: Delivery) -> IntakeOutcome:
    return IntakeOutcome(
        200,
        {
            "status": "duplicate",
            "delivery_id": delivery.delivery_id,
            "original_status": delivery.status,
            "workflow_ids": delivery.workflow_ids,
        },
    )


def _short(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


@dataclass
class ReplayReport:
    started: list[str] = field(default_factory=list)
    still_pending: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


async def replay_open_deliveries(
    pool: asyncpg.Pool, temporal: TemporalGateway, settings: Settings, grace_seconds: float = 60.0, limit: int = 500
) -> ReplayReport:
    """Start every delivery that was accepted but never started. Row locks make concurrent replays safe."""
    report = ReplayReport()
    deliveries = DeliveryRepository(pool)
    repositories = RepositoryStore(pool)
    async with pool.acquire() as conn, conn.transaction():
        for delivery in await deliveries.claim_open(conn, grace_seconds, limit):
            await _replay_one(conn, delivery, temporal, settings, report, repositories)
    return report


async def replay_delivery(
    pool: asyncpg.Pool, temporal: TemporalGateway, settings: Settings, delivery_id: str
) -> ReplayReport:
    """Replay one delivery now (the dashboard's button), through the same path as the bulk replay."""
    report = ReplayReport()
    async with pool.acquire() as conn, conn.transaction():
        delivery = await DeliveryRepository(pool).claim_one(conn, delivery_id)
        if delivery is not None:
            await _replay_one(conn, delivery, temporal, settings, report, RepositoryStore(pool))
    return report


def _source(delivery: Delivery) -> Source:
    return "jira" if delivery.source == "jira" else "github"


async def _replay_one(
    conn: asyncpg.Connection,
    delivery: Delivery,
    temporal: TemporalGateway,
    settings: Settings,
    report: ReplayReport,
    repositories: RepositoryStore,
) -> None:
    source = _source(delivery)
    stored = await stored_status(repositories, source, delivery.payload)  # routing holds back stopped repos
    try:
        routed = route(source, delivery.event, delivery.payload, settings, delivery.delivery_id, stored)
        workflow_ids = await start_routed(temporal, settings, routed)
    except TEMPORAL_UNAVAILABLE_ERRORS as error:
        await _set(conn, delivery.delivery_id, "pending", None, _short(error))
        report.still_pending.append(delivery.delivery_id)
        return
    except Exception as error:  # a stored payload that no longer routes: park it, visibly
        await _set(conn, delivery.delivery_id, "failed", None, _short(error))
        report.failed.append(delivery.delivery_id)
        return
    status = "started" if workflow_ids else "ignored"
    await _set(conn, delivery.delivery_id, status, workflow_ids, None)
    record_delivery(source, f"replay_{status}")
    report.started.append(delivery.delivery_id)


async def _set(
    conn: asyncpg.Connection, delivery_id: str, status: str, ids: list[str] | None, error: str | None
) -> None:
    await conn.execute(
        """UPDATE webhook_deliveries SET status = $2, workflow_ids = coalesce($3, workflow_ids), error = $4,
               attempts = attempts + 1, updated_at = now() WHERE delivery_id = $1""",
        delivery_id,
        status,
        ids,
        error,
    )
