"""Hybrid code search: pgvector cosine distance on the HNSW index plus PostgreSQL full-text rank,
fused with reciprocal rank fusion (each list contributes 1 / (RRF_K + rank) per chunk).

The two rankers fail differently: vectors find code that means the same with other words,
full text finds the exact identifier a reviewer pasted. Fusing ranks, not scores, needs no
calibration between a cosine distance and a ts_rank.

Full text searches words, not tokens: identifiers and paths are cut as people search for them
(domain/search_words.py, and code_search_words() in migrations/005_retrieval.sql for the stored
side). A term found in a large share of all chunks ("get", "user" in a user service) narrows
nothing down, and matching it would make the text ranker score a large part of the table: such
terms only rank, and only chunks holding all of them (or any rarer term) are candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import numpy as np

from domain.embeddings import Embedder
from domain.search_words import query_terms
from domain.secrets import redact_secrets, secret_file_reason

RRF_K = 60
# Each ranker contributes this many candidates per requested hit (at least MIN_CANDIDATES).
CANDIDATES_PER_HIT = 5
MIN_CANDIDATES = 40
# ef_search bounds the HNSW candidate list (bench/index_bench.py at 100k chunks: recall@10 0.83 at
# 40, 0.95 at 100, 0.98 at 200, for about a millisecond more); iterative scans keep going when the
# repository filter removes too many (pgvector >= 0.8), so a small repository in a big table fills up.
EF_SEARCH = 200
# The vector ranker takes this many times its candidates nearest by cosine (what the HNSW index
# answers), then orders them by inner product: the cosine times the chunk's length weight, the
# norm an embedder gave its vector (HashingEmbedder: pivoted length normalisation; providers'
# vectors are unit length, so for them this is the cosine order).
VECTOR_POOL_FACTOR = 4
# ts_rank weights of D (content), C, B, A (symbol and path). A path or symbol word counts a
# little more than a content word; much more, and every chunk of a file whose name holds one of
# the words crowds out the chunk that does what was asked. ts_rank gets no length normalisation:
# the chunk that does the work is usually the longer one. (The text ranker alone on the queries of
# bench/retrieval_bench.py: recall@1 0.89 as set here, 0.74 with A at 0.5, 0.69 with A equal to D
# and ts_rank's length normalisation 1.)
TEXT_WEIGHTS = "{0.1, 0.2, 0.4, 0.15}"
# A term in at least this share of all chunks (PostgreSQL's statistics of search_text) is common.
COMMON_TERM_SHARE = 0.05
# The most matching chunks the text ranker scores: a bound on its work whatever the query.
TEXT_SCAN_LIMIT = 2000


@dataclass(frozen=True)
class CodeHit:
    """One retrieved chunk; `score` is its fused RRF score (higher is better)."""

    path: str
    start_line: int
    end_line: int
    symbol: str | None
    content: str
    score: float


@dataclass(frozen=True)
class TextQuery:
    """Two `to_tsquery('simple', ...)` strings: which chunks are candidates, and what ranks them."""

    match: str
    rank: str


def text_query(terms: list[str], common: frozenset[str] = frozenset()) -> TextQuery | None:
    """Candidates hold a rare term or every common one; all terms rank (None: no terms)."""
    if not terms:
        return None
    quoted = [f"'{term}'" for term in terms]  # terms hold no ASCII punctuation, so no quote to escape
    rare = [q for term, q in zip(terms, quoted, strict=True) if term not in common]
    frequent = [q for term, q in zip(terms, quoted, strict=True) if term in common]
    match = rare + ([f"({' & '.join(frequent)})"] if frequent else [])
    return TextQuery(match=" | ".join(match), rank=" | ".join(quoted))


# One round trip before the search: the HNSW settings, the repository, and which of the query's
# terms PostgreSQL's statistics of search_text count as common. The settings are the session's:
# the pool resets a connection (RESET ALL) when it is released, and no transaction is needed,
# which saves the BEGIN and COMMIT round trips (p50 32 -> 19 ms at 100k chunks on a busy machine).
_PRELUDE = """
    SELECT set_config('hnsw.iterative_scan', 'relaxed_order', false) AS iterative_scan,
           set_config('hnsw.ef_search', $3, false) AS ef_search,
           (SELECT id FROM repositories WHERE full_name = $1) AS repository_id,
           ARRAY(
               SELECT t.term FROM pg_stats s,
                   unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS t(term, share)
               WHERE s.schemaname = current_schema() AND s.tablename = 'code_chunks'
                 AND s.attname = 'search_text' AND t.term = ANY($2::text[]) AND t.share >= $4
           ) AS common"""

_VECTOR_RANKS = f"""
    SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        SELECT id, -(embedding <#> $2) AS score FROM (
            SELECT id, embedding FROM code_chunks
            WHERE repository_id = $1 ORDER BY embedding <=> $2 LIMIT $3 * {VECTOR_POOL_FACTOR}
        ) nearest
        ORDER BY score DESC LIMIT $3
    ) weighted"""
_TEXT_RANKS = f"""
    SELECT id, row_number() OVER (ORDER BY score DESC, id) AS rank FROM (
        SELECT id, ts_rank('{TEXT_WEIGHTS}', search_text, to_tsquery('simple', $5)) AS score
        FROM (
            SELECT id, search_text FROM code_chunks
            WHERE repository_id = $1 AND search_text @@ to_tsquery('simple', $4) LIMIT {TEXT_SCAN_LIMIT}
        ) matching
        ORDER BY score DESC LIMIT $3
    ) ranked"""


def _fused_sql(with_text: bool) -> str:
    ranks = f"{_VECTOR_RANKS} UNION ALL {_TEXT_RANKS}" if with_text else _VECTOR_RANKS
    k_param, limit_param = ("$6", "$7") if with_text else ("$4", "$5")
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
    [vector] = await embedder.embed([query])  # before a connection is taken: it may call a provider
    terms = query_terms(query)
    candidates = max(MIN_CANDIDATES, limit * CANDIDATES_PER_HIT)
    async with pool.acquire() as conn:
        prelude = await conn.fetchrow(_PRELUDE, repository, terms, str(EF_SEARCH), COMMON_TERM_SHARE)
        if prelude["repository_id"] is None:
            return []
        text = text_query(terms, frozenset(prelude["common"]))
        args: list[object] = [prelude["repository_id"], np.asarray(vector, dtype=np.float32), candidates]
        args += [text.match, text.rank] if text else []
        rows = await conn.fetch(_fused_sql(text is not None), *args, RRF_K, limit)
    return [_hit(row) for row in rows if secret_file_reason(row["path"]) is None]


def _hit(row: asyncpg.Record) -> CodeHit:
    # The indexer redacts before writing; redacting again covers rows written by older versions.
    content = redact_secrets(row["content"])
    return CodeHit(row["path"], row["start_line"], row["end_line"], row["symbol"], content, row["score"])
