"""A sync worker (SyncJira, SyncPackages, Reconcile) on the real Temporal and database, with GitHub
and Jira as local fakes, plus tiny stand-ins for IndexRepo, InvestigateRepo and DiscoverRepos.

The stand-ins keep Reconcile's tests about Reconcile: they accept the real inputs and signals on
the real names and queues, and record nothing but their own existence (their workflow ids).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import asyncpg
from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from contracts.common import DISCOVER_REPOS, INDEX_REPO, INVESTIGATE_REPO, NewCommit
from contracts.discovery import DiscoverReposInput
from core.settings import Settings
from core.temporal.client import task_queue
from tests.fakes.github import FakeGitHub
from tests.fakes.jira import FakeJira
from tests.support.settings import make_settings
from workers.base import WorkerDeps, build_worker
from workers.sync import sync_registration

GITHUB_TOKEN = "ghp_sync"
JIRA_EMAIL, JIRA_TOKEN = "bot@acme.test", "jira-sync-token"


def sync_settings(db_dsn: str, github: FakeGitHub | None, jira: FakeJira | None, **extra: str) -> Settings:
    variables: dict[str, str] = {}
    if github is not None:
        variables |= {"GITHUB_API_URL": github.url, "GITHUB_USER_TOKEN": GITHUB_TOKEN}
    if jira is not None:
        variables |= {"JIRA_BASE_URL": jira.url, "JIRA_EMAIL": JIRA_EMAIL, "JIRA_API_TOKEN": JIRA_TOKEN}
    return make_settings(db_dsn, **(variables | extra))


@workflow.defn(name=INDEX_REPO)
class StandInIndexRepo:
    def __init__(self) -> None:
        self.commits: list[str] = []

    @workflow.signal(name="new_commit")
    def new_commit(self, commit: NewCommit) -> None:
        self.commits.append(commit.commit_sha)

    @workflow.run
    async def run(self, request: Any) -> dict[str, Any]:
        return {"repository": request["repository"], "commit": request["commit_sha"], "signals": self.commits}


@workflow.defn(name=INVESTIGATE_REPO)
class StandInInvestigateRepo:
    @workflow.signal(name="new_commit")
    def new_commit(self, commit: NewCommit) -> None:
        pass

    @workflow.run
    async def run(self, request: Any) -> dict[str, Any]:
        return {"repository": request["repository"], "commit": request["commit_sha"]}


@workflow.defn(name=DISCOVER_REPOS)
class StandInDiscoverRepos:
    @workflow.run
    async def run(self, request: DiscoverReposInput) -> dict[str, Any]:
        return {"org": request.org}


@asynccontextmanager
async def sync_stack(
    client: Client, settings: Settings, pool: asyncpg.Pool, *, stand_ins: bool = True
) -> AsyncIterator[WorkerDeps]:
    """Run the sync worker (and the stand-ins on the indexing and investigations queues) meanwhile."""
    deps = WorkerDeps(settings, pool)
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(build_worker(client, deps, "sync", sync_registration(deps)))
        if stand_ins:
            for kind, workflows in (
                ("indexing", [StandInIndexRepo, StandInDiscoverRepos]),
                ("investigations", [StandInInvestigateRepo]),
            ):
                worker = Worker(
                    client,
                    task_queue=task_queue(settings.temporal, kind),  # type: ignore[arg-type]
                    workflows=workflows,
                    workflow_runner=UnsandboxedWorkflowRunner(),
                )
                await stack.enter_async_context(worker)
        yield deps
