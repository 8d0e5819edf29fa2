"""The activity heartbeat: one helper for every activity that runs long.

A heartbeat tells Temporal the worker is alive (a killed worker is noticed after the heartbeat
timeout, not the whole start-to-close timeout), lets a cancel reach the activity, and carries
details a retried attempt reads back to resume where the last one stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from temporalio import activity

DEFAULT_EVERY_SECONDS = 1.0


class Heartbeat:
    """Heartbeats `details`: at once on every `update`, and every `every` seconds in between, also
    during long awaits (a clone, an LLM call). The SDK throttles what reaches the server."""

    def __init__(self, details: dict[str, Any]) -> None:
        self.details = details

    def update(self, **changes: Any) -> None:
        self.details.update(changes)
        activity.heartbeat(dict(self.details))

    async def beat_forever(self, every: float) -> None:
        while True:
            activity.heartbeat(dict(self.details))
            await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def heartbeating(
    details: dict[str, Any] | None = None, *, every: float = DEFAULT_EVERY_SECONDS
) -> AsyncIterator[Heartbeat]:
    """A `Heartbeat` beating for as long as the block runs."""
    beating = Heartbeat(details if details is not None else {})
    task = asyncio.create_task(beating.beat_forever(every))
    try:
        yield beating
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
