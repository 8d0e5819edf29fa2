"""Renaming a repository on the real database: every row that names it follows, in one transaction,
the row keeps its id, and the old name keeps leading to it."""

from __future__ import annotations

import asyncpg
import pytest

from db.repositories import RepositoryFacts, RepositoryStore
from db.repository_names import (
    NAME_COLUMNS,
    NOT_RENAMED,
    NameTaken,
    RenameOutcome,
    current_name,
    rename_repository,
)
from tests.support.repository_rows import rows_naming, seed_rows

OLD, NEW, GID = "synthetic-org/billing", "synthetic-org/billing-api", 9001


async def rename(pool: asyncpg.Pool, old: str, new: str, github_id: int | None = GID) -> RenameOutcome:
    async with pool.acquire() as conn, conn.transaction():
        return await rename_repository(conn, github_id=github_id, old=old, new=new)


async def register(pool: asyncpg.Pool, name: str, github_id: int | None = GID) -> int:
    record, _ = await RepositoryStore(pool).upsert(RepositoryFacts(name, "main", github_id=github_id))
    return record.id


async def test_every_column_naming_a_repository_is_renamed_or_deliberately_kept(pool: asyncpg.Pool) -> None:
    rows = await pool.fetch(
        """SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = 'public' AND data_type = 'text'
             AND column_name IN ('repository', 'repo', 'full_name', 'repository_full_name', 'scope')"""
    )
    found = {(r["table_name"], r["column_name"]) for r in rows}
    own_names = {("repositories", "full_name"), ("repository_aliases", "full_name")}
    assert found == {(c.table, c.column) for c in NAME_COLUMNS} | NOT_RENAMED | own_names


async def test_each_declared_key_is_a_unique_key_of_its_table(pool: asyncpg.Pool) -> None:
    unique = await pool.fetch(
        """SELECT t.relname AS table_name, array_agg(a.attname::text ORDER BY a.attname) AS columns
           FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
           WHERE i.indisunique GROUP BY t.relname, i.indexrelid"""
    )
    keys = {(r["table_name"], frozenset(r["columns"])) for r in unique}
    for column in NAME_COLUMNS:
        named_keys = {cols for table, cols in keys if table == column.table and column.column in cols}
        if column.key is None:
            assert not named_keys, f"{column.table}.{column.column} is in a unique key: declare it"
        else:
            assert frozenset({column.column, *column.key}) in named_keys, column


async def test_rename_moves_every_row_keeps_the_row_and_remembers_the_old_name(pool: asyncpg.Pool) -> None:
    repository_id = await register(pool, OLD)
    await seed_rows(pool, OLD)
    outcome = await rename(pool, OLD, NEW)
    assert (outcome.status, outcome.repository_id, outcome.full_name) == ("renamed", repository_id, NEW)
    assert outcome.moved == {column.table: 1 for column in NAME_COLUMNS}
    assert set((await rows_naming(pool, OLD)).values()) == {0}
    assert set((await rows_naming(pool, NEW)).values()) == {1}
    row = await pool.fetchrow("SELECT id, owner, name, github_id FROM repositories WHERE full_name = $1", NEW)
    assert tuple(row) == (repository_id, "synthetic-org", "billing-api", GID)
    assert await pool.fetchval("SELECT count(*) FROM repositories") == 1
    async with pool.acquire() as conn:
        assert await current_name(conn, OLD) == NEW
    again = await rename(pool, OLD, NEW)
    assert (again.status, again.moved) == ("already", {})


async def test_rows_written_under_the_old_name_after_the_rename_are_swept_by_a_repeat(pool: asyncpg.Pool) -> None:
    await register(pool, OLD)
    await rename(pool, OLD, NEW)
    await seed_rows(pool, OLD)  # a review still running under the old name finished after the rename
    swept = await rename(pool, OLD, NEW)
    assert swept.status == "already" and sum(swept.moved.values()) == len(NAME_COLUMNS)
    assert set((await rows_naming(pool, OLD)).values()) == {0}


async def test_a_key_already_under_the_new_name_wins_over_the_old_row(pool: asyncpg.Pool) -> None:
    await register(pool, OLD)
    await seed_rows(pool, OLD, pr_url="written before")
    await seed_rows(pool, NEW, pr_url="written after")  # work under the new name overtook the rename
    await rename(pool, OLD, NEW)
    rows = await pool.fetch("SELECT repository, pr_url FROM review_history")
    assert [tuple(r) for r in rows] == [(NEW, "written after")]
    counts = await rows_naming(pool, NEW)
    assert counts["api_usage"] == 2 and counts["internal_packages"] == 2  # no key: every row follows
    assert counts["review_history"] == counts["posted_findings"] == counts["budget_settings"] == 1


async def test_an_old_rename_delivered_after_a_newer_one_changes_nothing(pool: asyncpg.Pool) -> None:
    await register(pool, OLD)
    await rename(pool, OLD, NEW)
    await rename(pool, NEW, "synthetic-org/payments")
    late = await rename(pool, OLD, NEW)
    assert (late.status, late.full_name) == ("stale", "synthetic-org/payments")
    assert await pool.fetchval("SELECT full_name FROM repositories") == "synthetic-org/payments"


