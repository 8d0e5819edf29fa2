"""The `code_chunks` table: a repository's chunks with their embeddings, written a file at a time.

A file's rows are always replaced together (delete the path's rows, COPY the new ones) in one
transaction, under a per-repository advisory lock, so a retried or concurrent batch never leaves
a file half-written or written twice. `commit_sha` is the commit at which a file's rows were last
written: an unchanged file keeps the rows (and commit) of the pass that wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

# Both halves of the advisory lock key: a constant for "code_chunks writes" and the repository id.
_LOCK_CLASS = 0x5C0DE

_COPY_COLUMNS = (
    "repository_id",
    "path",
    "start_line",
    "end_line",
    "kind",
    "symbol",
    "language",
    "content",
    "content_hash",
    "commit_sha",
    "embedding",
    "embedding_model",
)


@dataclass(frozen=True)
class ChunkRow:
    """One chunk ready to write; `embedding` is a sequence of floats or a numpy array."""

    path: str
    start_line: int
    end_line: int
    kind: str
    symbol: str | None
    language: str
    content: str
    content_hash: str
    commit_sha: str
    embedding: Any
    embedding_model: str


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as stored, minus what differs between equal indexes (row id, times, commit)."""

    path: str
    start_line: int
    end_line: int
    kind: str
    symbol: str | None
    language: str
    content: str
    content_hash: str
    embedding_model: str
    embedding: tuple[float, ...]


async def lock_repository(conn: asyncpg.Connection, repository_id: int) -> None:
    """Serialise chunk writes of one repository until the surrounding transaction ends."""
    await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", _LOCK_CLASS, repository_id)


async def known_embeddings(
    conn: asyncpg.Connection, repository_id: int, model: str, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Any]:
    """Embeddings already stored for (path, content_hash) pairs with this model: reused, not recomputed."""
    unique = sorted(set(keys))
    if not unique:
        return {}
    # path = ANY(...) keeps this on the (repository_id, path) index; exact pairs are picked below.
    rows = await conn.fetch(
        """SELECT path, content_hash, embedding FROM code_chunks
           WHERE repository_id = $1 AND path = ANY($3::text[]) AND content_hash = ANY($4::text[])
             AND embedding_model = $2""",
        repository_id,
        model,
        sorted({path for path, _ in unique}),
        sorted({digest for _, digest in unique}),
    )
    wanted = set(unique)
    return {
        (row["path"], row["content_hash"]): row["embedding"].to_numpy()
        for row in rows
        if (row["path"], row["content_hash"]) in wanted
    }


async def replace_paths(
    conn: asyncpg.Connection, repository_id: int, paths: Sequence[str], rows: Sequence[ChunkRow]
) -> None:
    """Delete every row of `paths` and write `rows` (all of which belong to those paths) by COPY."""
    await conn.execute(
        "DELETE FROM code_chunks WHERE repository_id = $1 AND path = ANY($2::text[])", repository_id, paths
    )
    if rows:
        records = [
            (
                repository_id,
                r.path,
                r.start_line,
                r.end_line,
                r.kind,
                r.symbol,
                r.language,
                r.content,
                r.content_hash,
                r.commit_sha,
                r.embedding,
                r.embedding_model,
            )
            for r in rows
        ]
        await conn.copy_records_to_table("code_chunks", records=records, columns=_COPY_COLUMNS)


async def drop_stale(conn: asyncpg.Connection, repository_id: int, model: str, keep_paths: Sequence[str]) -> int:
    """After a full pass: drop rows of files no longer in the tree or embedded by another model."""
    status = await conn.execute(
        """DELETE FROM code_chunks
           WHERE repository_id = $1 AND (embedding_model <> $2 OR NOT (path = ANY($3::text[])))""",
        repository_id,
        model,
        list(keep_paths),
    )
    return int(status.split()[-1])


async def stored_chunks(pool: asyncpg.Pool, repository: str) -> list[StoredChunk]:
    """Every chunk of a repository in a stable order, for comparing two indexes row by row."""
    rows = await pool.fetch(
        """SELECT c.path, c.start_line, c.end_line, c.kind, c.symbol, c.language, c.content,
                  c.content_hash, c.embedding_model, c.embedding
           FROM code_chunks c JOIN repositories r ON r.id = c.repository_id
           WHERE r.full_name = $1
           ORDER BY c.path, c.start_line, c.end_line, c.content_hash""",
        repository,
    )
    return [_stored(row) for row in rows]


def _stored(row: asyncpg.Record) -> StoredChunk:
    values = {name: row[name] for name in StoredChunk.__dataclass_fields__ if name != "embedding"}
    return StoredChunk(**values, embedding=tuple(row["embedding"].to_list()))
