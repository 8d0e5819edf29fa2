"""The indexing engine, free of Temporal: which files a pass touches, and chunk → embed → write.

A pass turns the difference between the indexed commit and the target commit into file tasks
(write a path's chunks, or delete them). Tasks are processed in groups: each group is read from
git, chunked, embedded (reusing stored vectors whose (path, content hash) did not change), and
written in one transaction that replaces the group's paths. The last group of the last batch also
records the commit, so the index and `last_commit_sha` change together or not at all.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import numpy as np

from clients.git import changes_between, list_tree
from clients.git_batch import BlobEntry, read_blobs, tree_entries
from db.chunks import ChunkRow, drop_stale, known_embeddings, lock_repository, replace_paths
from db.repositories import record_indexed
from domain.chunking import DEFAULT_MAX_BYTES, DEFAULT_OPTIONS, Chunk, ChunkingOptions, chunk_file, should_index
from domain.chunking.filters import excluded_path_reason
from domain.embeddings import Embedder, embedding_text
from domain.secrets import redact_secrets

GROUP_FILES = 32


@dataclass(frozen=True)
class FileTask:
    """Rewrite a path's chunks from the target commit, or (`delete`) drop them."""

    path: str
    delete: bool = False


@dataclass(frozen=True)
class Finish:
    """What the final transaction records: the commit, and for a full pass every path to keep."""

    commit_sha: str
    keep_paths: Sequence[str] | None = None


@dataclass
class IndexCounts:
    files: int = 0
    files_skipped: int = 0
    chunks_written: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0


def file_tasks(repo_dir: Path, base: str | None, target: str, unfinished: Sequence[str] = ()) -> list[FileTask]:
    """The tasks taking the index from `base` to `target` (None: every file, a full pass), by path.

    `unfinished` are targets of passes that stopped half-way: every path they may have rewritten
    is re-read at `target` too (a write task of a path absent there just drops its chunks)."""
    if base is None:
        return [FileTask(entry.path) for entry in list_tree(repo_dir, target)]
    tasks: dict[str, FileTask] = {}
    for change in changes_between(repo_dir, base, target):
        if change.old_path:
            tasks.setdefault(change.old_path, FileTask(change.old_path, delete=True))
        tasks[change.path] = FileTask(change.path, delete=change.status == "deleted")
    for sha in unfinished:
        for change in changes_between(repo_dir, base, sha):
            for path in filter(None, (change.path, change.old_path)):
                tasks.setdefault(path, FileTask(path))
    return [tasks[path] for path in sorted(tasks)]


def content_hash(chunk: Chunk) -> str:
    """Hash of what, with the path, decides a chunk's embedding text: equal hash, equal vector."""
    digest = hashlib.sha256()
    for part in (chunk.kind, chunk.symbol or "", chunk.content):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


class Indexer:
    """Chunks, embeds and writes file tasks for one repository at one commit."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        embedder: Embedder,
        *,
        group_files: int = GROUP_FILES,
        max_bytes: int = DEFAULT_MAX_BYTES,
        options: ChunkingOptions = DEFAULT_OPTIONS,
    ) -> None:
        self._pool = pool
        self._embedder = embedder
        self._group_files = group_files
        self._max_bytes = max_bytes
        self._options = options

    async def run(
        self,
        repo_dir: Path,
        repository_id: int,
        target: str,
        tasks: Sequence[FileTask],
        *,
        start: int = 0,
        finish: Finish | None = None,
        on_progress: Callable[[int], None] = lambda done: None,
        entries: dict[str, BlobEntry] | None = None,
    ) -> IndexCounts:
        """Process `tasks[start:]`; `on_progress(n)` after each committed group (n: tasks done).

        `entries` (the whole tree at `target`) saves a `git ls-tree` per group on full passes."""
        counts = IndexCounts()
        positions = list(range(start, len(tasks), self._group_files)) or [start]
        for position in positions:
            group = tasks[position : position + self._group_files]
            last = position == positions[-1]
            await self._group(repo_dir, repository_id, target, group, counts, finish if last else None, entries)
            on_progress(position + len(group))
        return counts

    async def _group(
        self,
        repo_dir: Path,
        repository_id: int,
        target: str,
        group: Sequence[FileTask],
        counts: IndexCounts,
        finish: Finish | None,
        entries: dict[str, BlobEntry] | None,
    ) -> None:
        chunks, skipped = await asyncio.to_thread(self._chunk_group, repo_dir, target, group, entries)
        rows = await self._embedded_rows(repository_id, target, chunks, counts)
        async with self._pool.acquire() as conn, conn.transaction():
            await lock_repository(conn, repository_id)
            await replace_paths(conn, repository_id, [task.path for task in group], rows)
            if finish is not None:
                if finish.keep_paths is not None:
                    await drop_stale(conn, repository_id, self._embedder.name, finish.keep_paths)
                await record_indexed(conn, repository_id, finish.commit_sha, self._embedder.name)
        counts.files += len(group)
        counts.files_skipped += skipped
        counts.chunks_written += len(rows)

    def _chunk_group(
        self, repo_dir: Path, target: str, group: Sequence[FileTask], entries: dict[str, BlobEntry] | None
    ) -> tuple[list[Chunk], int]:
        paths = [task.path for task in group if not task.delete]
        found = entries if entries is not None else tree_entries(repo_dir, target, paths)
        candidates = [found[p] for p in paths if p in found and self._worth_reading(found[p])]
        blobs = read_blobs(repo_dir, [entry.oid for entry in candidates])
        chunks: list[Chunk] = []
        for entry in candidates:
            data = blobs[entry.oid]
            ok, _ = should_index(entry.path, entry.size, data, self._max_bytes)
            if ok:
                # Redacted before chunking: no credential reaches the table, the embedder or a
                # prompt, and a key block cut across two chunks is still caught whole.
                text = redact_secrets(data.decode("utf-8", "replace"))
                chunks.extend(chunk_file(entry.path, text, self._options))
        indexed = {chunk.path for chunk in chunks}
        return chunks, sum(1 for p in paths if p not in indexed)

    def _worth_reading(self, entry: BlobEntry) -> bool:
        return entry.regular_file and entry.size <= self._max_bytes and excluded_path_reason(entry.path) is None

    async def _embedded_rows(
        self, repository_id: int, target: str, chunks: list[Chunk], counts: IndexCounts
    ) -> list[ChunkRow]:
        model = self._embedder.name
        hashes = [content_hash(chunk) for chunk in chunks]
        keys = [(chunk.path, digest) for chunk, digest in zip(chunks, hashes, strict=True)]
        async with self._pool.acquire() as conn:
            vectors = await known_embeddings(conn, repository_id, model, keys)
        counts.chunks_reused += sum(1 for key in keys if key in vectors)
        missing = {key: chunk for key, chunk in zip(keys, chunks, strict=True) if key not in vectors}
        if missing:
            fresh = await self._embedder.embed([embedding_text(chunk) for chunk in missing.values()])
            vectors.update(zip(missing, (np.asarray(v, dtype=np.float32) for v in fresh), strict=True))
            counts.chunks_embedded += len(missing)
        return [
            ChunkRow(
                c.path, c.start_line, c.end_line, c.kind, c.symbol, c.language, c.content, h, target, vectors[k], model
            )
            for c, h, k in zip(chunks, hashes, keys, strict=True)
        ]
