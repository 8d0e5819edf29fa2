"""SyncPackages on a real Temporal and database, PyGithub's requester talking to the GitHub fake."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
import pytest
from temporalio.client import Client

from activities.sync_packages import GONE
from contracts.common import SYNC_PACKAGES
from contracts.starts import WorkflowStart
from contracts.sync import SyncPackagesInput, SyncPackagesResult, full_sync_id
from contracts.webhooks import RoutingConfig, route_github
from core.settings import Settings
from core.temporal.client import start_workflow
from db.packages import PackageRecord, PackageRepository
from tests.fakes.github import FakeGitHub
from tests.support.fixtures import fixture_json
from tests.support.sync_stack import GITHUB_TOKEN, sync_settings, sync_stack

PUBLISHED = "github/octokit-webhooks__package_published.npm.payload.json"  # Codertocat/hello-world-npm 1.0.0


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=GITHUB_TOKEN) as fake:
        yield fake
        assert fake.server_errors == []


@pytest.fixture
def github_settings(db_dsn: str, github: FakeGitHub) -> Settings:
    return sync_settings(db_dsn, github, None, GITHUB_ORG="acme")


async def run(client: Client, settings: Settings, plan: WorkflowStart) -> SyncPackagesResult:
    handle = await start_workflow(client, settings.temporal, plan)
    typed = client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=SyncPackagesResult)
    return await typed.result()


async def test_full_sync_stores_versions_and_latest_release_and_deprecates_what_is_gone(
    temporal_client: Client, github_settings: Settings, pool: asyncpg.Pool, github: FakeGitHub
) -> None:
    github.add_package("acme", "auth", versions=["1.0.0", "1.1.0", "2.0.0-beta.1"], repository="acme/auth")
    github.add_package("acme", "logger", versions=[f"0.{n}.0" for n in range(1, 131)])  # two pages
    github.add_package("other", "elsewhere")
    packages = PackageRepository(pool)
    await packages.upsert(PackageRecord("@acme/retired", "3.0.0", ["3.0.0"]))
    full = WorkflowStart(
        workflow=SYNC_PACKAGES,
        workflow_id=full_sync_id("acme"),
        input=SyncPackagesInput(package=None, version=None, org="acme", trigger="admin"),
    )
    async with sync_stack(temporal_client, github_settings, pool, stand_ins=False):
        result = await run(temporal_client, github_settings, full)
    assert sorted(result.synced) == ["@acme/auth", "@acme/logger"] and result.deprecated == ["@acme/retired"]
    auth = await packages.get("@acme/auth")
    assert auth == PackageRecord("@acme/auth", "1.1.0", ["2.0.0-beta.1", "1.1.0", "1.0.0"], repository="acme/auth")
    logger = await packages.get("@acme/logger")
    assert logger is not None and logger.latest_version == "0.130.0" and len(logger.versions) == 130
    retired = await packages.get("@acme/retired")
    assert retired is not None and retired.deprecated and retired.deprecation_message == GONE
    assert retired.latest_version == "3.0.0"


async def test_published_webhook_syncs_one_package_and_its_announced_version_wins(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, github: FakeGitHub
) -> None:
    settings = sync_settings(db_dsn, github, None)
    github.add_package("Codertocat", "hello-world-npm", versions=["0.9.0"])  # the listing lags the event
    (plan,) = route_github("package", fixture_json(PUBLISHED), RoutingConfig(), "d-1").starts
    async with sync_stack(temporal_client, settings, pool, stand_ins=False):
        result = await run(temporal_client, settings, plan)
        github_missing = WorkflowStart(
            workflow=SYNC_PACKAGES,
            workflow_id="sync-npm:gone",
            input=SyncPackagesInput(package="gone", version=None, org="Codertocat"),
            on_conflict="fail",
        )
        missing = await run(temporal_client, settings, github_missing)
    assert result.synced == ["@codertocat/hello-world-npm"]
    stored = await PackageRepository(pool).get("@codertocat/hello-world-npm")
    assert stored is not None and (stored.latest_version, stored.versions) == ("1.0.0", ["1.0.0", "0.9.0"])
    assert missing.deprecated == ["@codertocat/gone"]
    gone = await PackageRepository(pool).get("@codertocat/gone")
    assert gone is not None and gone.deprecated and gone.latest_version is None
