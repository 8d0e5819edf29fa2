"""`pr-agent index-repos` and `pr-agent search` end to end: the command starts IndexRepo on a real
Temporal, a worker indexes a local repository into PostgreSQL, and search finds its code."""

from __future__ import annotations

import argparse
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client

from cli import index_commands
from core.settings import Settings
from tests.workflows.index_support import LocalRepo, seed_polyglot, settings_with_cache, unique_name
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pr-agent")
    index_commands.add_parsers(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


async def test_index_repos_then_search_finds_the_code(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    temporal = settings.temporal.model_copy(update={"address": temporal_client.service_client.config.target_host})
    settings = settings_with_cache(settings, tmp_path / "cache").model_copy(update={"temporal": temporal})
    repo = LocalRepo(tmp_path / "repo")
    commit = seed_polyglot(repo)
    name = unique_name("acme/cli")
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "indexing", REGISTRATIONS["indexing"](deps)):
        args = _parse(["index-repos", "--repo", name, "--clone-url", str(repo.path)])
        assert await args.handler(args, settings) == 0
    assert commit in capsys.readouterr().out

    args = _parse(["search", "--repo", name, "--limit", "3", "hash the password with a salt"])
    assert await args.handler(args, settings) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. app/users.py:") and "UserService" in out

    args = _parse(["search", "--repo", "acme/unknown", "anything"])
    assert await args.handler(args, settings) == 1
