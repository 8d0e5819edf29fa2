"""The bootstrap commands against the real stack (Temporal dev server, PostgreSQL, a sync worker and
stand-ins for the indexing and investigations queues), GitHub and Jira through local fakes."""

from __future__ import annotations

import argparse
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest
from temporalio.client import Client

from cli import bootstrap_commands
from core.settings import Settings
from tests.fakes.github import FakeGitHub
from tests.fakes.jira import FakeJira
from tests.support.sync_stack import GITHUB_TOKEN, JIRA_EMAIL, JIRA_TOKEN, sync_settings, sync_stack


@dataclass
class Stack:
    settings: Settings
    github: FakeGitHub
    jira: FakeJira
    pool: asyncpg.Pool


@pytest.fixture
async def stack(temporal_client: Client, db_dsn: str, pool: asyncpg.Pool) -> AsyncIterator[Stack]:
    address = temporal_client.service_client.config.target_host
    with FakeGitHub(token=GITHUB_TOKEN) as github, FakeJira(email=JIRA_EMAIL, api_token=JIRA_TOKEN) as jira:
        github.add_repo("acme/api", head_sha="c" * 40)
        github.add_package("acme", "auth", versions=["1.0.0", "1.2.0"])
        jira.add_issue("KAN-1", "Login fails", "Steps", "To Do", "2024-05-01T10:00:00.000+0000")
        jira.add_issue("KAN-2", "Logout fails", "Steps", "Done", "2024-05-02T10:00:00.000+0000")
        settings = sync_settings(db_dsn, github, jira, GITHUB_ORG="acme", TEMPORAL_ADDRESS=address)
        async with sync_stack(temporal_client, settings, pool):
            yield Stack(settings, github, jira, pool)


async def pr_agent(settings: Settings, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="pr-agent")
    bootstrap_commands.add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return await args.handler(args, settings)


async def test_sync_commands_follow_their_workflows_and_status_counts_the_result(
    stack: Stack, temporal_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await pr_agent(stack.settings, "sync-jira", "--projects", "KAN", "--full") == 0
    jira_out = capsys.readouterr().out
    assert '"seen": 2' in jira_out and "sync-jira-project:KAN" in jira_out
    assert await pr_agent(stack.settings, "sync-jira") == 0  # projects known now: incremental
    assert await pr_agent(stack.settings, "sync-npm") == 0
    assert '"@acme/auth"' in capsys.readouterr().out
    assert await pr_agent(stack.settings, "sync-npm", "--package", "auth", "--no-wait") == 0
    assert capsys.readouterr().out == "sync-npm:auth\n"
    await temporal_client.get_workflow_handle("sync-npm:auth").result()  # before the worker stops
    assert await pr_agent(stack.settings, "status") == 0
    lines = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in capsys.readouterr().out.splitlines())
    assert (lines["jira tickets"], lines["internal packages"]) == ("2", "1")
    assert (lines["repositories"], lines["code chunks"], lines["deliveries"]) == ("0", "0", "none")


async def test_reconcile_waits_with_progress_and_prints_its_report(
    stack: Stack, temporal_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    await stack.pool.execute(
        "INSERT INTO repositories (full_name, owner, name, default_branch) VALUES ('acme/api', 'acme', 'api', 'main')"
    )
    assert await pr_agent(stack.settings, "reconcile", "--repos", "--concurrency", "2") == 0
    out = capsys.readouterr().out
    assert "reconcile:manual [" in out  # the progress line
    assert '"index:acme/api@main"' in out and '"investigate:acme/api@main"' in out and '"failed": []' in out
    assert await pr_agent(stack.settings, "reconcile", "--npm", "--no-wait") == 0
    assert capsys.readouterr().out == "reconcile:manual\n"
    report = await temporal_client.get_workflow_handle("reconcile:manual").result()  # before the worker stops
    assert report["started"] == ["sync-npm:acme/*"]


async def test_failures_exit_non_zero_with_the_reason(stack: Stack, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="--projects"):  # main() prints it and exits 2
        await pr_agent(stack.settings, "sync-jira")  # nothing synced yet, and no project named
    stack.jira.faults.push(status=401, path=r"/serverInfo", times=2)
    assert await pr_agent(stack.settings, "sync-jira", "--projects", "KAN") == 1
    assert "sync-jira-project:KAN failed: JiraRejected: Jira answered 401" in capsys.readouterr().err
    await stack.pool.execute("INSERT INTO jira_sync_state VALUES ('KAN', now())")  # as if synced once
    assert await pr_agent(stack.settings, "reconcile", "--jira") == 1
    assert "reconcile:manual: sync-jira-project:KAN: JiraRejected: Jira answered 401" in capsys.readouterr().err


async def test_schedules_apply_creates_then_updates(
    stack: Stack, temporal_client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    schedule_id = f"reconcile-cli-{uuid.uuid4().hex[:6]}"
    try:
        assert await pr_agent(stack.settings, "schedules", "apply", "--id", schedule_id) == 0
        assert await pr_agent(stack.settings, "schedules", "apply", "--id", schedule_id) == 0
    finally:
        await temporal_client.get_schedule_handle(schedule_id).delete()
    created, updated = (line for line in capsys.readouterr().out.splitlines() if line.startswith(schedule_id))
    assert created == f"{schedule_id}: created, active, cron '0 2 * * 0' in UTC"
    assert updated.startswith(f"{schedule_id}: updated, active")
