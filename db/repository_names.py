"""A repository's name, everywhere it is stored: renames and transfers, and former names.

The `repositories` row keeps its id across a rename (code chunks and analyses hang off the id), and
every table that keys or references a repository by its full name follows in the same transaction.
The old name becomes an alias of the row, so work still running under it (an IndexRepo started
before the rename) finds the same row instead of creating a second one under the old name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import asyncpg


@dataclass(frozen=True)
class NameColumn:
    """A column holding a repository's full name; `key`: the other columns of the unique key it is
    part of (None: it is in no unique key, every row just follows)."""

    table: str
    column: str
    key: tuple[str, ...] | None


NAME_COLUMNS: tuple[NameColumn, ...] = (
    NameColumn("investigation_checkpoints", "repository", ("commit_sha", "step_id", "step_fingerprint", "model")),
    NameColumn("review_history", "repository", ("pr_number", "head_sha", "review_type")),
    NameColumn("pr_summary_comments", "repository", ("pr_number",)),
    NameColumn("posted_findings", "repository", ("pr_number", "marker")),
    NameColumn("github_activity", "repository", ("activity_type", "external_id")),
    NameColumn("budget_settings", "scope", ()),
    NameColumn("internal_packages", "repository", None),
    NameColumn("api_usage", "repository", None),
)
# Kept as they are: the inbox records each delivery as it arrived (its payload names the old name too).
# Kept as they were: a delivery keeps the name it arrived with; a cached permission expires within
# minutes and is read again under the new name.
# Feedback and mutes stay under the name they were given (not yet carried over: see the issue 15 note).
NOT_RENAMED = frozenset(
    {
        ("webhook_deliveries", "repository"),
        ("command_permissions", "repository"),
        ("finding_feedback", "repository"),
        ("rule_mutes", "repository"),
    }
)


class NameTaken(RuntimeError):
    """Another repository (another GitHub id) still holds the new name: its own rename comes first."""


RenameStatus = Literal["renamed", "already", "stale", "unknown"]


@dataclass(frozen=True)
class RenameOutcome:
    """`renamed`; `already` (nothing left to do); `stale` (the repository moved on to another name
    since: an old event); `unknown` (neither the id nor the old name is stored: nothing to move)."""

    status: RenameStatus
    repository_id: int | None = None
    full_name: str | None = None
    moved: dict[str, int] = field(default_factory=dict)
    merged_duplicate: bool = False


async def rename_repository(
    conn: asyncpg.Connection,
    *,
    github_id: int | None,
    old: str,
    new: str,
    clone_url: str | None = None,
    html_url: str | None = None,
) -> RenameOutcome:
    """Move the repository known by `github_id` (or as `old`) to `new`, with every row naming it.
    Run inside a transaction; repeating it changes nothing."""
    row = await _locate(conn, github_id, old)
    if row is None:
        return RenameOutcome("unknown")
    repository_id, current = int(row["id"]), str(row["full_name"])
    github_id = github_id if github_id is not None else row["github_id"]
    if current == new:
        await _adopt_id(conn, repository_id, github_id)
        folded = await _fold(conn, repository_id, github_id, old, strict=False)  # a row from before ids
        swept = await _move_all(conn, repository_id, [old], new)  # rows written under the old name since
        return RenameOutcome("already", repository_id, new, swept, folded)
    if current != old and await alias_of(conn, new) == repository_id:
        return RenameOutcome("stale", repository_id, current)  # `new` is a name it had before `current`
    merged = await _fold(conn, repository_id, github_id, new, strict=True)
    owner, _, name = new.partition("/")
    await conn.execute(
        """UPDATE repositories SET full_name = $2, owner = $3, name = $4, github_id = coalesce(github_id, $5),
               clone_url = coalesce($6, clone_url), html_url = coalesce($7, html_url), updated_at = now()
           WHERE id = $1""",
        repository_id,
        new,
        owner,
        name,
        github_id,
        clone_url,
        html_url,
    )
    await conn.execute("DELETE FROM repository_aliases WHERE full_name = $1", new)
    moved = await _move_all(conn, repository_id, [current, old], new)
    return RenameOutcome("renamed", repository_id, new, moved, merged)


async def alias_of(conn: asyncpg.Connection, full_name: str) -> int | None:
    """The id of the repository that was called `full_name` before a rename, if any."""
    value = await conn.fetchval("SELECT repository_id FROM repository_aliases WHERE full_name = $1", full_name)
    return int(value) if value is not None else None


async def current_name(conn: asyncpg.Connection, full_name: str) -> str:
    """The name to store work under: a former name resolves to the repository's name today."""
    resolved = await conn.fetchval(
        """SELECT r.full_name FROM repository_aliases a JOIN repositories r ON r.id = a.repository_id
           WHERE a.full_name = $1 AND NOT EXISTS (SELECT 1 FROM repositories WHERE full_name = $1)""",
        full_name,
    )
    return str(resolved) if resolved is not None else full_name


