"""Ten pushes in a burst, delivered as the webhook route delivers them (signal-with-start of
`new_commit`): the index ends at the final commit after a few incremental passes, each file once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import asyncpg
from temporalio.client import Client
from temporalio.worker import Replayer

from contracts.indexing import IndexRepoResult, index_workflow_id
from contracts.starts import main_branch_starts
from core.settings import Settings
from core.temporal.client import start_workflow
from db.chunks import stored_chunks
from db.repositories import RepositoryStore
from tests.workflows.index_support import (
    LocalRepo,
    SlowEmbedder,
    run_index,
    seed_polyglot,
    settings_with_cache,
    unique_name,
)
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS
from workflows.indexing import IndexRepoWorkflow

PUSHES = 10


async def _closed_runs(client: Client, workflow_id: str) -> dict[str, IndexRepoResult]:
    """Results of every run of the workflow id, once the visibility store lists them all closed."""
    previous: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        runs = [w async for w in client.list_workflows(f'WorkflowId = "{workflow_id}"')]
        ids = sorted(w.run_id for w in runs)
        if ids == previous and all(w.close_time is not None for w in runs):
            handles = {r: client.get_workflow_handle(workflow_id, run_id=r, result_type=IndexRepoResult) for r in ids}
            return {r: await h.result() for r, h in handles.items()}
        previous = ids
        await asyncio.sleep(0.3)
    raise AssertionError("runs never settled")


async def test_a_burst_of_pushes_is_coalesced_into_a_few_incremental_passes(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    settings = settings_with_cache(settings, tmp_path / "cache")
    repo = LocalRepo(tmp_path / "repo")
    seed_polyglot(repo)
    name = unique_name("acme/busy")
    workflow_id = index_workflow_id(name, "main")
    deps = WorkerDeps(settings, pool, embedder=SlowEmbedder(0.05))
    async with build_worker(temporal_client, deps, "indexing", REGISTRATIONS["indexing"](deps)):
        initial = await run_index(temporal_client, settings, name, repo.path)
        first_run = (await temporal_client.get_workflow_handle(workflow_id).describe()).run_id
        for push in range(PUSHES):
            repo.write(f"app/feature_{push}.py", f"def feature_{push}(request):\n    return {push}\n")
            commit = repo.commit(f"push {push}")
            [index, _investigate] = main_branch_starts(
                repository=name, branch="main", commit_sha=commit, clone_url=str(repo.path), trigger="webhook"
            )
            await start_workflow(temporal_client, settings.temporal, index)
        runs = await _closed_runs(temporal_client, workflow_id)

        burst = [result for run_id, result in runs.items() if run_id != first_run]
        passes = sum(r.passes for r in burst)
        assert initial.full_passes == 1
        assert 1 <= passes <= 4, f"{passes} passes for {PUSHES} pushes"
        assert sum(r.full_passes for r in burst) == 0
        assert sum(r.files_changed for r in burst) == PUSHES, "every pushed file is indexed exactly once"
        record = await RepositoryStore(pool).get(name)
        assert record is not None and record.last_commit_sha == commit

        # The recorded histories (signals arriving mid-pass included) replay on today's workflow code.
        replayer = Replayer(workflows=[IndexRepoWorkflow])
        for run_id in runs:
            history = await temporal_client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
            await replayer.replay_workflow(history)

        fresh = unique_name("acme/busy-fresh")
        await run_index(temporal_client, settings, fresh, repo.path, full=True)
        assert await stored_chunks(pool, name) == await stored_chunks(pool, fresh)
