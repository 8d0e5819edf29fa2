"""Long-lived clients of the API process: the database pool and a lazily (re)connected Temporal client.

The API must keep accepting webhooks while Temporal is down (deliveries are recorded as pending
and replayed later), so the Temporal client is connected on first use and retried on the next
request after a failure, never required at start-up.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import asyncpg
from temporalio.client import Client

from core.settings import Settings
from core.telemetry import tracing_interceptors
from core.temporal.client import connect

log = logging.getLogger(__name__)


class TemporalUnavailable(RuntimeError):
    """Temporal could not be reached; the caller keeps the work for replay."""


@dataclass
class TemporalGateway:
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


@dataclass
class AppResources:
    settings: Settings
    pool: asyncpg.Pool
    temporal: TemporalGateway
