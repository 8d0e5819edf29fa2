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
    from temporalio.testing import WorkflowEnvironment

    from cli.temporal_dev import temporal_binary
    from core.temporal.search_attributes import SEARCH_ATTRIBUTE_KEYS
    from db.embedded import resolve_database
    from db.migrate import apply_migrations
    from db.pool import create_pool
    from workers.base import WorkerDeps, build_worker
    from workers.registry import REGISTRATIONS

    database = await asyncio.to_thread(resolve_database, settings)
    try:
        await apply_migrations(database.dsn)
        pool = await create_pool(database.dsn, settings.database)
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=temporal_binary(),
            search_attributes=SEARCH_ATTRIBUTE_KEYS,
            dev_server_extra_args=["--ui-disable-news-fetch"],
        )
        try:
            deps = WorkerDeps(settings, pool)
            async with build_worker(env.client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
                return await work(env.client)
        finally:
            await env.shutdown()
            await pool.close()
    finally:
        database.close()
