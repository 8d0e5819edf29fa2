"""Running ReviewPR and the pull-request commands for one CLI call: on a private, in-process Temporal
with a reviews worker of this process (the default: it needs no running stack, and uses this
process's GitHub settings), or on the running stack (`--use-running-stack`), whose workers serve
the reviews queue."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from cli.common import temporal_client
from core.settings import Settings

if TYPE_CHECKING:
    from temporalio.client import Client

T = TypeVar("T")


async def on_reviews_worker(settings: Settings, use_running_stack: bool, work: Callable[[Client], Awaitable[T]]) -> T:
    if use_running_stack:
        return await work(await temporal_client(settings))
    return await _in_process(settings, work)


async def _in_process(settings: Settings, work: Callable[[Client], Awaitable[T]]) -> T:
    """A private Temporal dev server (in memory), the database, and a reviews worker, for one call."""
    from cli.local_review import reviews_in_process
    from db.embedded import resolve_database

    database = await asyncio.to_thread(resolve_database, settings)
    try:
        async with reviews_in_process(settings, database.dsn) as (client, _pool):
            return await work(client)
    finally:
        database.close()
