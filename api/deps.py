"""FastAPI dependencies: typed aliases routes declare instead of reaching for globals."""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from api.resources import AppResources
from core.settings import Settings
from core.temporal.client import TemporalGateway


async def get_resources(request: Request) -> AppResources:
    resources: AppResources = request.app.state.resources
    return resources


async def get_settings_dep(request: Request) -> Settings:
    return (await get_resources(request)).settings


async def get_pool(request: Request) -> asyncpg.Pool:
    return (await get_resources(request)).pool


async def get_temporal(request: Request) -> TemporalGateway:
    return (await get_resources(request)).temporal


ResourcesDep = Annotated[AppResources, Depends(get_resources)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
PoolDep = Annotated[asyncpg.Pool, Depends(get_pool)]
TemporalDep = Annotated[TemporalGateway, Depends(get_temporal)]
