"""Driving the real FastAPI app in-process over httpx."""

from __future__ import annotations

import asyncpg
import httpx

from api.app import create_app
from api.resources import AppResources
from core.settings import Settings
from core.temporal.client import TemporalGateway


def app_client(settings: Settings, pool: asyncpg.Pool, gateway: TemporalGateway) -> httpx.AsyncClient:
    app = create_app(settings, resources=AppResources(settings, pool, gateway))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def with_temporal_address(settings: Settings, address: str) -> Settings:
    return settings.model_copy(update={"temporal": settings.temporal.model_copy(update={"address": address})})
