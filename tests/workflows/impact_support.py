"""The impact world (tests/fixtures/impact_world) as real git repositories, indexed by the real IndexRepo,
and its pull requests opened on the GitHub stand-in."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import asyncpg
from temporalio.client import Client

from contracts.indexing import IndexRepoResult
from core.settings import Settings
from db.repositories import RepositoryStore
from tests.fakes.github import FakeGitHub
from tests.support.impact_world import WorldChange, repositories, repository_files
from tests.workflows.index_support import LocalRepo, run_index, settings_with_cache
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS


def world_repo(root: Path, repository: str) -> LocalRepo:
    """A git repository holding `repository`'s files of the world, committed on main."""
    repo = LocalRepo(root / repository.replace("/", "-"))
    for path, text in repository_files(repository).items():
        repo.write(path, text)
    repo.commit("initial")
    return repo


async def index_world(
    client: Client, settings: Settings, pool: asyncpg.Pool, root: Path, names: Iterable[str] | None = None
) -> dict[str, IndexRepoResult]:
    """Every world repository (or those named) as a git repository, indexed through IndexRepo."""
    settings = settings_with_cache(settings, root / "cache")
    deps = WorkerDeps(settings, pool)
    results = {}
    async with build_worker(client, deps, "indexing", REGISTRATIONS["indexing"](deps)):
        for name in names if names is not None else repositories():
            repo = world_repo(root / "repos", name)
            results[name] = await run_index(client, settings, name, repo.path)
    return results


async def register_only(pool: asyncpg.Pool, repository: str) -> None:
    """A repository discovery found but nothing indexed yet."""
    await RepositoryStore(pool).ensure(repository, "main", None)


def open_world_pull(github: FakeGitHub, change: WorldChange) -> tuple[int, str]:
    """The change as a pull request on the GitHub stand-in, over the repository's world files;
    returns (number, head sha)."""
    if github.repo_record(change.repository) is None:
        github.add_repo(change.repository, files=repository_files(change.repository))
    branch = f"change/{change.name}"
    head = github.commit_changes(change.repository, {f.path: f.head for f in change.files}, branch=branch)
    number = github.open_pull(change.repository, title=change.title, head_ref=branch)
    return number, head
