"""Retrieval evaluation, one command:

    .venv/bin/python -m bench.retrieval_bench [--dsn DSN] [--misses]

Turns the two made-up repositories of tests/fixtures/synthetic_repos into git repositories (with
credential files added), indexes them through IndexRepo's real activities (plan_index,
index_files: git, chunking, redaction, the offline embedder, COPY into PostgreSQL), runs every
labelled query of retrieval_queries.toml through `hybrid_search` (5 hits, as a reviewer would see
them) and prints recall@1, recall@5 and MRR@5, overall, per repository and per kind of query, and
each miss with what came back instead. It also counts what must be zero: chunks stored from
credential files, and stored chunks that still hold a credential's value.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from activities.indexing import IndexingActivities
from bench.index_bench import _database, index_once
from core.settings import Settings
from db.code_search import hybrid_search
from db.migrate import apply_migrations
from db.pool import create_pool
from domain.embeddings import Embedder, HashingEmbedder
from domain.secrets import secret_file_reason
from tests.support.retrieval_repos import (
    REPOSITORIES,
    RetrievalQuery,
    build_repository,
    made_up_password,
    retrieval_queries,
)

TOP_K = 5


@dataclass(frozen=True)
class QueryResult:
    query: RetrievalQuery
    paths: tuple[str, ...]  # the path of each hit, best first
    seconds: float

    @property
    def rank(self) -> int | None:
        """1-based position of the first hit in an expected file, None when none is in the top K."""
        return next((i for i, path in enumerate(self.paths, 1) if path in self.query.expected), None)


async def run_queries(
    pool: asyncpg.Pool, queries: Sequence[RetrievalQuery], embedder: Embedder, repository_names: dict[str, str]
) -> list[QueryResult]:
    """Each query against its repository (`repository_names`: synthetic folder -> indexed name)."""
    results = []
    for query in queries:
        started = time.perf_counter()
        hits = await hybrid_search(pool, repository_names[query.repository], query.query, embedder, limit=TOP_K)
        results.append(QueryResult(query, tuple(hit.path for hit in hits), time.perf_counter() - started))
    return results


def recall_at(results: Iterable[QueryResult], k: int) -> float:
    ranks = [r.rank for r in results]
    return sum(1 for rank in ranks if rank is not None and rank <= k) / max(len(ranks), 1)


def mean_reciprocal_rank(results: Iterable[QueryResult]) -> float:
    ranks = [r.rank for r in results]
    return sum(1 / rank for rank in ranks if rank is not None) / max(len(ranks), 1)


def report(results: Sequence[QueryResult], misses: bool) -> list[str]:
    groups: dict[str, list[QueryResult]] = {"all": list(results)}
    for key in sorted({r.query.repository for r in results}) + sorted({f"kind={r.query.kind}" for r in results}):
        groups[key] = [r for r in results if key in (r.query.repository, f"kind={r.query.kind}")]
    lines = ["| queries | n | recall@1 | recall@5 | MRR@5 |", "|---|---:|---:|---:|---:|"]
    for name, members in groups.items():
        lines.append(
            f"| {name} | {len(members)} | {recall_at(members, 1):.2f} | {recall_at(members, TOP_K):.2f} "
            f"| {mean_reciprocal_rank(members):.2f} |"
        )
    latencies = sorted(r.seconds * 1000 for r in results)
    lines.append(f"\nquery latency: median {statistics.median(latencies):.1f} ms, max {latencies[-1]:.1f} ms")
    missed = [r for r in results if r.rank is None or (misses and r.rank > 1)]
    if missed:
        lines.append("\nnot first:" if misses else "\nmissed (no expected file in the top 5):")
    for result in missed:
        where = "missed" if result.rank is None else f"rank {result.rank}"
        lines.append(f"- [{where}] {result.query.query!r} -> {', '.join(result.paths) or '(nothing)'}")
    return lines


async def leaks(pool: asyncpg.Pool) -> tuple[int, int]:
    """(chunks stored from credential files, stored chunks holding the made-up credential value)."""
    paths = [r["path"] for r in await pool.fetch("SELECT DISTINCT path FROM code_chunks")]
    from_files = sum(1 for path in paths if secret_file_reason(path) is not None)
    values = await pool.fetchval("SELECT count(*) FROM code_chunks WHERE strpos(content, $1) > 0", made_up_password())
    return from_files, int(values)


async def index_synthetic(activities: IndexingActivities, root: Path) -> dict[str, str]:
    names = {}
    for folder in REPOSITORIES:
        repo = build_repository(folder, root / folder)
        names[folder] = f"synthetic/{folder.removeprefix('synthetic__')}"
        run = await index_once(activities, names[folder], str(repo.path))
        print(f"indexed {names[folder]}: {run.files} files, {run.chunks} chunks in {run.seconds:.1f} s")
    return names


async def main(args: argparse.Namespace) -> None:
    root = Path(tempfile.mkdtemp(prefix="pr-agent-retrieval-"))
    dsn, handle = await _database(args.dsn, root)
    try:
        await apply_migrations(dsn)
        pool = await create_pool(dsn)
        try:
            settings = Settings.from_variables({"DATABASE_URL": dsn, "REPO_CACHE_DIR": str(root / "cache")})
            embedder = HashingEmbedder(384)
            activities = IndexingActivities(settings, pool, embedder=embedder)
            print(f"# retrieval bench: {os.cpu_count()} CPUs, {platform.machine()}, embedder {embedder.name}\n")
            names = await index_synthetic(activities, root)
            results = await run_queries(pool, retrieval_queries(), embedder, names)
            print("\n" + "\n".join(report(results, args.misses)))
            from_files, values = await leaks(pool)
            print(f"\nchunks from credential files: {from_files}; stored chunks holding a credential value: {values}")
        finally:
            await pool.close()
    finally:
        if handle is not None:
            handle.close()
        shutil.rmtree(root, ignore_errors=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.retrieval_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", help="use this PostgreSQL (with pgvector) instead of an embedded one")
    parser.add_argument("--misses", action="store_true", help="list every query whose first hit is not expected")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
