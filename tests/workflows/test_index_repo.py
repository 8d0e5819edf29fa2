"""IndexRepo on a real git repository, PostgreSQL and Temporal: every incremental pass leaves the
chunk table exactly as a fresh full index of the same commit would."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from temporalio.client import Client

from core.metrics import INDEX_LAG
from core.settings import Settings
from db.chunks import stored_chunks
from db.repositories import RepositoryStore
from tests.workflows.index_support import (
    PYTHON_SERVICE,
    LocalRepo,
    SlowEmbedder,
    paths_of,
    run_index,
    seed_polyglot,
    settings_with_cache,
    unique_name,
)
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS


async def _assert_same_as_fresh_index(
    client: Client, settings: Settings, pool: asyncpg.Pool, repo: LocalRepo, name: str
) -> None:
    fresh = unique_name("acme/fresh")
    result = await run_index(client, settings, fresh, repo.path, full=True)
    assert result.full_passes == 1
    incremental_rows = await stored_chunks(pool, name)
    assert incremental_rows == await stored_chunks(pool, fresh)
    assert incremental_rows, "the index must not be empty"


def _add_unindexable(repo: LocalRepo) -> None:
    repo.write("dist/more.js", "x()\n")
    repo.write("logo2.png", b"\x00\x01")


async def test_incremental_passes_match_a_fresh_full_index_after_each_kind_of_change(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    settings = settings_with_cache(settings, tmp_path / "cache")
    repo = LocalRepo(tmp_path / "repo")
    first = seed_polyglot(repo)
    name = unique_name("acme/polyglot")
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "indexing", REGISTRATIONS["indexing"](deps)):
        full = await run_index(temporal_client, settings, name, repo.path)
        assert (full.commit_sha, full.passes, full.full_passes) == (first, 1, 1)
        rows = await stored_chunks(pool, name)
        assert paths_of(rows) == {
            "app/users.py",
            "src/articles/article.controller.ts",
            "application/model/song.php",
            "cmd/health.go",
            "README.md",
            "package.json",
        }
        assert {"UserService", "ArticleController", "SongModel", "slugify"} <= {r.symbol for r in rows}
        lag = INDEX_LAG.labels(repository=name)._value.get()  # the index-lag metric was recorded
        assert 0 < lag < 3600
        await _assert_same_as_fresh_index(temporal_client, settings, pool, repo, name)

        changes = [
            ("modify", lambda: repo.write("app/users.py", PYTHON_SERVICE.replace("100000", "600000"))),
            ("add", lambda: repo.write("app/orders.py", "def total(order):\n    return sum(order.lines)\n")),
            ("rename", lambda: repo.rename("cmd/health.go", "cmd/server/health.go")),
            ("delete", lambda: repo.remove("application/model/song.php")),
            ("dist and binary", lambda: _add_unindexable(repo)),
        ]
        for kind, change in changes:
            change()
            commit = repo.commit(kind)
            result = await run_index(temporal_client, settings, name, repo.path)
            assert (result.commit_sha, result.full_passes) == (commit, 0), kind
            assert result.files_changed <= 2, kind
            await _assert_same_as_fresh_index(temporal_client, settings, pool, repo, name)

        record = await RepositoryStore(pool).get(name)
        assert record is not None and record.last_commit_sha == commit and record.last_indexed_at is not None
        paths = paths_of(await stored_chunks(pool, name))
        assert "cmd/server/health.go" in paths and "cmd/health.go" not in paths
        assert "application/model/song.php" not in paths and "app/orders.py" in paths


async def test_a_modified_file_reuses_the_embeddings_of_its_unchanged_chunks(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    settings = settings_with_cache(settings, tmp_path / "cache")
    repo = LocalRepo(tmp_path / "repo")
    seed_polyglot(repo)
    name = unique_name("acme/reuse")
    embedder = SlowEmbedder(0.0)
    deps = WorkerDeps(settings, pool, embedder=embedder)
    async with build_worker(temporal_client, deps, "indexing", REGISTRATIONS["indexing"](deps)):
        await run_index(temporal_client, settings, name, repo.path)
        repo.write("app/users.py", PYTHON_SERVICE.replace("strip().lower()", "strip().casefold()"))
        repo.commit("one function changed")
        before = embedder.embedded
        result = await run_index(temporal_client, settings, name, repo.path)
        assert result.files_changed == 1
        assert embedder.embedded - before == result.chunks_embedded == 1
        assert result.chunks_reused >= 2  # the class and its module chunk kept their vectors

        again = await run_index(temporal_client, settings, name, repo.path)
        assert (again.passes, again.skipped_reason) == (0, "up to date")


async def test_a_new_embedding_model_re_embeds_everything(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    settings = settings_with_cache(settings, tmp_path / "cache")
    repo = LocalRepo(tmp_path / "repo")
    seed_polyglot(repo)
    name = unique_name("acme/models")
    first = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, first, "indexing", REGISTRATIONS["indexing"](first)):
        before = await run_index(temporal_client, settings, name, repo.path)
    second = WorkerDeps(settings, pool, embedder=SlowEmbedder(0.0, name="another-model-v1"))
    async with build_worker(temporal_client, second, "indexing", REGISTRATIONS["indexing"](second)):
        after = await run_index(temporal_client, settings, name, repo.path)
    assert after.full_passes == 1 and after.chunks_reused == 0
    assert after.chunks_embedded == after.chunks_written == before.chunks_written
    rows = await stored_chunks(pool, name)
    assert {row.embedding_model for row in rows} == {"another-model-v1"}
    record = await RepositoryStore(pool).get(name)
    assert record is not None and record.indexed_embedding_model == "another-model-v1"
