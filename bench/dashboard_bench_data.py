"""Generated data for bench/dashboard_bench.py: repositories with 100k code chunks (real embeddings of
generated functions, HNSW index rebuilt after the COPY), architecture documents, Jira tickets."""

from __future__ import annotations

import time

import asyncpg

from bench.index_bench_data import synthetic_vectors
from domain.embeddings import HashingEmbedder

_COLUMNS = ["repository_id", "path", "start_line", "end_line", "kind", "symbol", "language", "content",
            "content_hash", "commit_sha", "embedding", "embedding_model"]  # fmt: skip
DOCUMENT = """---
repository: {repo}
commit: {commit}
---

# Architecture of {repo}

## Overview

{repo} is a generated service used to measure the dashboard (`pkg00/mod_00001.py:1-20`).

## Data flow

Orders arrive through `pkg01/mod_00002.py:4-18`, are stored by `pkg02/mod_00003.py:2-9` and published on
`order-events` (`pkg03/mod_00004.py:7`).

## APIs

""" + "\n".join(f"- `GET /v1/items/{n}` handled in `pkg{n % 20:02d}/mod_{n:05d}.py:3-12`" for n in range(120))


async def load_repositories(pool: asyncpg.Pool, repositories: int, chunks: int) -> list[str]:
    """`repositories` repositories sharing `chunks` chunks; each has an architecture document."""
    vectors, texts = synthetic_vectors(chunks, HashingEmbedder(384), seed=11)
    names = [f"bench/service-{n:02d}" for n in range(repositories)]
    async with pool.acquire() as conn:
        ids = [
            await conn.fetchval(
                """INSERT INTO repositories (full_name, owner, name, html_url, head_sha, last_commit_sha,
                       last_indexed_at, indexed_embedding_model, repo_type, primary_language)
                   VALUES ($1, 'bench', $2, 'https://github.com/' || $1, 'c0ffee', 'c0ffee', now(), 'hashing-v1',
                           'backend', 'python') RETURNING id""",
                name,
                name.split("/")[1],
            )
            for name in names
        ]
        await conn.execute("DROP INDEX IF EXISTS code_chunks_embedding_hnsw")
        rows = [
            (ids[i % len(ids)], f"pkg{i // 8 % 20:02d}/mod_{i // 8:05d}.py", i % 8 * 10 + 1, i % 8 * 10 + 9,
             "function", f"load_item_{i}", "python", texts[i % len(texts)], f"h{i}", "c0ffee", vectors[i],
             "hashing-v1")
            for i in range(chunks)
        ]  # fmt: skip
        await conn.copy_records_to_table("code_chunks", records=rows, columns=_COLUMNS)
        await conn.execute("SET maintenance_work_mem = '1GB'")
        started = time.perf_counter()
        await conn.execute(
            "CREATE INDEX code_chunks_embedding_hnsw ON code_chunks USING hnsw (embedding vector_cosine_ops)"
        )
        print(f"   HNSW index over {chunks:,} chunks built in {time.perf_counter() - started:.0f} s", flush=True)
        for repository_id, name in zip(ids, names, strict=True):
            await conn.execute(
                """INSERT INTO repo_analysis_cache (repository_id, commit_sha, prompt_set, prompt_set_version,
                       model, document, structured)
                   VALUES ($1, 'c0ffee', 'backend', 'backend-1', 'openai/investigator', $2, $3)""",
                repository_id,
                DOCUMENT.format(repo=name, commit="c0ffee"),
                {"topics": {"published": ["order-events"] if repository_id % 2 else [],
                            "subscribed": [] if repository_id % 2 else ["order-events"]}},
            )  # fmt: skip
        await conn.execute("ANALYZE")
    return names
