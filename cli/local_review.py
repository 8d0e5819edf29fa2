"""Reviewing a local branch through the real ReviewPR workflow (`pr-agent review`, the dev demo)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import asyncpg
from temporalio.client import Client

from contracts.common import REVIEW_PR
from contracts.review import PullRequestRef, ReviewPullRequestInput, ReviewResult, review_workflow_id
from core.settings import Settings
from core.temporal.client import task_queue


def local_ref(path: Path, base: str, head: str) -> PullRequestRef:
    """A stable pseudo pull request for a local branch: the same repo and refs map to the same id."""
    digest = int(hashlib.sha256(f"{path.resolve()}|{base}|{head}".encode()).hexdigest()[:6], 16)
    return PullRequestRef(
        repository=f"local/{path.resolve().name}",
        number=digest,
        provider="local",
        local_path=str(path.resolve()),
        base_ref=base,
        head_ref=head,
    )


async def review_local(client: Client, settings: Settings, path: Path, base: str, head: str) -> ReviewResult:
    """Run ReviewPR for `head` against `base` of the repository at `path`, forced, and wait for it."""
    ref = local_ref(path, base, head)
    return await client.execute_workflow(
        REVIEW_PR,
        ReviewPullRequestInput(pr=ref, head_sha=None, trigger="cli", force=True),
        id=review_workflow_id(ref.repository, ref.number),
        task_queue=task_queue(settings.temporal, "reviews"),
        result_type=ReviewResult,
        execution_timeout=timedelta(minutes=15),
    )


@asynccontextmanager
async def reviews_in_process(settings: Settings, dsn: str) -> AsyncIterator[tuple[Client, asyncpg.Pool]]:
    """A private Temporal dev server (in memory) with a reviews worker on the database at `dsn`
    (migrated here): what `pr-agent review`, the `--pr-url` commands and `pr-agent eval` run on."""
    from temporalio.testing import WorkflowEnvironment

    from cli.temporal_dev import temporal_binary
    from core.temporal.search_attributes import SEARCH_ATTRIBUTE_KEYS
    from db.migrate import apply_migrations
    from db.pool import create_pool
    from workers.base import WorkerDeps, build_worker
    from workers.registry import REGISTRATIONS

    await apply_migrations(dsn)
    pool = await create_pool(dsn, settings.database)
    try:
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=temporal_binary(),
            search_attributes=SEARCH_ATTRIBUTE_KEYS,  # the commands' starts carry them
            dev_server_extra_args=["--ui-disable-news-fetch"],
        )
        try:
            deps = WorkerDeps(settings, pool)
            async with build_worker(env.client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
                yield env.client, pool
        finally:
            await env.shutdown()
    finally:
        await pool.close()
