from __future__ import annotations

import asyncpg
import httpx

from core.settings import Settings
from core.temporal.client import TemporalGateway
from tests.support.api import app_client, with_temporal_address


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
    broken = with_temporal_address(settings, "127.0.0.1:1")
    async with app_client(broken, pool, TemporalGateway(broken)) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"]["ready"] is True
    assert response.json()["temporal"]["ready"] is False
