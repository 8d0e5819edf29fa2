"""Git reads the indexer needs in bulk, plus the worker-local clone cache.

`clients.git` reads one file per `git` process; an index reads hundreds, so blobs are read
through one `git cat-file --batch` per group, and the tree entries of just the changed paths come
from one `ls-tree` (so an incremental pass costs what changed, not what the repository holds).
"""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clients.git import GitError, ensure_clone, run_git

_LS_TREE = re.compile(r"^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$", re.DOTALL)
_SYMLINK = "120000"
_CAT_FILE_TIMEOUT = 300.0


@dataclass(frozen=True)
class BlobEntry:
    """A path in a commit's tree: its git mode, object type, object id and size."""

    path: str
    mode: str
    kind: str
    oid: str
    size: int

    @property
    def regular_file(self) -> bool:
        return self.kind == "blob" and self.mode != _SYMLINK


def tree_entries(repo_dir: Path, commit: str, paths: list[str] | None = None) -> dict[str, BlobEntry]:
    """Entries of `paths` at `commit` (every entry when None); paths absent there are left out."""
    if paths is not None and not paths:
        return {}
    args = ["--literal-pathspecs", "ls-tree", "-r", "-l", "-z", "--full-tree", commit]
    out = run_git([*args, "--", *(paths or [])], repo_dir)
    entries: dict[str, BlobEntry] = {}
    for record in out.decode("utf-8", "surrogateescape").split("\x00"):
        match = _LS_TREE.match(record)
        if match:
            mode, kind, oid, size, path = match.groups()
            entries[path] = BlobEntry(path, mode, kind, oid, int(size) if size != "-" else 0)
    return entries


def read_blobs(repo_dir: Path, oids: list[str]) -> dict[str, bytes]:
    """The contents of blobs by object id, read through one `git cat-file --batch`."""
    unique = list(dict.fromkeys(oids))
    if not unique:
        return {}
    result = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=repo_dir,
        input="".join(f"{oid}\n" for oid in unique).encode(),
        capture_output=True,
        timeout=_CAT_FILE_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise GitError(f"git cat-file --batch failed: {result.stderr.decode('utf-8', 'replace').strip()}")
    return _parse_batch(result.stdout, unique)


def _parse_batch(out: bytes, oids: list[str]) -> dict[str, bytes]:
    blobs: dict[str, bytes] = {}
    position = 0
    for oid in oids:
        end = out.index(b"\n", position)
        header = out[position:end].decode().split()
        if len(header) != 3:  # "<oid> missing"
            raise GitError(f"object {oid} is missing from the clone")
        size = int(header[2])
        blobs[oid] = out[end + 1 : end + 1 + size]
        position = end + 1 + size + 1  # the content is followed by a newline
    return blobs


def has_commit(repo_dir: Path, sha: str) -> bool:
    try:
        run_git(["cat-file", "-e", f"{sha}^{{commit}}"], repo_dir)
    except GitError:
        return False
    return True


def is_ancestor(repo_dir: Path, ancestor: str, descendant: str) -> bool:
    """Whether `ancestor` is reachable from `descendant` (so every clone holding one holds both)."""
    try:
        run_git(["merge-base", "--is-ancestor", ancestor, descendant], repo_dir)
    except GitError:
        return False
    return True


def branch_head(repo_dir: Path, branch: str) -> str | None:
    """The commit `refs/heads/<branch>` points at in the clone, or None when there is no such branch."""
    try:
        out = run_git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"refs/heads/{branch}^{{commit}}"], repo_dir
        )
    except GitError:
        return None
    return out.decode().strip() or None


class CloneCache:
    """Bare clones kept by this worker process, cloned once and fetched after.

    A path found here is re-checked (it exists and holds the wanted commit) before each use, since
    another activity of the same workflow may have run on another worker with its own cache."""

    def __init__(self, cache_dir: Path, token_for: Callable[[str, str], str | None]) -> None:
        self._cache_dir = cache_dir
        self._token_for = token_for
        self._known: dict[str, Path] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def fetched(self, url: str, repository: str) -> Path:
        """The clone of `url`, brought up to date with its remote now."""
        async with self._locks.setdefault(url, asyncio.Lock()):
            token = self._token_for(url, repository)
            path = await asyncio.to_thread(ensure_clone, url, self._cache_dir, token=token)
            self._known[url] = path
            return path

    async def with_commit(self, url: str, repository: str, commit: str) -> Path:
        """A clone of `url` that holds `commit`, fetching only when it does not yet."""
        path = self._known.get(url)
        if path is not None and path.is_dir() and await asyncio.to_thread(has_commit, path, commit):
            return path
        path = await self.fetched(url, repository)
        if not await asyncio.to_thread(has_commit, path, commit):
            raise GitError(f"commit {commit} is not in {repository} (force-pushed away?)")
        return path
