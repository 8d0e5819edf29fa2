"""The clones auto-fix works on: this worker's bare clone of the branch's repository, fetched only
when it lacks the commit asked for, and the few reads the fix makes from it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from clients.git import GitError, ensure_clone, head_commit, list_tree, read_file
from clients.github import GithubNotConfigured, github_token
from core.settings import Settings

BINARY_SNIFF_BYTES = 8_000


def cache_dir(settings: Settings) -> Path:
    return Path(settings.paths.repo_cache_dir or Path(settings.paths.data_dir) / "repos")


def clone_token(settings: Settings, url: str, repository: str) -> str | None:
    """A token for HTTPS clones; local paths (tests, the demo) need none."""
    if not url.startswith("https://"):
        return None
    try:
        return github_token(settings.github, repository)
    except GithubNotConfigured:
        return None


class Clones:
    """url → this worker's clone; a clone that lacks a commit is fetched (a retry on another worker
    simply clones or fetches again)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._known: dict[str, Path] = {}

    async def holding(self, url: str, repository: str, commit: str) -> Path:
        """The clone of `url`, fetched if needed so that it holds `commit` (GitError if it still does not)."""
        known = self._known.get(url)
        if known is not None and await asyncio.to_thread(has_commit, known, commit):
            return known
        token = clone_token(self._settings, url, repository)
        clone = await asyncio.to_thread(ensure_clone, url, cache_dir(self._settings), token=token)
        await asyncio.to_thread(head_commit, clone, commit)
        self._known[url] = clone
        return clone


def has_commit(clone: Path, commit: str) -> bool:
    try:
        head_commit(clone, commit)
    except GitError:
        return False
    return True


def text_at(clone: Path, commit: str, path: str) -> str | None:
    """The file's text at `commit`; None when it is missing, binary or not UTF-8."""
    try:
        data = read_file(clone, commit, path)
    except GitError:
        return None
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def file_modes(clone: Path, commit: str, paths: list[str]) -> dict[str, str]:
    """Git modes of `paths` at `commit` (a fix keeps an executable script executable)."""
    wanted = set(paths)
    return {entry.path: entry.mode for entry in list_tree(clone, commit) if entry.path in wanted}
