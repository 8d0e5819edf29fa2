"""The investigation worker's reads of a repository: its clone, and per commit the snapshot and the
detectors' evidence, each kept in a small per-process cache so the steps of one investigation
read the repository once, not once a step."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from pathlib import Path
from typing import TypeVar

from activities.investigation_repo import RepoEvidence, RepoSnapshot, has_commit, load_snapshot, read_evidence
from clients.git import ensure_clone
from core.settings import Settings

CACHED_COMMITS = 8  # snapshots and evidence kept per worker process, the least recently added dropped first
_Value = TypeVar("_Value")


class RepoReads:
    """Clones by URL, and snapshots and evidence by (clone, commit).

    `max_files` and `max_file_bytes` bound what the detectors read (a huge repository is
    sampled, generated files are skipped).
    """

    def __init__(self, settings: Settings, *, max_files: int, max_file_bytes: int) -> None:
        self._settings = settings
        self._max_files = max_files
        self._max_file_bytes = max_file_bytes
        self._clones: dict[str, Path] = {}
        self._snapshots: OrderedDict[tuple[Path, str], RepoSnapshot] = OrderedDict()
        self._evidence: OrderedDict[tuple[Path, str], RepoEvidence] = OrderedDict()

    def github_url(self, repository: str) -> str:
        from clients.github import clone_url

        return clone_url(self._settings.github, repository)

    def fetch_clone(self, url: str, repository: str) -> Path:
        """Clone or fetch `url` into the cache (blocking: call in a thread)."""
        clone = ensure_clone(url, self._cache_dir, token=self._token(url, repository))
        self._clones[url] = clone
        return clone

    async def snapshot(self, url: str, commit: str, repository: str) -> RepoSnapshot:
        """The snapshot at `commit`, fetching only when the clone lacks it."""
        clone = self._clones.get(url)
        if clone is None or not await asyncio.to_thread(has_commit, clone, commit):
            clone = await asyncio.to_thread(self.fetch_clone, url, repository)
        cached = self._snapshots.get((clone, commit))
        if cached is None:
            cached = await asyncio.to_thread(load_snapshot, clone, commit)
            _remember(self._snapshots, (clone, commit), cached)
        return cached

    async def evidence(self, snapshot: RepoSnapshot) -> RepoEvidence:
        """The detectors' files and facts at the snapshot's commit: every step and the document
        use the same, so a step's files and facts never drift between its attempts."""
        key = (snapshot.clone_dir, snapshot.commit)
        cached = self._evidence.get(key)
        if cached is None:
            limits = {"max_files": self._max_files, "max_file_bytes": self._max_file_bytes}
            cached = await asyncio.to_thread(read_evidence, snapshot, snapshot.profile, **limits)
            _remember(self._evidence, key, cached)
        return cached

    @property
    def _cache_dir(self) -> Path:
        paths = self._settings.paths
        return Path(paths.repo_cache_dir) if paths.repo_cache_dir else Path(paths.data_dir) / "repos"

    def _token(self, url: str, repository: str) -> str | None:
        if not url.startswith("https://"):
            return None
        from clients.github import GithubNotConfigured, github_token

        try:
            return github_token(self._settings.github, repository)
        except GithubNotConfigured:
            return None


def _remember(cache: OrderedDict[tuple[Path, str], _Value], key: tuple[Path, str], value: _Value) -> None:
    cache[key] = value
    while len(cache) > CACHED_COMMITS:
        cache.popitem(last=False)
