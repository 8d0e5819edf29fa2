"""Hybrid code search: pgvector cosine distance on the HNSW index plus PostgreSQL full-text rank,
fused with reciprocal rank fusion (each list contributes 1 / (RRF_K + rank) per chunk).

The two rankers fail differently: vectors find code that means the same with other words,
full text finds the exact identifier a reviewer pasted. Fusing ranks, not scores, needs no
calibration between a cosine distance and a ts_rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import asyncpg
import numpy as np

from domain.embeddings import Embedder

RRF_K = 60
# Each ranker contributes this many candidates per requested hit (at least MIN_CANDIDATES).
CANDIDATES_PER_HIT = 5
MIN_CANDIDATES = 40
# ef_search bounds the HNSW candidate list (bench/index_bench.py at 100k chunks: recall@10 0.83 at
# 40, 0.95 at 100, 0.98 at 200, for about a millisecond more); iterative scans keep going when the
# repository filter removes too many (pgvector >= 0.8), so a small repository in a big table fills up.
EF_SEARCH = 200
_MAX_QUERY_TERMS = 32
_TERM = re.compile(r"[A-Za-z0-9]+")
_STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "is", "it", "of",
     "on", "or", "that", "the", "this", "to", "what", "when", "where", "which", "with"}
)  # fmt: skip


@dataclass(frozen=True)
class CodeHit:
    """One retrieved chunk; `score` is its fused RRF score (higher is better)."""

    path: str
    start_line: int
    end_line: int
    symbol: str | None
    content: str
    score: float


def text_query(query: str) -> str:
    """A `to_tsquery('simple', ...)` string matching any term of the query ('' when none).

    Terms are split the way PostgreSQL's parser splits the indexed text (underscores and
    punctuation separate, camelCase stays whole), lowercased, stopwords and 1-letter terms out."""
    terms: list[str] = []
    for term in _TERM.findall(query.lower()):
        if len(term) > 1 and term not in _STOPWORDS and term not in terms:
            terms.append(term)
    return " | ".join(terms[:_MAX_QUERY_TERMS])


_VECTOR_RANKS = """
    SELECT id, row_number() OVER (ORDER BY distance, id) AS rank FROM (
        SELECT id, embedding <=> $2 AS distance FROM code_chunks
        WHERE repository_id = $1 ORDER BY embedding <=> $2 LIMIT $3
    ) nearest"""
_TEXT_RANKS = """
    SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        SELECT id, ts_rank(search_text, q, 1) AS score
        FROM code_chunks, to_tsquery('simple', $4) AS q
        WHERE repository_id = $1 AND search_text @@ q ORDER BY score DESC LIMIT $3
    ) matching"""


def _fused_sql(with_text: bool) -> str:
    ranks = f"{_VECTOR_RANKS} UNION ALL {_TEXT_RANKS}" if with_text else _VECTOR_RANKS
    k_param, limit_param = ("$5", "$6") if with_text else ("$4", "$5")
    return f"""
        WITH ranks AS ({ranks}),
        fused AS (SELECT id, sum(1.0 / ({k_param} + rank)) AS score FROM ranks GROUP BY id)
        SELECT c.path, c.start_line, c.end_line, c.symbol, c.content, f.score::float8 AS score
        FROM fused f JOIN code_chunks c ON c.id = f.id
        ORDER BY f.score DESC, c.path, c.start_line
        LIMIT {limit_param}"""


async def hybrid_search(
    pool: asyncpg.Pool, repository: str, query: str, embedder: Embedder, limit: int = 8
) -> list[CodeHit]:
    """The `limit` chunks of `repository` that best match `query`, best first ([] when unknown).

    `embedder` must be the one the repository was indexed with (same model and dimension)."""
    if limit < 1 or not query.strip():
        return []
    repository_id = await pool.fetchval("SELECT id FROM repositories WHERE full_name = $1", repository)
    if repository_id is None:
        return []
    [vector] = await embedder.embed([query])
    candidates = max(MIN_CANDIDATES, limit * CANDIDATES_PER_HIT)
    terms = text_query(query)
    args: list[object] = [repository_id, np.asarray(vector, dtype=np.float32), candidates]
    args += [terms] if terms else []
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
        await conn.execute(f"SET LOCAL hnsw.ef_search = {EF_SEARCH}")
        rows = await conn.fetch(_fused_sql(bool(terms)), *args, RRF_K, limit)
    return [CodeHit(r["path"], r["start_line"], r["end_line"], r["symbol"], r["content"], r["score"]) for r in rows]
