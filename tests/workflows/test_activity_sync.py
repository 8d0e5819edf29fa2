"""SyncGithubActivity: pushed commits from the real push payload (through the webhook route) and
the last N days of commits and pull requests through PyGithub and the GitHub fake."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from temporalio.client import Client

from contracts.common import SYNC_GITHUB_ACTIVITY
from contracts.sync import ActivitySyncResult, SyncGithubActivityInput, activity_workflow_id
from contracts.webhooks import RoutingConfig, route_github
from core.settings import GithubSettings, Settings
from core.temporal.client import start_workflow, task_queue
from db.activity import list_activity
from tests.fakes.github import FakeGitHub
from tests.support.fixtures import fixture_json
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

TOKEN = "ghp_activity"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as fake:
        yield fake
        assert fake.server_errors == []


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_pushed_commits_are_recorded_once_however_often_the_push_is_delivered(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings
) -> None:
    payload = copy.deepcopy(fixture_json("github/go-playground-webhooks__push.json"))
    repository = f"binkkatal/sample-{uuid.uuid4().hex[:8]}"  # the session's Temporal is shared
    payload["repository"]["full_name"] = repository
    routed = route_github("push", payload, RoutingConfig(("master", "main")), "delivery-1")
    [plan] = [start for start in routed.starts if start.workflow == SYNC_GITHUB_ACTIVITY]
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "sync", REGISTRATIONS["sync"](deps)):
        for _ in range(2):  # GitHub redelivers; the second run must not add a row
            handle = await start_workflow(temporal_client, settings.temporal, plan)
            result = await handle.result()
            assert result["commits_recorded"] == 1
    [commit] = await list_activity(pool, repository)
    assert (commit.activity_type, commit.external_id) == ("commit", "fd489864e7642b48eaad6e3f155c10e46810ec72")
    assert (commit.author, commit.title, commit.branch) == ("binkkatal", "test a push event", "master")
    assert commit.occurred_at == datetime(2018, 6, 29, 14, 4, 13, tzinfo=UTC)


async def test_history_sync_records_recent_commits_and_pull_requests(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, github: FakeGitHub
) -> None:
    repository = f"acme/svc-{uuid.uuid4().hex[:8]}"
    now = datetime.now(UTC)
    github.add_repo(repository, head_sha="0" * 40)
    github.add_commit(repository, message="ancient", date=_iso(now - timedelta(days=90)))
    recent = [
        github.add_commit(repository, message=f"Fix {n}\n\nbody", date=_iso(now - timedelta(days=n))) for n in (2, 1)
    ]
    github.add_pull(
        repository,
        5,
        title="Add search",
        head_ref="search",
        head_sha="5" * 40,
        created_at=_iso(now - timedelta(days=3)),
        user_login="dev1",
    )
    github.add_pull(
        repository, 2, title="Old work", head_ref="old", head_sha="2" * 40, created_at=_iso(now - timedelta(days=80))
    )
    github_settings = GithubSettings.model_validate({"GITHUB_USER_TOKEN": TOKEN, "GITHUB_API_URL": github.url})
    settings = settings.model_copy(update={"github": github_settings})
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "sync", REGISTRATIONS["sync"](deps)):
        for _ in range(2):
            result = await temporal_client.execute_workflow(
                SYNC_GITHUB_ACTIVITY,
                SyncGithubActivityInput(repository=repository, days=30),
                id=activity_workflow_id(repository),
                task_queue=task_queue(settings.temporal, "sync"),
                result_type=ActivitySyncResult,
            )
            assert (result.history_commits, result.history_pull_requests) == (2, 1)
    rows = await list_activity(pool, repository)
    assert sorted((r.activity_type, r.external_id) for r in rows) == sorted(
        [("commit", sha) for sha in recent] + [("pull_request", "5")]
    )
    pull = next(r for r in rows if r.activity_type == "pull_request")
    assert (pull.title, pull.author, pull.branch, pull.data["base"]) == ("Add search", "dev1", "search", "main")
    assert {r.title for r in rows if r.activity_type == "commit"} == {"Fix 1", "Fix 2"}
