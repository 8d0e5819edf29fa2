from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from playwright.async_api import Browser, Page, async_playwright
from temporalio.client import Client

from api.app import create_app
from api.resources import AppResources, TemporalGateway
from core.settings import Settings
from tests.support.browser import CHROMIUM_ARGS, chromium_path, serve


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    try:
        yield await context.new_page()
    finally:
        await context.close()


@pytest.fixture
async def live_api(settings: Settings, pool: asyncpg.Pool, temporal_client: Client) -> AsyncIterator[str]:
    """The real API app over HTTP, for the browser."""
    app = create_app(settings, resources=AppResources(settings, pool, TemporalGateway(settings, temporal_client)))
    async with serve(app) as url:
        yield url
