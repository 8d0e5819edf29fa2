"""DiscoverRepos / RegisterRepo against the GitHub fake (PyGithub for real), real PostgreSQL and
Temporal. IndexRepo and InvestigateRepo are stand-ins here: this test is about what gets
registered and what gets started; IndexRepo has tests of its own."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import asyncpg
import pytest
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import Replayer, Worker

from activities.discovery import DiscoveryActivities
from contracts.common import DISCOVER_REPOS, INDEX_REPO, INVESTIGATE_REPO, REGISTER_REPO
from contracts.discovery import (
    DiscoverReposInput,
    DiscoverReposResult,
    RegisterRepoInput,
    RegisterRepoResult,
    register_workflow_id,
)
from contracts.indexing import IndexRepoInput, index_workflow_id
from contracts.investigation import InvestigateRepoInput, investigate_workflow_id
from core.settings import GithubSettings, Settings
from core.temporal.client import task_queue
from db.repositories import RepositoryStore
from tests.fakes.github import FakeGitHub
from tests.fakes.github_trees import register_tree_routes
from tests.support.temporal_history import started_with
from workers.base import WorkerDeps
from workflows.discovery import DiscoverReposWorkflow, RegisterRepoWorkflow

TOKEN = "ghp_discovery"


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


def _package(name: str, dependencies: dict[str, str], **extra: object) -> str:
    return json.dumps({"name": name, "dependencies": dependencies, **extra})


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as fake:
        register_tree_routes(fake)
        yield fake
        assert fake.server_errors == []


def _seed(fake: FakeGitHub, org: str) -> None:
    api_deps = {"@nestjs/core": "^10", "typeorm": "^0.3", "pg": "^8"}
    fake.add_repo(
        f"{org}/api",
        language="TypeScript",
        head_sha="a" * 40,
        files={
            "package.json": _package("api", api_deps),
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n",
            "src/main.ts": "bootstrap();\n",
            "src/users/users.service.ts": "export class UsersService {}\n",
        },
    )
    fake.add_repo(
        f"{org}/web",
        default_branch="master",
        head_sha="b" * 40,
        files={
            "package.json": _package("web", {"react": "^18", "react-dom": "^18"}),
            "src/App.tsx": "export const App = () => null;\n",
            "src/index.tsx": "render(App);\n",
        },
    )
    fake.add_repo(
        f"{org}/mono",
        head_sha="c" * 40,
        files={
            "package.json": _package("mono", {}, private=True, workspaces=["packages/*"]),
            "packages/a/package.json": _package("a", {}),
            "packages/a/index.js": "module.exports = 1;\n",
            "packages/b/package.json": _package("b", {"express": "^4"}),
            "packages/b/server.js": "listen();\n",
        },
    )
    fake.add_repo(f"{org}/old", archived=True, files={"README.md": "retired\n"})
    fake.add_repo(f"{org}/forked", fork=True, files={"README.md": "a fork\n"})


def _workers(client: Client, deps: WorkerDeps) -> list[Worker]:
    temporal = deps.settings.temporal
    return [
        Worker(
            client,
            task_queue=task_queue(temporal, "indexing"),
            workflows=[DiscoverReposWorkflow, RegisterRepoWorkflow, StandInIndexRepo],
            activities=[
                DiscoveryActivities(deps.settings, deps.pool).list_org_repositories,
                DiscoveryActivities(deps.settings, deps.pool).register_repository,
            ],
        ),
        Worker(client, task_queue=task_queue(temporal, "investigations"), workflows=[StandInInvestigateRepo]),
    ]


def _with_github(settings: Settings, fake: FakeGitHub) -> Settings:
    github = GithubSettings.model_validate({"GITHUB_USER_TOKEN": TOKEN, "GITHUB_API_URL": fake.url})
    return settings.model_copy(update={"github": github})


async def test_discovery_registers_profiles_flags_and_starts_indexing_once(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, github: FakeGitHub
) -> None:
    org = f"acme{uuid.uuid4().hex[:6]}"
    _seed(github, org)
    settings = _with_github(settings, github)
    workers = _workers(temporal_client, WorkerDeps(settings, pool))
    queue = task_queue(settings.temporal, "indexing")
    async with workers[0], workers[1]:
        result = await temporal_client.execute_workflow(
            DISCOVER_REPOS,
            DiscoverReposInput(org=org),
            id=f"discover:{org}",
            task_queue=queue,
            result_type=DiscoverReposResult,
        )
        assert result.found == 5 and not result.failed
        assert sorted(result.newly_registered) == sorted(f"{org}/{n}" for n in ("api", "web", "mono", "old", "forked"))
        assert sorted(result.flagged) == [f"{org}/forked", f"{org}/old"]
        api_index = index_workflow_id(f"{org}/api", "main")
        web_investigation = investigate_workflow_id(f"{org}/web", "master")
        assert {api_index, web_investigation} <= set(result.started)
        assert not any("old" in started or "forked" in started for started in result.started)
        kind, started = await started_with(temporal_client, api_index, IndexRepoInput)
        assert (kind, started.commit_sha, started.branch) == (INDEX_REPO, "a" * 40, "main")
        assert started.clone_url == f"{github.url}/{org}/api.git"

        store = RepositoryStore(pool)
        api = await store.get(f"{org}/api")
        assert api is not None and (api.repo_type, api.frameworks, api.databases) == (
            "backend",
            ["nestjs"],
            ["postgresql", "redis"],
        )
        assert (api.primary_language, api.head_sha, api.is_monorepo) == ("typescript", "a" * 40, False)
        web = await store.get(f"{org}/web")
        assert web is not None and (web.repo_type, web.default_branch, web.frameworks) == (
            "frontend",
            "master",
            ["react"],
        )
        mono = await store.get(f"{org}/mono")
        assert mono is not None and mono.is_monorepo and mono.packages == ["packages/a", "packages/b"]
        old, forked = await store.get(f"{org}/old"), await store.get(f"{org}/forked")
        assert old is not None and old.archived and not old.indexable
        assert forked is not None and forked.fork and not forked.indexable

        again = await temporal_client.execute_workflow(
            DISCOVER_REPOS,
            DiscoverReposInput(org=org),
            id=f"discover:{org}",
            task_queue=queue,
            result_type=DiscoverReposResult,
        )
        assert again.found == 5 and again.newly_registered == [] and not again.failed
        assert len(await store.list()) == 5
        replayer = Replayer(workflows=[DiscoverReposWorkflow, RegisterRepoWorkflow])
        for workflow_id in (f"discover:{org}", register_workflow_id(f"{org}/api")):
            await replayer.replay_workflow(await temporal_client.get_workflow_handle(workflow_id).fetch_history())


async def test_register_repo_for_an_unknown_repository_fails_without_retrying(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, github: FakeGitHub
) -> None:
    settings = _with_github(settings, github)
    workers = _workers(temporal_client, WorkerDeps(settings, pool))
    async with workers[0], workers[1]:
        handle = await temporal_client.start_workflow(
            REGISTER_REPO,
            RegisterRepoInput(repository="nobody/nothing"),
            id=f"register:{uuid.uuid4().hex}",
            task_queue=task_queue(settings.temporal, "indexing"),
            result_type=RegisterRepoResult,
        )
        with pytest.raises(Exception, match="failed"):
            await handle.result()
    history = await handle.fetch_history()
    attempts = [e for e in history.events if e.HasField("activity_task_started_event_attributes")]
    assert [e.activity_task_started_event_attributes.attempt for e in attempts] == [1]
