from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from temporalio.client import Client

from core.settings import Settings
from core.temporal.client import TemporalGateway
from tests.support.api import app_client


@pytest.fixture
async def http(settings: Settings, pool: asyncpg.Pool, temporal_client: Client) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings, pool, TemporalGateway(settings, temporal_client)) as client:
        yield client


@pytest.fixture
async def cleanup(temporal_client: Client) -> AsyncIterator[list[str]]:
    """Workflow ids a test started: terminated afterwards, pass or fail, so ids stay free for the next test."""
    ids: list[str] = []
    yield ids
    for workflow_id in ids:
        with contextlib.suppress(Exception):  # already closed
            await temporal_client.get_workflow_handle(workflow_id).terminate("test finished")
