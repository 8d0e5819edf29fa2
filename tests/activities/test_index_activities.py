"""IndexRepo's activities and engine on real git and PostgreSQL, run in Temporal's ActivityEnvironment
(so heartbeats and heartbeat details behave as on a worker, without a server)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import asyncpg
import pytest
from temporalio.testing import ActivityEnvironment

from activities.indexer import FileTask, Finish, Indexer, file_tasks
from activities.indexing import IndexingActivities
from clients.git_batch import read_blobs, tree_entries
from contracts.indexing import IndexBatchInput, IndexPlan, PlanIndexInput
from core.settings import Settings
from db.chunks import stored_chunks
from db.repositories import RepositoryStore
from domain.embeddings import HashingEmbedder
from tests.workflows.index_support import (
    PYTHON_SERVICE,
    LocalRepo,
    SlowEmbedder,
    index_directly,
    seed_polyglot,
    settings_with_cache,
)


def test_file_tasks_turn_renames_and_deletions_into_writes_and_deletes(tmp_path: Path) -> None:
    repo = LocalRepo(tmp_path / "repo")
    first = seed_polyglot(repo)
    repo.rename("cmd/health.go", "cmd/server/health.go")
    repo.remove("README.md")
    repo.write("app/users.py", PYTHON_SERVICE + "\n# changed\n")
    second = repo.commit("rename, delete, modify")
    assert file_tasks(repo.path, first, second) == [
        FileTask("README.md", delete=True),
        FileTask("app/users.py"),
        FileTask("cmd/health.go", delete=True),
        FileTask("cmd/server/health.go"),
    ]
    assert [t.path for t in file_tasks(repo.path, None, second)][:3] == [
        "app/users.py",
        "application/model/song.php",
        "assets/logo.png",
    ]


def test_bulk_git_reads_handle_binary_content_and_odd_file_names(tmp_path: Path) -> None:
    repo = LocalRepo(tmp_path / "repo")
    odd: dict[str, str | bytes] = {"a*b?.py": "x = 1\n", "with space.txt": "line\n", "bin.dat": b"\x00\n\n\xff" * 3}
    for path, data in odd.items():
        repo.write(path, data)
    commit = repo.commit("odd")
    entries = tree_entries(repo.path, commit, ["a*b?.py", "with space.txt", "bin.dat", "absent.py"])
    assert set(entries) == set(odd)  # "a*b?.py" is a name, not a glob
    blobs = read_blobs(repo.path, [entries[p].oid for p in odd])
    expected = {p: d.encode() if isinstance(d, str) else d for p, d in odd.items()}
    assert {p: blobs[entries[p].oid] for p in odd} == expected


async def test_a_file_turned_into_a_symlink_loses_its_chunks_as_in_a_full_index(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    repo = LocalRepo(tmp_path / "repo")
    first = seed_polyglot(repo)
    await index_directly(pool, repo, "acme/links")
    (repo.path / "README.md").unlink()
    os.symlink("app/users.py", repo.path / "README.md")
    second = repo.commit("readme becomes a link")
    record = await RepositoryStore(pool).get("acme/links")
    assert record is not None and record.last_commit_sha == first
    indexer = Indexer(pool, HashingEmbedder(384))
    await indexer.run(repo.path, record.id, second, file_tasks(repo.path, first, second), finish=Finish(second))
    await index_directly(pool, repo, "acme/links-fresh")
    rows = await stored_chunks(pool, "acme/links")
    assert "README.md" not in {r.path for r in rows}
    assert rows == await stored_chunks(pool, "acme/links-fresh")


@pytest.fixture
def activities(pool: asyncpg.Pool, settings: Settings, tmp_path: Path) -> tuple[IndexingActivities, SlowEmbedder]:
    embedder = SlowEmbedder(0.0)
    return IndexingActivities(settings_with_cache(settings, tmp_path / "cache"), pool, embedder=embedder), embedder


async def test_a_retried_batch_resumes_from_its_heartbeat_and_re_embeds_nothing(
    activities: tuple[IndexingActivities, SlowEmbedder], pool: asyncpg.Pool, tmp_path: Path
) -> None:
    indexing, embedder = activities
    repo = LocalRepo(tmp_path / "repo")
    for i in range(70):
        repo.write(f"m/mod_{i:02d}.py", f"def handler_{i}(event):\n    return event['{i}']\n")
    commit = repo.commit("seventy modules")
    env = ActivityEnvironment()
    heartbeats: list[dict] = []
    env.on_heartbeat = lambda *details: heartbeats.append(details[0])
    plan = await env.run(
        indexing.plan_index, PlanIndexInput(repository="acme/resume", branch="main", clone_url=str(repo.path))
    )
    assert (plan.target_sha, plan.base_sha, plan.total_files) == (commit, None, 70)
    batch = IndexBatchInput(
        repository="acme/resume",
        repository_id=plan.repository_id,
        clone_url=plan.clone_url,
        target_sha=commit,
        base_sha=None,
        embedding_model=plan.embedding_model,
        offset=0,
        limit=70,
        finish=True,
    )

    first = await env.run(indexing.index_files, batch)
    assert (first.files, first.chunks_embedded, first.resumed_at) == (70, 70, 0)
    assert heartbeats[-1] == {"target": commit, "offset": 0, "done": 70}

    # The same batch again, as a retry whose last heartbeat said 32 tasks were committed.
    env.info = dataclasses.replace(env.info, attempt=2, heartbeat_details=[{"target": commit, "offset": 0, "done": 32}])
    before = embedder.embedded
    retried = await env.run(indexing.index_files, batch)
    assert (retried.resumed_at, retried.files, retried.attempt) == (32, 38, 2)
    assert embedder.embedded == before and retried.chunks_reused == 38  # committed work is never embedded again
    assert len(await stored_chunks(pool, "acme/resume")) == 70


async def test_a_pass_that_stopped_half_way_is_retraced_even_when_its_change_was_reverted(
    activities: tuple[IndexingActivities, SlowEmbedder], pool: asyncpg.Pool, tmp_path: Path
) -> None:
    indexing, _ = activities
    repo = LocalRepo(tmp_path / "repo")
    seed_polyglot(repo)
    env = ActivityEnvironment()
    name, url = "acme/halfway", str(repo.path)
    await _index_fully(env, indexing, name, url)
    repo.write("app/users.py", PYTHON_SERVICE.replace("hash_password", "digest_password"))
    repo.commit("rename a method")
    # A pass to that commit writes its files, then stops before its last batch (a terminated run).
    plan = await env.run(indexing.plan_index, PlanIndexInput(repository=name, branch="main", clone_url=url))
    partial = IndexBatchInput(
        repository=name,
        repository_id=plan.repository_id,
        clone_url=url,
        target_sha=plan.target_sha or "",
        base_sha=plan.base_sha,
        embedding_model=plan.embedding_model,
        offset=0,
        limit=100,
    )
    await env.run(indexing.index_files, partial)
    repo.write("app/users.py", PYTHON_SERVICE)
    reverted = repo.commit("revert")  # the branch is back where the last finished pass left it

    plan = await env.run(indexing.plan_index, PlanIndexInput(repository=name, branch="main", clone_url=url))
    assert plan.unfinished and plan.total_files == 1  # nothing changed since the base but the retraced file
    await _index_fully(env, indexing, name, url, plan)
    await index_directly(pool, repo, "acme/halfway-fresh")
    assert await stored_chunks(pool, name) == await stored_chunks(pool, "acme/halfway-fresh")
    record = await RepositoryStore(pool).get(name)
    assert record is not None and (record.last_commit_sha, record.unfinished_index_shas) == (reverted, [])


async def _index_fully(
    env: ActivityEnvironment, indexing: IndexingActivities, name: str, url: str, plan: IndexPlan | None = None
) -> None:
    chosen: IndexPlan = (
        plan
        if plan is not None
        else await env.run(indexing.plan_index, PlanIndexInput(repository=name, branch="main", clone_url=url))
    )
    assert chosen.target_sha is not None
    batch = IndexBatchInput(
        repository=name,
        repository_id=chosen.repository_id,
        clone_url=url,
        target_sha=chosen.target_sha,
        base_sha=chosen.base_sha,
        embedding_model=chosen.embedding_model,
        offset=0,
        limit=max(chosen.total_files, 1),
        finish=True,
        unfinished=chosen.unfinished,
    )
    await env.run(indexing.index_files, batch)


async def test_only_the_default_branch_is_indexed(
    activities: tuple[IndexingActivities, SlowEmbedder], pool: asyncpg.Pool, tmp_path: Path
) -> None:
    indexing, _ = activities
    repo = LocalRepo(tmp_path / "repo")
    seed_polyglot(repo)
    await RepositoryStore(pool).ensure("acme/branches", "master", str(repo.path))
    plan = await ActivityEnvironment().run(
        indexing.plan_index, PlanIndexInput(repository="acme/branches", branch="main", clone_url=str(repo.path))
    )
    assert (plan.skipped_reason, plan.total_files) == ("only the default branch (master) is indexed", 0)
