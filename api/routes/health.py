"""Liveness and readiness."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import PoolDep, TemporalDep

router = APIRouter(tags=["health"])


class ComponentStatus(BaseModel):
    ready: bool
    detail: str


class ReadinessResponse(BaseModel):
    ready: bool
    database: ComponentStatus
    temporal: ComponentStatus


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/readyz", response_model=ReadinessResponse)
async def readyz(pool: PoolDep, temporal: TemporalDep) -> JSONResponse:
    """The database and Temporal are reachable; 503 naming the one that is not."""
    database, server = await asyncio.gather(_check_database(pool), _check_temporal(temporal))
    body = ReadinessResponse(ready=database.ready and server.ready, database=database, temporal=server)
    return JSONResponse(body.model_dump(), status_code=200 if body.ready else 503)


async def _check_database(pool: PoolDep) -> ComponentStatus:
    try:
        version = await asyncio.wait_for(pool.fetchval("SHOW server_version"), timeout=3)
        return ComponentStatus(ready=True, detail=f"PostgreSQL {version}")
    except Exception as error:
        return ComponentStatus(ready=False, detail=f"{type(error).__name__}: {error}")


async def _check_temporal(temporal: TemporalDep) -> ComponentStatus:
    try:
        client = await temporal.get()
        await asyncio.wait_for(client.service_client.check_health(), timeout=3)
        return ComponentStatus(ready=True, detail=f"{temporal.settings.temporal.address} namespace {client.namespace}")
    except Exception as error:
        return ComponentStatus(ready=False, detail=f"{type(error).__name__}: {error}")
