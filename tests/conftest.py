"""Session-wide real services: one embedded PostgreSQL and one Temporal dev server for the run.

Each test gets its own database, created from a migrated template (fast, isolated), and its own
task-queue names, so tests never see each other's rows or workflows.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # litellm must never reach the network
# The suite never touches the user's data home: this process, and every process it starts, get their own.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="pr-agent-test-home-")
os.environ["PR_AGENT_DATA_DIR"] = os.path.join(os.environ["XDG_DATA_HOME"], "pr-agent")

import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from cli.temporal_dev import temporal_binary
from core.settings import Settings
from db.embedded import DatabaseHandle, start_embedded
from db.migrate import apply_migrations
from db.pool import create_pool
from tests.support.search_attributes import KEYS
from tests.support.settings import make_settings

TEMPLATE_DB = "pragent_template"
TEST_DATA_HOME = os.environ["XDG_DATA_HOME"]


@pytest.fixture(scope="session", autouse=True)
def _remove_test_data_home() -> Iterator[None]:
    yield
    shutil.rmtree(TEST_DATA_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[DatabaseHandle]:
    # Not under pytest's tmp_path: pytest prunes old base dirs, and a concurrent pytest run would
    # delete a live data directory. The server runs as another user, so the dir must be traversable.
    data_dir = Path(tempfile.mkdtemp(prefix="pr-agent-test-pg-"))
    data_dir.chmod(0o755)
    handle = start_embedded(data_dir)
    yield handle
    handle.close()
    shutil.rmtree(data_dir, ignore_errors=True)


def dsn_for(server: DatabaseHandle, database: str) -> str:
    return server.dsn.replace("/postgres?", f"/{database}?", 1)


@pytest.fixture(scope="session")
async def migrated_template(pg_server: DatabaseHandle) -> str:
    admin = await asyncpg.connect(pg_server.dsn)
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE_DB}")
        await admin.execute(f"CREATE DATABASE {TEMPLATE_DB}")
    finally:
        await admin.close()
    await apply_migrations(dsn_for(pg_server, TEMPLATE_DB))
    return TEMPLATE_DB


async def create_database(pg_server: DatabaseHandle, template: str | None) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(pg_server.dsn)
    try:
        clause = f" TEMPLATE {template}" if template else ""
        await admin.execute(f"CREATE DATABASE {name}{clause}")
    finally:
        await admin.close()
    return name


@pytest.fixture
async def empty_dsn(pg_server: DatabaseHandle) -> str:
    """A brand-new database with nothing in it (for migration tests)."""
    return dsn_for(pg_server, await create_database(pg_server, None))


@pytest.fixture
async def db_dsn(pg_server: DatabaseHandle, migrated_template: str) -> str:
    """A fresh database with every migration applied."""
    return dsn_for(pg_server, await create_database(pg_server, migrated_template))


@pytest.fixture
async def pool(db_dsn: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(db_dsn)
    yield pool
    await pool.close()


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        search_attributes=KEYS,
        dev_server_extra_args=["--ui-disable-news-fetch"],
    )
    yield env
    await env.shutdown()


@pytest.fixture
def temporal_client(temporal_env: WorkflowEnvironment) -> Client:
    return temporal_env.client


@pytest.fixture
def settings(db_dsn: str) -> Settings:
    return make_settings(db_dsn)
