"""The App's installation life cycle on the real Temporal and database, through the real API with
signed webhooks: repositories given to the App are registered (RegisterRepo each, PyGithub against
the GitHub stand-in) and indexed; removed, suspended, uninstalled or archived ones are no longer
reviewed (the webhook says why) and keep their data; given back, they are worked on again.
IndexRepo and InvestigateRepo are stand-ins: what is started is the point here."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import Worker

from activities.discovery import DiscoveryActivities
from activities.lifecycle import LifecycleActivities
from contracts.common import INDEX_REPO, INVESTIGATE_REPO
from contracts.discovery import RegisterRepoInput, register_workflow_id
from contracts.indexing import IndexRepoInput, index_workflow_id
from contracts.investigation import InvestigateRepoInput
from contracts.lifecycle import UpdateRepoAccessResult
from contracts.review import review_workflow_id
from core.settings import GithubSettings, Settings
from core.temporal.client import TemporalGateway, task_queue
from db.repositories import RepositoryStore
from tests.fakes.github import FakeGitHub
from tests.fakes.github_trees import register_tree_routes
from tests.support.api import app_client
from tests.support.fixtures import github_headers
from tests.support.lifecycle_payloads import (
    installation_event,
    installation_repositories_event,
    pull_request_event,
    push_event,
    repository_event,
)
from tests.support.temporal_history import started_with
from workflows.discovery import RegisterRepoWorkflow
from workflows.lifecycle import UpdateRepoAccessWorkflow

SECRET = "test-webhook-secret"
TOKEN = "ghp_lifecycle"


@workflow.defn(name=INDEX_REPO, sandboxed=False)  # a test stand-in: no need to sandbox it
class StandInIndexRepo:
    @workflow.run
    async def run(self, request: IndexRepoInput) -> str:
        return request.commit_sha or ""


@workflow.defn(name=INVESTIGATE_REPO, sandboxed=False)
class StandInInvestigateRepo:
    @workflow.run
    async def run(self, request: InvestigateRepoInput) -> str:
        return request.commit_sha or ""


class World:
    """One organisation on the GitHub stand-in, the API, and the indexing workers."""

    def __init__(self, http: httpx.AsyncClient, client: Client, fake: FakeGitHub, org: str) -> None:
        self.http, self.client, self.fake, self.org = http, client, fake, org
        self.installation_id = uuid.uuid4().int % 10**9 + 1

    def repo(self, name: str) -> tuple[int, str]:
        """(GitHub id, full name) of a repository seeded on the stand-in."""
        full_name = f"{self.org}/{name}"
        record = self.fake.repo_record(full_name)
        assert record is not None
        return record.id, full_name

    async def deliver(self, event: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload).encode()
        delivery = str(uuid.uuid4())
        response = await self.http.post(
            "/api/v1/github_webhooks", content=body, headers=github_headers(SECRET, body, event, delivery)
        )
        assert response.status_code == 202, response.text
        return {**response.json(), "delivery_id": delivery}

    async def access(self, event: str, payload: dict[str, Any]) -> UpdateRepoAccessResult:
        """Deliver an event that starts UpdateRepoAccess, and wait for its result."""
        answer = await self.deliver(event, payload)
        assert answer["workflow_ids"] == [f"access:{answer['delivery_id']}"], answer
        handle = self.client.get_workflow_handle(answer["workflow_ids"][0], result_type=UpdateRepoAccessResult)
        return await asyncio.wait_for(handle.result(), timeout=60)

    async def pull_request(self, repo: tuple[int, str], **fields: Any) -> dict[str, Any]:
        return await self.deliver("pull_request", pull_request_event(*repo, **fields))


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as fake:
        register_tree_routes(fake)
        yield fake
        assert fake.server_errors == []


@pytest.fixture
async def world(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, github: FakeGitHub
) -> AsyncIterator[World]:
    org = f"synthetic-{uuid.uuid4().hex[:8]}"
    for name in ("api", "web"):
        manifest = json.dumps({"name": name, "dependencies": {"express": "^4"}})
        github.add_repo(f"{org}/{name}", files={"package.json": manifest, "src/index.js": "listen();\n"})
    github_settings = GithubSettings.model_validate(
        {"GITHUB_USER_TOKEN": TOKEN, "GITHUB_API_URL": github.url, "GITHUB_WEBHOOK_SECRET": SECRET}
    )
    settings = settings.model_copy(update={"github": github_settings})
    indexing = Worker(
        temporal_client,
        task_queue=task_queue(settings.temporal, "indexing"),
        workflows=[UpdateRepoAccessWorkflow, RegisterRepoWorkflow, StandInIndexRepo],
        activities=[
            DiscoveryActivities(settings, pool).register_repository,
            LifecycleActivities(settings, pool).update_repository_access,
        ],
    )
    investigations = Worker(
        temporal_client, task_queue=task_queue(settings.temporal, "investigations"), workflows=[StandInInvestigateRepo]
    )
    gateway = TemporalGateway(settings, temporal_client)
    async with indexing, investigations, app_client(settings, pool, gateway) as http:
        yield World(http, temporal_client, github, org)
    for name in ("api", "web"):  # reviews have no worker here
        with contextlib.suppress(Exception):
            await temporal_client.get_workflow_handle(review_workflow_id(f"{org}/{name}", 2)).terminate("test over")


async def test_added_repositories_are_registered_and_removed_ones_are_no_longer_reviewed(
    world: World, pool: asyncpg.Pool
) -> None:
    api, web = world.repo("api"), world.repo("web")
    iid = world.installation_id
    added = await world.access(
        "installation_repositories", installation_repositories_event("added", iid, world.org, added=[api, web])
    )
    assert (added.repositories, added.failed) == ([api[1], web[1]], [])
    assert {index_workflow_id(api[1], "main"), index_workflow_id(web[1], "main")} <= set(added.started)
    for gid, name in (api, web):
        kind, registration = await started_with(world.client, register_workflow_id(name), RegisterRepoInput)
        assert (kind, registration.reactivate, registration.installation_id) == ("RegisterRepo", True, iid)
        record = await RepositoryStore(pool).get(name)
        assert record is not None and (record.github_id, record.installation_id) == (gid, iid)

    removed = await world.access(
        "installation_repositories", installation_repositories_event("removed", iid, world.org, removed=[web])
    )
    assert removed.repositories == [web[1]]
    reason = f"the App no longer works on this repository: removed from the GitHub App installation {iid}"
    refused = await world.pull_request(web)
    assert (refused["status"], refused["reason"]) == ("ignored", reason)
    refused_push = await world.deliver("push", push_event(*web, after="e" * 40, clone_url="https://example.test/x.git"))
    assert refused_push["reason"] == reason
    delivered = await pool.fetchrow(
        "SELECT status, workflow_ids FROM webhook_deliveries WHERE delivery_id = $1", refused["delivery_id"]
    )
    assert (delivered["status"], delivered["workflow_ids"]) == ("ignored", [])
    kept = await RepositoryStore(pool).get(web[1])
    assert kept is not None and kept.head_sha is not None and kept.github_id == web[0]  # its data is kept
    assert (await world.pull_request(api))["workflow_ids"] == [review_workflow_id(api[1], 2)]

    given_back = await world.access(
        "installation_repositories", installation_repositories_event("added", iid, world.org, added=[web])
    )
    assert given_back.repositories == [web[1]]
    assert (await world.pull_request(web))["workflow_ids"] == [review_workflow_id(web[1], 2)]


async def test_a_suspended_installation_is_not_reviewed_until_unsuspended_and_uninstalling_detaches_it(
    world: World, pool: asyncpg.Pool
) -> None:
    api, web = world.repo("api"), world.repo("web")
    iid = world.installation_id
    created = await world.access("installation", installation_event("created", iid, world.org, [api, web]))
    assert created.repositories == [api[1], web[1]]

    suspended = await world.access("installation", installation_event("suspend", iid, world.org))  # lists none
    assert suspended.repositories == [api[1], web[1]]
    refused = await world.pull_request(api)
    assert (
        refused["reason"]
        == f"the App no longer works on this repository: the GitHub App installation {iid} is suspended"
    )

    unsuspended = await world.access("installation", installation_event("unsuspend", iid, world.org))
    assert (unsuspended.repositories, unsuspended.failed) == ([api[1], web[1]], [])
    assert (await world.pull_request(api))["status"] == "started"

    uninstalled = await world.access("installation", installation_event("deleted", iid, world.org, [api, web]))
    assert uninstalled.repositories == [api[1], web[1]]
    records = [await RepositoryStore(pool).get(name) for name in (api[1], web[1])]
    assert all(r is not None and r.installation_id is None and r.inactive_reason for r in records)
    stale_unsuspend = await world.access("installation", installation_event("unsuspend", iid, world.org))
    assert stale_unsuspend.repositories == []  # uninstalled repositories are not brought back by the old id


async def test_an_archived_repository_is_not_reviewed_until_it_is_unarchived(world: World, pool: asyncpg.Pool) -> None:
    api = world.repo("api")
    created = await world.deliver("repository", repository_event("created", *api))
    assert created["workflow_ids"] == [register_workflow_id(api[1])]
    await asyncio.wait_for(world.client.get_workflow_handle(created["workflow_ids"][0]).result(), timeout=60)

    record = world.fake.repo_record(api[1])
    assert record is not None
    record.archived = True
    archived = await world.access("repository", repository_event("archived", *api, archived=True))
    assert archived.repositories == [api[1]]
    reason = "the repository is archived: it is not reviewed or indexed until it is unarchived"
    assert (await world.pull_request(api, archived=True))["reason"] == reason
    without_flag = pull_request_event(*api)
    del without_flag["repository"]["archived"]  # what is stored decides
    assert (await world.deliver("pull_request", without_flag))["reason"] == reason

    record.archived = False
    unarchived = await world.deliver("repository", repository_event("unarchived", *api))
    assert unarchived["workflow_ids"] == [register_workflow_id(api[1])]
    await asyncio.wait_for(world.client.get_workflow_handle(unarchived["workflow_ids"][0]).result(), timeout=60)
    stored = await RepositoryStore(pool).get(api[1])
    assert stored is not None and not stored.archived and stored.indexable
    assert (await world.pull_request(api))["status"] == "started"
