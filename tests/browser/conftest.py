"""The browser tests' stacks: a real app served over HTTP (alone, or with workers on every queue), Chromium.

Everything real but the outside services: Temporal (the session's dev server), PostgreSQL (a fresh
database per test), the API served by uvicorn, workers for all four queues; GitHub and the model
provider are the local stand-ins in tests/fakes. Secrets are distinctive canaries, so a page that
showed one would be caught.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect
from temporalio.client import Client

from api.app import create_app
from api.resources import AppResources
from contracts.common import QUEUE_KINDS
from core.settings import Settings
from core.temporal.client import TemporalGateway
from domain.knowledge.prompt import SYSTEM as KNOWLEDGE_SYSTEM
from tests.fakes.github import FakeGitHub
from tests.fakes.llm import FakeLLM
from tests.support.browser import CHROMIUM_ARGS, chromium_path, serve
from tests.support.knowledge_world import KnowledgeWorld, citing_answer, seed_knowledge_world
from tests.support.review_harness import llm_answer
from tests.support.settings import make_settings
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

CANARIES = {
    "ADMIN_API_TOKEN": "admin-browser-CANARY-7d41c9",
    "LLM_API_KEY": "sk-browser-CANARY-2b8e51",
    "GITHUB_USER_TOKEN": "ghp_browserCANARY93af",
    "GITHUB_WEBHOOK_SECRET": "whsec-browser-CANARY-c0de",
}
ROOT = Path(__file__).resolve().parents[2]


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


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots with UPDATE_SCREENSHOTS=1 (to commit them); a temporary folder otherwise."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        return ROOT / "docs" / "screenshots"
    return tmp_path_factory.mktemp("screenshots")


def answer_like_a_model(body: dict[str, Any]) -> str:
    """The model stand-in: a cited answer for the Knowledge Assistant, a JSON review otherwise."""
    if body["messages"][0]["content"] == KNOWLEDGE_SYSTEM:
        return citing_answer(body)
    return llm_answer("Adds editing of songs; the edit view echoes request values unescaped.", risk="medium")


@dataclass
class Dashboard:
    base_url: str
    settings: Settings
    pool: asyncpg.Pool
    client: Client
    github: FakeGitHub
    llm: FakeLLM
    world: KnowledgeWorld
    console_errors: list[str] = field(default_factory=list)

    async def signed_in_page(self, browser: Browser, name: str = "Dana Lead") -> Page:
        page = await (await browser.new_context(viewport={"width": 1280, "height": 860})).new_page()
        # A script or style the Content-Security-Policy blocks shows up here, as does any script error.
        page.on(
            "console", lambda message: self.console_errors.append(message.text) if message.type == "error" else None
        )
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        await page.goto(self.base_url + "/admin")
        await page.get_by_label("Your name").fill(name)
        await page.get_by_label("Admin token").fill(CANARIES["ADMIN_API_TOKEN"])
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        return page


@pytest.fixture
async def dashboard(
    db_dsn: str, pool: asyncpg.Pool, temporal_client: Client, tmp_path: Path
) -> AsyncIterator[Dashboard]:
    with (
        FakeGitHub(token=CANARIES["GITHUB_USER_TOKEN"]) as github,
        FakeLLM(api_key=CANARIES["LLM_API_KEY"], responder=answer_like_a_model) as llm,
    ):
        settings = make_settings(
            db_dsn, GITHUB_API_URL=github.url, LLM_MODEL="openai/assistant", LLM_API_BASE=llm.url + "/v1",
            LLM_TIMEOUT_SECONDS="5", TEMPORAL_UI_URL="http://127.0.0.1:8233", PR_AGENT_DATA_DIR=str(tmp_path / "data"),
            REPO_CACHE_DIR=str(tmp_path / "clones"), **CANARIES,
        )  # fmt: skip
        world = await seed_knowledge_world(pool, tmp_path / "repos")
        deps = WorkerDeps(settings, pool)
        async with AsyncExitStack() as stack:
            for kind in QUEUE_KINDS:
                await stack.enter_async_context(build_worker(temporal_client, deps, kind, REGISTRATIONS[kind](deps)))
            resources = AppResources(settings, pool, TemporalGateway(settings, temporal_client))
            base_url = await stack.enter_async_context(serve(create_app(settings, resources=resources)))
            yield Dashboard(base_url, settings, pool, temporal_client, github, llm, world)
