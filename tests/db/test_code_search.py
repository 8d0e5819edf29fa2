"""Hybrid search over a real index in PostgreSQL: vector and full-text ranks fused, per repository,
and labelled query sets whose recall must stay above a floor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest

from core.settings import DatabaseSettings
from db.code_search import EF_SEARCH, TextQuery, hybrid_search, text_query
from db.pool import create_pool
from domain.embeddings import HashingEmbedder
from domain.search_words import search_words
from domain.secrets import secret_file_reason
from tests.db.code_search_corpus import FILES, QUERIES
from tests.support.retrieval_repos import NEST_API, REPOSITORIES, build_repository, retrieval_queries
from tests.workflows.index_support import LocalRepo, index_directly

RECALL_AT_5_FLOOR = 0.85
EMBEDDER = HashingEmbedder(384)


@pytest.fixture
async def shop(pool: asyncpg.Pool, tmp_path: Path) -> str:
    repo = LocalRepo(tmp_path / "shop")
    for path, text in FILES.items():
        repo.write(path, text)
    repo.commit("shop")
    await index_directly(pool, repo, "acme/shop")
    other = LocalRepo(tmp_path / "other")
    other.write("auth/passwords.py", FILES["auth/passwords.py"])  # the same code in another repository
    other.commit("other")
    await index_directly(pool, other, "acme/other")
    return "acme/shop"


async def test_recall_at_5_of_the_labelled_queries_stays_above_the_floor(
    pool: asyncpg.Pool, shop: str, record_property: Callable[[str, object], None]
) -> None:
    found, first = 0, 0
    for query, expected in QUERIES:
        paths = [hit.path for hit in await hybrid_search(pool, shop, query, EMBEDDER, limit=5)]
        found += expected in paths
        first += bool(paths) and paths[0] == expected
    recall, top1 = found / len(QUERIES), first / len(QUERIES)
    record_property("recall_at_5", recall)
    record_property("top1", top1)
    print(f"hybrid search over {len(QUERIES)} labelled queries: recall@5 = {recall:.2f}, top-1 = {top1:.2f}")
    assert recall >= RECALL_AT_5_FLOOR, f"recall@5 {recall:.2f} fell below {RECALL_AT_5_FLOOR}"


async def test_hits_come_from_the_asked_repository_only_best_first(pool: asyncpg.Pool, shop: str) -> None:
    hits = await hybrid_search(pool, "acme/other", "hash a password", EMBEDDER, limit=8)
    assert hits and {hit.path for hit in hits} == {"auth/passwords.py"}
    shop_hits = await hybrid_search(pool, shop, "TtlCache expire entries", EMBEDDER, limit=3)
    assert len(shop_hits) == 3
    assert shop_hits[0].path == "cache/ttl_cache.py" and shop_hits[0].symbol == "TtlCache"
    assert [h.score for h in shop_hits] == sorted((h.score for h in shop_hits), reverse=True)
    assert shop_hits[0].content.startswith("class TtlCache") and shop_hits[0].start_line >= 1


async def test_unknown_repositories_and_empty_queries_find_nothing(pool: asyncpg.Pool, shop: str) -> None:
    assert await hybrid_search(pool, "acme/missing", "password", EMBEDDER) == []
    assert await hybrid_search(pool, shop, "   ", EMBEDDER) == []
    # Only stopwords: no full-text terms, the vector ranking alone still answers.
    assert await hybrid_search(pool, shop, "what is the", EMBEDDER, limit=2)


def test_text_query_matches_rare_terms_or_all_common_ones_and_ranks_by_every_term() -> None:
    assert text_query([]) is None
    assert text_query(["auth", "middleware"]) == TextQuery(match="'auth' | 'middleware'", rank="'auth' | 'middleware'")
    assert text_query(["get", "user", "email"], frozenset({"get", "user"})) == TextQuery(
        match="'email' | ('get' & 'user')", rank="'get' | 'user' | 'email'"
    )
    assert text_query(["user"], frozenset({"user"})) == TextQuery(match="('user')", rank="'user'")


SPLIT_SAMPLES = [
    "AuthMiddleware",
    "src/user/auth.middleware.ts",
    "find_user_by_email",
    "XMLHttpRequest parseHTTPResponse2",
    "kebab-case-name v2Api",
    "App\\Core\\Application::run",
    "$this->books->getAllBooks($limit, $offset);",
    "export const DATABASE_URL = process.env.DATABASE_URL ?? '';",
    "application/model/LoanModel.php LoanModel.returnCopy",
]


async def test_the_stored_side_cuts_words_exactly_as_the_query_side(pool: asyncpg.Pool) -> None:
    for sample in SPLIT_SAMPLES:
        lexemes = await pool.fetchval("SELECT tsvector_to_array(to_tsvector('simple', code_search_words($1)))", sample)
        assert sorted(lexemes) == sorted(set(search_words(sample).lower().split())), sample


async def test_stored_search_vectors_hold_the_words_of_identifiers_and_paths(
    pool: asyncpg.Pool, tmp_path: Path
) -> None:
    await index_directly(pool, build_repository(NEST_API, tmp_path / "nest"), "acme/tickets")
    lexemes = await pool.fetchval(
        """SELECT tsvector_to_array(search_text) FROM code_chunks
           WHERE path = 'src/user/auth.middleware.ts' AND symbol = 'AuthMiddleware'"""
    )
    assert {"auth", "middleware", "src", "user", "ts", "nest", "jwt", "verify", "token", "expired"} <= set(lexemes)
    assert "authmiddleware" not in lexemes and "auth.middleware.ts" not in lexemes


async def test_auth_middleware_finds_the_auth_middleware_file(pool: asyncpg.Pool, tmp_path: Path) -> None:
    await index_directly(pool, build_repository(NEST_API, tmp_path / "nest"), "acme/tickets")
    for query in ("auth middleware", "AuthMiddleware"):
        paths = [hit.path for hit in await hybrid_search(pool, "acme/tickets", query, EMBEDDER, limit=5)]
        assert "src/user/auth.middleware.ts" in paths, (query, paths)
    # The committed .env (a database URL with its password) is neither stored nor found.
    stored = {r["path"] for r in await pool.fetch("SELECT DISTINCT path FROM code_chunks")}
    assert not [path for path in stored if secret_file_reason(path)]
    hits = await hybrid_search(pool, "acme/tickets", "DATABASE_URL JWT_SECRET env", EMBEDDER, limit=8)
    assert hits and ".env" not in {hit.path for hit in hits}


SYNTHETIC_RECALL_AT_1_FLOOR = 0.7
SYNTHETIC_RECALL_AT_5_FLOOR = 0.9


async def test_recall_over_the_synthetic_repositories_stays_above_the_floor(
    pool: asyncpg.Pool, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    for folder in REPOSITORIES:
        await index_directly(pool, build_repository(folder, tmp_path / folder), folder)
    queries = retrieval_queries()
    ranks = []
    for q in queries:
        paths = [hit.path for hit in await hybrid_search(pool, q.repository, q.query, EMBEDDER, limit=5)]
        ranks.append(next((i for i, path in enumerate(paths, 1) if path in q.expected), None))
    at_1 = sum(rank == 1 for rank in ranks) / len(queries)
    at_5 = sum(rank is not None for rank in ranks) / len(queries)
    record_property("synthetic_recall_at_1", at_1)
    record_property("synthetic_recall_at_5", at_5)
    assert len(queries) >= 30
    assert at_5 >= SYNTHETIC_RECALL_AT_5_FLOOR and at_1 >= SYNTHETIC_RECALL_AT_1_FLOOR, (at_1, at_5)


async def test_the_search_settings_do_not_outlive_the_search(db_dsn: str, shop: str) -> None:
    # One connection, so the search and the check share it: the pool resets it on release.
    one_connection = await create_pool(db_dsn, DatabaseSettings(DATABASE_POOL_MIN=1, DATABASE_POOL_MAX=1))
    try:
        assert await hybrid_search(one_connection, shop, "hash a password", EMBEDDER, limit=3)
        async with one_connection.acquire() as conn:
            ef_search = await conn.fetchval("SELECT current_setting('hnsw.ef_search', true)")
            iterative = await conn.fetchval("SELECT current_setting('hnsw.iterative_scan', true)")
        assert ef_search != str(EF_SEARCH) and iterative != "relaxed_order"
    finally:
        await one_connection.close()
