"""A worker SIGKILLed in the middle of an index: after a restart the workflow completes from the
batch's last heartbeat, nothing committed is embedded again, and the index equals a clean run."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import asyncpg
from temporalio.client import Client, WorkflowHandle
from temporalio.converter import DataConverter
from temporalio.testing import WorkflowEnvironment

from contracts.common import INDEX_REPO
from contracts.indexing import IndexProgress, IndexRepoInput, IndexRepoResult, index_workflow_id
from core.settings import Settings
from core.temporal.client import task_queue
from db.chunks import stored_chunks
from tests.workflows.index_support import LocalRepo, run_index, settings_with_cache, unique_name
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

FILES = 300
ROOT = Path(__file__).resolve().parents[2]


def _seed(repo: LocalRepo) -> str:
    for i in range(FILES):
        repo.write(
            f"pkg/module_{i:03d}.py",
            f"def load_record_{i}(store, key):\n    return store.get('{i}-' + key)\n\n\n"
            f"def save_record_{i}(store, key, value):\n    store.put('{i}-' + key, value)\n",
        )
    return repo.commit("three hundred modules")


def _start_worker(env: dict[str, str], cache: Path, seconds_per_text: float) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.workflows.index_worker_main"],
        cwd=ROOT,
        env={**env, "REPO_CACHE_DIR": str(cache), "SECONDS_PER_TEXT": str(seconds_per_text)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


async def _wait_for_progress(handle: WorkflowHandle, deadline: float) -> tuple[int, IndexProgress]:
    """Wait until a batch after the first has committed a group (its heartbeat says so)."""
    while time.monotonic() < deadline:
        description = await handle.describe()
        for pending in description.raw_description.pending_activities:
            if pending.activity_type.name == "index_files" and pending.heartbeat_details.payloads:
                details = await DataConverter.default.decode(pending.heartbeat_details.payloads)
                if details[-1]["offset"] > 0 and details[-1]["done"] > 0:
                    return details[-1]["offset"], await handle.query("progress", result_type=IndexProgress)
        await asyncio.sleep(0.1)
    raise AssertionError("the index never got into its second batch")


async def test_sigkilled_worker_resumes_from_its_heartbeat(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, settings: Settings, db_dsn: str, tmp_path: Path
) -> None:
    client: Client = temporal_env.client
    repo = LocalRepo(tmp_path / "repo")
    commit = _seed(repo)
    name = unique_name("acme/killed")
    log = tmp_path / "embedded.log"
    env = {
        **os.environ,
        "DATABASE_URL": db_dsn,
        "TASK_QUEUE_INDEXING": task_queue(settings.temporal, "indexing"),
        "NODE_ENV": "test",
        "TEMPORAL_ADDRESS": client.service_client.config.target_host,
        "EMBED_LOG": str(log),
    }
    first = _start_worker(env, tmp_path / "cache-a", seconds_per_text=0.01)
    try:
        handle = await client.start_workflow(
            INDEX_REPO,
            IndexRepoInput(
                repository=name, branch="main", commit_sha=None, full=False, trigger="admin", clone_url=str(repo.path)
            ),
            id=index_workflow_id(name, "main"),
            task_queue=task_queue(settings.temporal, "indexing"),
            result_type=IndexRepoResult,
        )
        offset, progress = await _wait_for_progress(handle, time.monotonic() + 60)
        assert (progress.step, progress.total, progress.done) == ("indexing", FILES, offset)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    embedded_before_kill = len(log.read_text().splitlines())

    second = _start_worker(env, tmp_path / "cache-b", seconds_per_text=0.0)  # a fresh cache: it clones itself
    try:
        result = await asyncio.wait_for(handle.result(), timeout=60)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    assert (result.commit_sha, result.passes, result.files_changed) == (commit, 1, FILES)
    assert result.resumed_batches == 1, "the retried batch must start from its heartbeat"
    embedded = Counter(log.read_text().splitlines())
    redone = sum(count - 1 for count in embedded.values())
    assert embedded_before_kill > 0 and len(embedded) == len(await stored_chunks(pool, name)) == 2 * FILES
    # At most the group in flight at the kill (32 files, 2 chunks each) is embedded twice.
    assert redone <= 64, redone

    clean = settings_with_cache(settings, tmp_path / "cache-c")
    deps = WorkerDeps(clean, pool)
    async with build_worker(client, deps, "indexing", REGISTRATIONS["indexing"](deps)):
        fresh = unique_name("acme/clean")
        await run_index(client, clean, fresh, repo.path, full=True)
    assert await stored_chunks(pool, name) == await stored_chunks(pool, fresh)
