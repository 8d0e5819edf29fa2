"""The Temporal client side: connecting (a local dev server, a self-hosted cluster with mTLS, or
Temporal Cloud with an API key), a lazily connected client for processes that must outlive a
Temporal outage, and carrying out a planned `WorkflowStart`."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from temporalio.client import Client, Interceptor, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import TLSConfig

from contracts.common import WORKFLOW_QUEUES, QueueKind
from contracts.starts import WorkflowStart
from core.settings import Settings, TemporalSettings
from core.telemetry import tracing_interceptors
from core.temporal.search_attributes import search_attributes

_CONFLICT_POLICIES = {
    "use_existing": WorkflowIDConflictPolicy.USE_EXISTING,
    "terminate_existing": WorkflowIDConflictPolicy.TERMINATE_EXISTING,
    "fail": WorkflowIDConflictPolicy.FAIL,
}


def tls_config(settings: TemporalSettings) -> TLSConfig | bool:
    """mTLS from files when configured; plain TLS for an API key (Temporal Cloud); else none."""
    if settings.tls_cert_path and settings.tls_key_path:
        return TLSConfig(
            client_cert=Path(settings.tls_cert_path).read_bytes(),
            client_private_key=Path(settings.tls_key_path).read_bytes(),
            server_root_ca_cert=Path(settings.tls_ca_path).read_bytes() if settings.tls_ca_path else None,
        )
    return settings.api_key is not None


async def connect(settings: TemporalSettings, interceptors: Sequence[Interceptor] = ()) -> Client:
    return await Client.connect(
        settings.address,
        namespace=settings.namespace,
        api_key=settings.api_key.get_secret_value() if settings.api_key else None,
        tls=tls_config(settings),
        interceptors=interceptors,
    )


def task_queue(settings: TemporalSettings, kind: QueueKind) -> str:
    """The configured task-queue name for a kind of work."""
    names: dict[QueueKind, str] = {
        "reviews": settings.queue_reviews,
        "indexing": settings.queue_indexing,
        "investigations": settings.queue_investigations,
        "sync": settings.queue_sync,
    }
    return names[kind]


async def start_workflow(client: Client, settings: TemporalSettings, plan: WorkflowStart) -> WorkflowHandle[Any, Any]:
    """Carry out one plan. Safe to repeat: ids and conflict policies make a second call find the first."""
    options: dict[str, Any] = {
        "id": plan.workflow_id,
        "task_queue": task_queue(settings, WORKFLOW_QUEUES[plan.workflow]),
        "search_attributes": search_attributes(plan),
        "execution_timeout": plan.execution_timeout,
        "memo": plan.memo or None,
    }
    if plan.signal is not None:
        # Signal-with-start always signals; it starts only when no run is open.
        options["start_signal"] = plan.signal
        options["start_signal_args"] = [plan.signal_arg]
    else:
        options["id_conflict_policy"] = _CONFLICT_POLICIES[plan.on_conflict]
    return await client.start_workflow(plan.workflow, plan.input, **options)


class TemporalUnavailable(RuntimeError):
    """Temporal could not be reached; the caller keeps the work for replay."""


@dataclass
class TemporalGateway:
    """A Temporal client connected on first use and retried on the next use after a failure, never
    required at start-up: the API keeps accepting webhooks while Temporal is down (deliveries are
    recorded as pending and replayed later)."""

    settings: Settings
    client: Client | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def get(self) -> Client:
        if self.client is not None:
            return self.client
        async with self._lock:
            if self.client is None:
                try:
                    connecting = connect(self.settings.temporal, tracing_interceptors())
                    self.client = await asyncio.wait_for(connecting, timeout=5)
                except Exception as error:
                    address = self.settings.temporal.address
                    raise TemporalUnavailable(f"cannot reach Temporal at {address}: {error}") from error
        return self.client