async def test_renaming_back_to_a_former_name_works(pool: asyncpg.Pool) -> None:
    await register(pool, OLD)
    await rename(pool, OLD, NEW)
    back = await rename(pool, NEW, OLD)
    assert back.status == "renamed" and await pool.fetchval("SELECT full_name FROM repositories") == OLD
    aliases = await pool.fetch("SELECT full_name FROM repository_aliases")
    assert [r["full_name"] for r in aliases] == [NEW]


async def test_a_row_created_under_the_new_name_before_the_rename_is_folded_in(pool: asyncpg.Pool) -> None:
    kept = await register(pool, OLD)
    duplicate = await RepositoryStore(pool).ensure(NEW, "main", None)  # a push overtook the rename event
    await pool.execute(
        """INSERT INTO repo_analysis_cache (repository_id, commit_sha, prompt_set, prompt_set_version, model, document)
           VALUES ($1, 'c9', 'backend', 'v1', 'm', 'written under the new name')""",
        duplicate.id,
    )
    outcome = await rename(pool, OLD, NEW)
    assert outcome.merged_duplicate and outcome.repository_id == kept
    assert [tuple(r) for r in await pool.fetch("SELECT id, full_name FROM repositories")] == [(kept, NEW)]
    assert await pool.fetchval("SELECT repository_id FROM repo_analysis_cache") == kept


async def test_a_name_another_repository_still_holds_is_not_taken(pool: asyncpg.Pool) -> None:
    await register(pool, OLD)
    await register(pool, NEW, github_id=GID + 1)
    with pytest.raises(NameTaken, match=str(GID + 1)):
        await rename(pool, OLD, NEW)
    assert await pool.fetchval("SELECT full_name FROM repositories WHERE github_id = $1", GID) == OLD


async def test_a_rename_of_a_repository_never_registered_changes_nothing(pool: asyncpg.Pool) -> None:
    await seed_rows(pool, OLD)
    outcome = await rename(pool, OLD, NEW)
    assert outcome.status == "unknown"
    assert set((await rows_naming(pool, OLD)).values()) == {1}


async def test_registration_under_a_new_name_follows_a_missed_rename(pool: asyncpg.Pool) -> None:
    repository_id = await register(pool, OLD)
    await seed_rows(pool, OLD)
    record, created = await RepositoryStore(pool).upsert(RepositoryFacts(NEW, "main", github_id=GID))
    assert (record.id, record.full_name, created) == (repository_id, NEW, False)
    assert set((await rows_naming(pool, NEW)).values()) == {1}


async def test_a_push_under_a_former_name_finds_the_renamed_row(pool: asyncpg.Pool) -> None:
    store = RepositoryStore(pool)
    repository_id = await register(pool, OLD)
    await rename(pool, OLD, NEW)
    stale = await store.ensure(OLD, "main", None, github_id=GID)  # an old delivery, replayed late
    assert (stale.id, stale.full_name) == (repository_id, NEW)
    unknown_id = await store.ensure(OLD, "main", None)  # a run started before the rename
    assert (unknown_id.id, unknown_id.full_name) == (repository_id, NEW)
    assert await pool.fetchval("SELECT count(*) FROM repositories") == 1


async def test_a_push_under_a_new_name_applies_the_rename_not_yet_handled(pool: asyncpg.Pool) -> None:
    repository_id = await register(pool, OLD)
    await seed_rows(pool, OLD)
    record = await RepositoryStore(pool).ensure(NEW, "main", None, github_id=GID)
    assert (record.id, record.full_name) == (repository_id, NEW)
    assert set((await rows_naming(pool, NEW)).values()) == {1}
    late_event = await rename(pool, OLD, NEW)  # the rename event arrives afterwards
    assert late_event.status == "already"


async def test_status_finds_a_repository_by_id_name_or_former_name(pool: asyncpg.Pool) -> None:
    store = RepositoryStore(pool)
    await register(pool, OLD)
    await rename(pool, OLD, NEW)
    for github_id, name in [(GID, "anything/else"), (None, NEW), (None, OLD)]:
        status = await store.status(github_id, name)
        assert status is not None and status.full_name == NEW
    assert await store.status(GID + 5, "nobody/here") is None


async def test_a_row_registered_before_ids_were_stored_joins_the_renamed_one(pool: asyncpg.Pool) -> None:
    before_ids = await register(pool, OLD, github_id=None)  # registered before migration 007
    current = await register(pool, NEW)  # discovery registered the new name, with its id
    outcome = await rename(pool, OLD, NEW)
    assert (outcome.status, outcome.merged_duplicate, outcome.repository_id) == ("already", True, current)
    assert [tuple(r) for r in await pool.fetch("SELECT id, full_name FROM repositories")] == [(current, NEW)]
    assert before_ids != current
