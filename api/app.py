"""The FastAPI application factory; the lifespan owns the pool and the Temporal gateway."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.dashboard.install import install_dashboard
from api.errors import install_error_handlers
from api.resources import AppResources
from api.routes import admin, autofix, editor, health, metrics, rules, webhooks
from core.settings import Settings
from core.telemetry import instrument_app
from core.temporal.client import TemporalGateway
from db.pool import create_pool

log = logging.getLogger(__name__)


def warn_about_unsigned_webhooks(settings: Settings) -> None:
    if settings.admin.allow_unsigned_webhooks:
        unsigned = [
            name
            for name, secret in (("GitHub", settings.github.webhook_secret), ("Jira", settings.jira.webhook_secret))
            if secret is None
        ]
        if unsigned:
            log.warning(
                "!!! ALLOW_UNSIGNED_WEBHOOKS is on and %s webhooks have no secret: anyone can start work. "
                "Local development only. !!!",
                " and ".join(unsigned),
            )


def create_app(settings: Settings, dsn: str | None = None, resources: AppResources | None = None) -> FastAPI:
    """Build the app. Tests pass ready `resources`; servers pass a `dsn` and let the lifespan open them."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warn_about_unsigned_webhooks(settings)
        if resources is not None:
            yield
            return
        if dsn is None:
            raise RuntimeError("create_app needs a dsn or resources")
        pool = await create_pool(dsn, settings.database)
        app.state.resources = AppResources(settings, pool, TemporalGateway(settings))
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(
        title="PR Agent",
        version="0.1.0",
        description="Webhook intake and admin API of the PR Agent review service.",
        lifespan=lifespan,
    )
    if resources is not None:
        app.state.resources = resources  # usable without running the lifespan (in-process test clients)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(webhooks.router)
    app.include_router(admin.router)
    app.include_router(autofix.router)
    app.include_router(rules.router)
    app.include_router(editor.router)
    app.include_router(metrics.router)
    install_dashboard(app)
    instrument_app(app)
    return app
