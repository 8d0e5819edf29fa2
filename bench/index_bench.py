"""Indexing and retrieval benchmark, one command:

    .venv/bin/python -m bench.index_bench [--small-files 200] [--chunks 100000] [--queries 200]

1. Full-index throughput (files/s, chunks/s) of generated repositories of N and 10 x N files.
2. The cost of indexing a one-file change in each, and the ratio large / small (goal: near 1).
3. HNSW query latency (p50, p95) at `--chunks` stored chunks, and recall@10 against exact search.

Indexing runs IndexRepo's real activities (plan_index, index_files) in Temporal's
ActivityEnvironment: git fetch and diff, chunking, offline embedding, COPY into PostgreSQL, all but
the Temporal server's scheduling. It uses an embedded PostgreSQL in a temporary directory, or
--dsn (a database it may fill and leave behind).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import numpy as np
from temporalio.testing import ActivityEnvironment

from activities.indexing import IndexingActivities
from bench.index_bench_data import generate_repository, modify_one_file, synthetic_vectors
from contracts.indexing import IndexBatchInput, IndexPlan, PlanIndexInput
from core.settings import Settings
from db.code_search import EF_SEARCH, hybrid_search
from db.migrate import apply_migrations
from db.pool import create_pool
from domain.embeddings import HashingEmbedder
from workflows.indexing import batch_size


@dataclass
class IndexRun:
    files: int
    chunks: int
    seconds: float


async def index_once(activities: IndexingActivities, name: str, clone_url: str) -> IndexRun:
    """One IndexRepo pass through the real activities: plan, then every batch."""
    env = ActivityEnvironment()
    started = time.perf_counter()
    plan: IndexPlan = await env.run(
        activities.plan_index, PlanIndexInput(repository=name, branch="main", clone_url=clone_url)
    )
    if plan.target_sha is None or plan.skipped_reason:
        raise RuntimeError(f"nothing to index: {plan.skipped_reason}")
    size, chunks = batch_size(plan.total_files), 0
    offsets = list(range(0, plan.total_files, size)) or [0]
    for offset in offsets:
        batch = IndexBatchInput(
            repository=name,
            repository_id=plan.repository_id,
            clone_url=plan.clone_url,
            target_sha=plan.target_sha,
            base_sha=plan.base_sha,
            embedding_model=plan.embedding_model,
            offset=offset,
            limit=size,
            finish=offset == offsets[-1],
            unfinished=plan.unfinished,
        )
        chunks += (await env.run(activities.index_files, batch)).chunks_written
    return IndexRun(plan.total_files, chunks, time.perf_counter() - started)


async def bench_indexing(activities: IndexingActivities, root: Path, small_files: int) -> list[str]:
    lines = [
        "| repository | files | chunks | full index s | files/s | chunks/s | one-file change ms (median of 5) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    incremental: dict[int, float] = {}
    for files in (small_files, small_files * 10):
        repo = generate_repository(root / f"repo-{files}", files)
        name = f"bench/repo-{files}"
        full = await index_once(activities, name, str(repo))
        times = []
        for step in range(5):
            modify_one_file(repo, files, step)
            times.append((await index_once(activities, name, str(repo))).seconds)
        incremental[files] = statistics.median(times)
        lines.append(
            f"| {files} files | {full.files} | {full.chunks} | {full.seconds:.1f} | {full.files / full.seconds:.0f} "
            f"| {full.chunks / full.seconds:.0f} | {incremental[files] * 1000:.0f} |"
        )
    small, large = incremental[small_files], incremental[small_files * 10]
    lines.append(f"\nOne-file incremental cost, 10x repository / 1x repository: **{large / small:.2f}**")
    return lines


_COLUMNS = ["repository_id", "path", "start_line", "end_line", "kind", "symbol", "language", "content",
            "content_hash", "commit_sha", "embedding", "embedding_model"]  # fmt: skip
_NEAREST = "SELECT id FROM code_chunks WHERE repository_id = $1 ORDER BY embedding <=> $2 LIMIT 10"
# A different statement text, so asyncpg prepares it apart: PostgreSQL caches a statement's generic
# plan regardless of settings, and the sequential-scan plan must never serve the HNSW measurements.
_EXACT = _NEAREST + " -- exact"
EF_SEARCH_SWEEP = (40, 100, 200)


async def load_chunks(pool: asyncpg.Pool, count: int) -> int:
    """`count` chunks in a repository of their own; the HNSW index is rebuilt after the COPY."""
    embedder = HashingEmbedder(384)
    vectors, texts = synthetic_vectors(count, embedder, seed=7)
    async with pool.acquire() as conn:
        repository_id = await conn.fetchval(
            "INSERT INTO repositories (full_name, owner, name) VALUES ('bench/hnsw', 'bench', 'hnsw') RETURNING id"
        )
        await conn.execute("DROP INDEX IF EXISTS code_chunks_embedding_hnsw")
        rows = [
            (repository_id, f"gen/file_{i // 8}.py", i % 8 * 10 + 1, i % 8 * 10 + 9, "function", None, "python",
             texts[i % len(texts)], f"h{i}", "bench", vectors[i], embedder.name)
            for i in range(count)
        ]  # fmt: skip
        await conn.copy_records_to_table("code_chunks", records=rows, columns=_COLUMNS)
        await conn.execute("SET maintenance_work_mem = '1GB'")
        started = time.perf_counter()
        await conn.execute(
            "CREATE INDEX code_chunks_embedding_hnsw ON code_chunks USING hnsw (embedding vector_cosine_ops)"
        )
        total = await conn.fetchval("SELECT count(*) FROM code_chunks")
        print(f"HNSW index build (m=16, ef_construction=64) over {total} rows: {time.perf_counter() - started:.1f} s\n")
        await conn.execute("ANALYZE code_chunks")
    return int(repository_id)


async def _nearest(conn: asyncpg.Connection, repository_id: int, vector: np.ndarray, ef: int | None) -> list[int]:
    """Top 10 by cosine distance: through HNSW with `ef` candidates, or exactly (None: a scan and a sort)."""
    async with conn.transaction():
        if ef is None:
            await conn.execute("SET LOCAL enable_indexscan = off")
            return [r["id"] for r in await conn.fetch(_EXACT, repository_id, vector)]
        await conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        await conn.execute(f"SET LOCAL hnsw.ef_search = {ef}")
        return [r["id"] for r in await conn.fetch(_NEAREST, repository_id, vector)]


async def bench_hnsw(pool: asyncpg.Pool, count: int, queries: int) -> list[str]:
    repository_id = await load_chunks(pool, count)
    query_vectors, _ = synthetic_vectors(queries, HashingEmbedder(384), seed=99)
    lines = ["| chunks | hnsw.ef_search | HNSW used | top-10 p50 ms | p95 ms | recall@10 vs exact |",
             "|---:|---:|---|---:|---:|---:|"]  # fmt: skip
    async with pool.acquire() as conn:
        plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {_NEAREST}", repository_id, query_vectors[0]))
        used = "yes" if "code_chunks_embedding_hnsw" in plan else "NO"
        exact = [set(await _nearest(conn, repository_id, vector, None)) for vector in query_vectors]
        for ef in EF_SEARCH_SWEEP:
            latencies, recalls = [], []
            for vector, truth in zip(query_vectors, exact, strict=True):
                started = time.perf_counter()
                found = await _nearest(conn, repository_id, vector, ef)
                latencies.append((time.perf_counter() - started) * 1000)
                recalls.append(len(truth.intersection(found)) / max(len(truth), 1))
            lines.append(
                f"| {count} | {ef}{' (used)' if ef == EF_SEARCH else ''} | {used} | {np.percentile(latencies, 50):.1f} "
                f"| {np.percentile(latencies, 95):.1f} | {statistics.mean(recalls):.3f} |"
            )
    hybrid = await _hybrid_latencies(pool, min(queries, 100))
    p50, p95 = np.percentile(hybrid, 50), np.percentile(hybrid, 95)
    lines.append(
        f"\nhybrid_search (vector + full text, fused) at {count} chunks, {len(hybrid)} queries after"
        f" {HYBRID_WARMUP} unmeasured: p50 {p50:.1f} ms, p95 {p95:.1f} ms"
    )
    return lines


HYBRID_WARMUP = 10


async def _hybrid_latencies(pool: asyncpg.Pool, queries: int) -> list[float]:
    """Latencies of `queries` searches, after HYBRID_WARMUP unmeasured ones: the first searches
    after the load read the full-text index and table pages the HNSW sweeps did not touch."""
    rng = random.Random(5)
    words = ["load", "record", "user", "cache", "token", "parse", "invoice", "retry", "store", "event", "query"]
    embedder, latencies = HashingEmbedder(384), []
    for number in range(HYBRID_WARMUP + queries):
        query = " ".join(rng.sample(words, 3))
        started = time.perf_counter()
        await hybrid_search(pool, "bench/hnsw", query, embedder, limit=8)
        if number >= HYBRID_WARMUP:
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


async def _database(dsn: str | None, root: Path) -> tuple[str, Any]:
    if dsn:
        return dsn, None
    from db.embedded import start_embedded

    data = root / "pg"
    data.mkdir(mode=0o755)
    root.chmod(0o755)
    handle = start_embedded(data)
    return handle.dsn, handle


async def main(args: argparse.Namespace) -> None:
    root = Path(tempfile.mkdtemp(prefix="pr-agent-bench-"))
    dsn, handle = await _database(args.dsn, root)
    try:
        await apply_migrations(dsn)
        pool = await create_pool(dsn)
        try:
            settings = Settings.from_variables({"DATABASE_URL": dsn, "REPO_CACHE_DIR": str(root / "cache")})
            activities = IndexingActivities(settings, pool)
            print(f"# index bench: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}\n")
            if args.only in (None, "indexing"):
                print("\n".join(await bench_indexing(activities, root, args.small_files)) + "\n")
            if args.only in (None, "hnsw"):
                print("\n".join(await bench_hnsw(pool, args.chunks, args.queries)))
        finally:
            await pool.close()
    finally:
        if handle is not None:
            handle.close()
        shutil.rmtree(root, ignore_errors=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.index_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--small-files", type=int, default=200, help="files of the small repository (x10: large)")
    parser.add_argument("--chunks", type=int, default=100_000, help="chunks for the HNSW measurement")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--only", choices=["indexing", "hnsw"], help="run one half of the benchmark")
    parser.add_argument("--dsn", help="use this PostgreSQL (with pgvector) instead of an embedded one")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
