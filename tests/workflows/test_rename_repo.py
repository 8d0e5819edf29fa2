"""RenameRepo on the real Temporal, database and IndexRepo, driven by signed webhooks through the
real API: a repository renamed while it is being indexed keeps one row (its index, history and
reviews move to the new name), and the next push under the new name indexes that same row."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.worker import Replayer

from contracts.indexing import IndexProgress, IndexRepoResult, index_workflow_id
from contracts.lifecycle import RenameRepoResult, rename_workflow_id
from core.settings import Settings
from core.temporal.client import TemporalGateway
from db.repository_names import NAME_COLUMNS
from tests.support.api import app_client
from tests.support.fixtures import github_headers
from tests.support.lifecycle_payloads import push_event, renamed_changes, repository_event
from tests.support.repository_rows import rows_naming, seed_rows
from tests.workflows.index_support import LocalRepo, SlowEmbedder, seed_polyglot, settings_with_cache, unique_name
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS
from workflows.lifecycle import RenameRepoWorkflow

SECRET = "test-webhook-secret"
_Result = TypeVar("_Result")


@pytest.fixture
async def started(temporal_client: Client) -> AsyncIterator[list[str]]:
    """Workflow ids a test started (InvestigateRepo and SyncGithubActivity have no worker here):
    terminated afterwards."""
    ids: list[str] = []
    yield ids
    for workflow_id in ids:
        with contextlib.suppress(Exception):
            await temporal_client.get_workflow_handle(workflow_id).terminate("test finished")


async def deliver(http: httpx.AsyncClient, event: str, payload: dict[str, Any]) -> dict[str, Any]:
    body = json.dumps(payload).encode()
    response = await http.post(
        "/api/v1/github_webhooks", content=body, headers=github_headers(SECRET, body, event, str(uuid.uuid4()))
    )
    assert response.status_code == 202, response.text
    return dict(response.json())


async def result_of(client: Client, workflow_id: str, result_type: type[_Result]) -> _Result:
    handle = client.get_workflow_handle(workflow_id, result_type=result_type)
    return await asyncio.wait_for(handle.result(), timeout=60)


async def wait_until_indexing(client: Client, workflow_id: str) -> None:
    handle = client.get_workflow_handle(workflow_id)
    for _ in range(400):
        progress = await handle.query("progress", result_type=IndexProgress)
        if progress.step == "indexing" and progress.done < progress.total:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{workflow_id} never reached its batches")


async def test_a_repository_renamed_mid_index_keeps_one_row_and_a_push_under_the_new_name_indexes_it(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path, started: list[str]
) -> None:
    settings = settings_with_cache(settings, tmp_path / "cache")
    repo = LocalRepo(tmp_path / "repo")
    first = seed_polyglot(repo)
    old = unique_name("synthetic-org/billing")
    new = f"{old}-api"
    github_id = uuid.uuid4().int % 10**12 + 1
    deps = WorkerDeps(settings, pool, embedder=SlowEmbedder(0.2))
    gateway = TemporalGateway(settings, temporal_client)
    worker = build_worker(temporal_client, deps, "indexing", REGISTRATIONS["indexing"](deps))
    async with worker, app_client(settings, pool, gateway) as http:
        pushed = await deliver(http, "push", push_event(github_id, old, first, str(repo.path)))
        started.extend(pushed["workflow_ids"])
        old_index = index_workflow_id(old, "main")
        assert pushed["workflow_ids"][0] == old_index
        await wait_until_indexing(temporal_client, old_index)
        await seed_rows(pool, old)  # reviews, activity, checkpoints... recorded under the old name

        renamed = await deliver(
            http, "repository", repository_event("renamed", github_id, new, renamed_changes(old.split("/")[1]))
        )
        assert renamed["workflow_ids"] == [rename_workflow_id(github_id)]
        rename = await result_of(temporal_client, rename_workflow_id(github_id), RenameRepoResult)
        assert [(r.status, r.old_full_name, r.new_full_name) for r in rename.renames] == [("renamed", old, new)]
        assert rename.renames[0].moved == {column.table: 1 for column in NAME_COLUMNS}
        running = await temporal_client.get_workflow_handle(old_index).describe()
        assert running.status == WorkflowExecutionStatus.RUNNING  # the rename landed mid-index

        finished = await result_of(temporal_client, old_index, IndexRepoResult)  # the run under the old name
        assert (finished.commit_sha, finished.full_passes) == (first, 1)
        rows = await pool.fetch("SELECT id, full_name, github_id, last_commit_sha FROM repositories")
        assert [tuple(r)[1:] for r in rows] == [(new, github_id, first)]
        repository_id = rows[0]["id"]
        assert set((await rows_naming(pool, old)).values()) == {0}
        assert set((await rows_naming(pool, new)).values()) == {1}

        repo.write("app/refunds.py", "def refund(payment):\n    return payment.amount\n")
        second = repo.commit("refunds")
        pushed = await deliver(http, "push", push_event(github_id, new, second, str(repo.path)))
        started.extend(pushed["workflow_ids"])
        assert pushed["workflow_ids"][0] == index_workflow_id(new, "main")
        index = await result_of(temporal_client, index_workflow_id(new, "main"), IndexRepoResult)
        assert (index.commit_sha, index.passes, index.full_passes) == (second, 1, 0)  # incremental: the same row
        rows = await pool.fetch("SELECT id, full_name, github_id, last_commit_sha FROM repositories")
        assert [tuple(r) for r in rows] == [(repository_id, new, github_id, second)]
        owners = await pool.fetch("SELECT DISTINCT repository_id FROM code_chunks")
        assert [r["repository_id"] for r in owners] == [repository_id]

        late = await deliver(http, "push", push_event(github_id, old, second, str(repo.path)))  # sent before
        started.extend(late["workflow_ids"])
        stale = await result_of(temporal_client, index_workflow_id(old, "main"), IndexRepoResult)
        assert stale.skipped_reason == "up to date" and stale.passes == 0
        assert await pool.fetchval("SELECT count(*) FROM repositories") == 1

    history = await temporal_client.get_workflow_handle(rename_workflow_id(github_id)).fetch_history()
    await Replayer(workflows=[RenameRepoWorkflow]).replay_workflow(history)
