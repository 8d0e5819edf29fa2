from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from temporalio.client import Client

from api.app import create_app
from api.resources import AppResources, TemporalGateway
from core.settings import Settings


@pytest.fixture
async def http(settings: Settings, pool: asyncpg.Pool, temporal_client: Client) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, resources=AppResources(settings, pool, TemporalGateway(settings, temporal_client)))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_healthz_answers(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_readyz_reports_database_and_temporal(http: httpx.AsyncClient) -> None:
    response = await http.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"]["ready"] and "PostgreSQL 18" in body["database"]["detail"]
    assert body["temporal"]["ready"]


async def test_readyz_names_unreachable_temporal(settings: Settings, pool: asyncpg.Pool) -> None:
    broken = settings.model_copy(update={"temporal": settings.temporal.model_copy(update={"address": "127.0.0.1:1"})})
    app = create_app(broken, resources=AppResources(broken, pool, TemporalGateway(broken)))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"]["ready"] is True
    assert response.json()["temporal"]["ready"] is False
