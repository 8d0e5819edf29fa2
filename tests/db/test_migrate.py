from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from db.migrate import MIGRATIONS_DIR, MigrationError, apply_migrations, discover


async def table_names(dsn: str) -> set[str]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    finally:
        await conn.close()
    return {r["tablename"] for r in rows}


async def test_empty_database_gets_the_whole_schema(empty_dsn: str) -> None:
    applied = await apply_migrations(empty_dsn)
    assert applied == [m.name for m in discover()]
    tables = await table_names(empty_dsn)
    expected = {
        "repositories",
        "code_chunks",
        "repo_analysis_cache",
        "jira_tickets",
        "internal_packages",
        "review_history",
        "api_usage",
        "budget_settings",
        "github_activity",
        "webhook_deliveries",
        "investigation_checkpoints",
        "repository_aliases",
        "schema_migrations",
    }
    assert expected <= tables


async def test_up_to_date_database_applies_nothing(empty_dsn: str) -> None:
    await apply_migrations(empty_dsn)
    assert await apply_migrations(empty_dsn) == []


async def test_two_concurrent_runners_apply_each_file_once(empty_dsn: str) -> None:
    first, second = await asyncio.gather(apply_migrations(empty_dsn), apply_migrations(empty_dsn))
    assert sorted(first + second) == [m.name for m in discover()]
    conn = await asyncpg.connect(empty_dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == len(discover())
    finally:
        await conn.close()


async def test_failing_migration_rolls_back_and_names_itself(empty_dsn: str, tmp_path: Path) -> None:
    for source in MIGRATIONS_DIR.glob("*.sql"):
        (tmp_path / source.name).write_text(source.read_text())
    (tmp_path / "900_broken.sql").write_text(
        "CREATE TABLE half_done (id int);\nINSERT INTO no_such_table VALUES (1);\n"
    )
    with pytest.raises(MigrationError, match=r"900_broken\.sql"):
        await apply_migrations(empty_dsn, tmp_path)
    tables = await table_names(empty_dsn)
    assert "half_done" not in tables  # the failed file left nothing behind
    assert "repositories" in tables  # the good files before it stay applied
    conn = await asyncpg.connect(empty_dsn)
    try:
        versions = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
    finally:
        await conn.close()
    assert "900" not in versions


def test_badly_named_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "1_oops.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match=r"1_oops\.sql"):
        discover(tmp_path)


async def test_pool_round_trips_vectors_and_json(pool: asyncpg.Pool) -> None:
    repo_id = await pool.fetchval(
        "INSERT INTO repositories (full_name, owner, name, languages) VALUES ('a/b', 'a', 'b', $1) RETURNING id",
        {"python": 3},
    )
    await pool.execute(
        """INSERT INTO code_chunks (repository_id, path, start_line, end_line, kind, language, content,
               content_hash, commit_sha, embedding, embedding_model)
           VALUES ($1, 'x.py', 1, 2, 'function', 'python', 'def f(): pass', 'h', 'c', $2, 'hashing')""",
        repo_id,
        [0.5] * 384,
    )
    vector = (await pool.fetchval("SELECT embedding FROM code_chunks")).to_list()
    assert len(vector) == 384 and abs(float(vector[0]) - 0.5) < 1e-6
    assert await pool.fetchval("SELECT languages FROM repositories") == {"python": 3}


async def test_005_re_derives_stored_search_vectors_and_asks_for_a_full_re_index(
    empty_dsn: str, tmp_path: Path
) -> None:
    for source in MIGRATIONS_DIR.glob("*.sql"):
        if source.name < "005":
            (tmp_path / source.name).write_text(source.read_text())
    await apply_migrations(empty_dsn, tmp_path)
    conn = await asyncpg.connect(empty_dsn)
    try:
        repo_id = await conn.fetchval(
            """INSERT INTO repositories (full_name, owner, name, last_commit_sha)
               VALUES ('a/b', 'a', 'b', 'c0ffee') RETURNING id"""
        )
        await conn.execute(
            """INSERT INTO code_chunks (repository_id, path, start_line, end_line, kind, symbol, language, content,
                   content_hash, commit_sha, embedding, embedding_model)
               VALUES ($1, 'src/user/auth.middleware.ts', 1, 3, 'class', 'AuthMiddleware', 'typescript',
                       'export class AuthMiddleware implements NestMiddleware {}', 'h', 'c0ffee',
                       array_fill(0.5, ARRAY[384])::vector, 'hashing-v1')""",
            repo_id,
        )
        before = set(await conn.fetchval("SELECT tsvector_to_array(search_text) FROM code_chunks"))
        assert "authmiddleware" in before and "auth" not in before  # PostgreSQL's parser alone
        assert "005_retrieval.sql" in await apply_migrations(empty_dsn)
        after = set(await conn.fetchval("SELECT tsvector_to_array(search_text) FROM code_chunks"))
        assert {"auth", "middleware", "src", "user", "ts", "nest", "export", "class"} <= after
        assert "authmiddleware" not in after
        assert await conn.fetchval("SELECT search_text @@ to_tsquery('simple', 'auth & middleware') FROM code_chunks")
        assert await conn.fetchval("SELECT last_commit_sha FROM repositories") is None
    finally:
        await conn.close()