async def _locate(conn: asyncpg.Connection, github_id: int | None, old: str) -> asyncpg.Record | None:
    if github_id is not None:
        row = await conn.fetchrow(
            "SELECT id, full_name, github_id FROM repositories WHERE github_id = $1 FOR UPDATE", github_id
        )
        if row is not None:
            return row
    row = await conn.fetchrow(
        """SELECT id, full_name, github_id FROM repositories
           WHERE full_name = $1 OR id = (SELECT repository_id FROM repository_aliases WHERE full_name = $1)
           ORDER BY full_name = $1 DESC LIMIT 1 FOR UPDATE""",
        old,
    )
    if row is not None and github_id is not None and row["github_id"] not in (None, github_id):
        return None  # the old name belongs to another repository now
    return row


async def _adopt_id(conn: asyncpg.Connection, repository_id: int, github_id: int | None) -> None:
    if github_id is not None:
        await conn.execute(
            "UPDATE repositories SET github_id = $2 WHERE id = $1 AND github_id IS NULL", repository_id, github_id
        )


async def _fold(
    conn: asyncpg.Connection, repository_id: int, github_id: int | None, name: str, *, strict: bool
) -> bool:
    """Fold another row under `name` into this repository's. Without a GitHub id of its own it is
    this repository under another name: created by work that overtook the rename (a push under the
    new name), or registered before ids were stored. Its analyses join this row and the rest goes
    (its code chunks are re-derived by the next index). A row with another id is another repository:
    `strict` (the name is needed) raises NameTaken, else it is left alone."""
    taken = await conn.fetchrow("SELECT id, github_id FROM repositories WHERE full_name = $1 FOR UPDATE", name)
    if taken is None or taken["id"] == repository_id:
        return False
    if taken["github_id"] is not None and taken["github_id"] != github_id:
        if strict:
            raise NameTaken(f"{name} is still the name of GitHub repository {taken['github_id']}")
        return False
    await conn.execute(
        """UPDATE repo_analysis_cache AS a SET repository_id = $2 WHERE a.repository_id = $1 AND NOT EXISTS (
               SELECT 1 FROM repo_analysis_cache k WHERE k.repository_id = $2 AND k.commit_sha = a.commit_sha
                   AND k.prompt_set_version = a.prompt_set_version AND k.model = a.model)""",
        taken["id"],
        repository_id,
    )
    await conn.execute("DELETE FROM repositories WHERE id = $1", taken["id"])
    return True


async def _move_all(conn: asyncpg.Connection, repository_id: int, formers: list[str], new: str) -> dict[str, int]:
    """Move the rows of each former name that is not another repository's name today, and remember
    it as an alias of this one."""
    moved: dict[str, int] = {}
    for former in dict.fromkeys(formers):
        holder = await conn.fetchval("SELECT id FROM repositories WHERE full_name = $1", former)
        if former == new or holder not in (None, repository_id):
            continue
        for column in NAME_COLUMNS:
            count = await _move_rows(conn, column, former, new)
            if count:
                moved[column.table] = moved.get(column.table, 0) + count
        await _remember_alias(conn, former, repository_id)
    return moved


async def _move_rows(conn: asyncpg.Connection, column: NameColumn, old: str, new: str) -> int:
    """Move `old`'s rows to `new`. A row whose key already exists under the new name is superseded
    by that newer one (written under the new name after the rename) and is dropped."""
    table, name = column.table, column.column
    if column.key is None:
        status = await conn.execute(f"UPDATE {table} SET {name} = $2 WHERE {name} = $1", old, new)
        return _count(status)
    same_key = "".join(f" AND n.{k} IS NOT DISTINCT FROM t.{k}" for k in column.key)
    status = await conn.execute(
        f"""UPDATE {table} AS t SET {name} = $2 WHERE t.{name} = $1
            AND NOT EXISTS (SELECT 1 FROM {table} AS n WHERE n.{name} = $2{same_key})""",
        old,
        new,
    )
    await conn.execute(f"DELETE FROM {table} WHERE {name} = $1", old)
    return _count(status)


async def _remember_alias(conn: asyncpg.Connection, former: str, repository_id: int) -> None:
    await conn.execute(
        """INSERT INTO repository_aliases (full_name, repository_id) VALUES ($1, $2)
           ON CONFLICT (full_name) DO UPDATE SET repository_id = EXCLUDED.repository_id, renamed_at = now()""",
        former,
        repository_id,
    )


def _count(status: str) -> int:
    return int(status.rsplit(" ", 1)[-1])
