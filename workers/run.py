"""Running workers: one queue per process in production, every queue in one process for dev."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from temporalio.client import Client

from contracts.common import QUEUE_KINDS, QueueKind
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

log = logging.getLogger(__name__)
_LLM_QUEUES = {"reviews", "investigations"}


def parse_queues(value: str) -> list[QueueKind]:
    """`all` or a comma list of queue kinds; anything else is a clear error."""
    if value == "all":
        return list(QUEUE_KINDS)
    kinds = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [k for k in kinds if k not in QUEUE_KINDS]
    if unknown or not kinds:
        raise ValueError(f"unknown queue {', '.join(unknown) or value!r}: use {', '.join(QUEUE_KINDS)} or all")
    return [k for k in QUEUE_KINDS if k in kinds]


async def run_workers(client: Client, deps: WorkerDeps, kinds: Sequence[QueueKind], stop: asyncio.Event) -> None:
    """Serve the given queues until `stop` is set, then shut down gracefully."""
    if deps.settings.llm.configured and _LLM_QUEUES & set(kinds):
        # litellm's import takes seconds of CPU while holding the GIL. Done inside a first activity
        # it starves that activity's heartbeats on a busy machine: the activity times out and the
        # same LLM question is asked twice (the soak showed it). So: once, before polling.
        from clients.llm import import_litellm

        await asyncio.to_thread(import_litellm)
    workers = [build_worker(client, deps, kind, REGISTRATIONS[kind](deps)) for kind in kinds]
    tasks = [asyncio.create_task(worker.run()) for worker in workers]
    log.info("workers running", extra={"queues": ",".join(kinds)})
    waiter = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
    await asyncio.gather(*(worker.shutdown() for worker in workers), return_exceptions=True)
    waiter.cancel()
    for task in done:
        if task is not waiter and task.exception():
            raise task.exception()  # type: ignore[misc]
