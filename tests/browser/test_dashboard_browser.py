"""The dashboard in Debian's Chromium, against the real stack started by the test.

Each test is a task a person does: sign in and find the review a webhook produced, open its
repository's architecture, replay a delivery, change the budget, search, ask. The pages are
screenshotted along the way (docs/screenshots with UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import json
import random
import re
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from playwright.async_api import Browser, Page, expect
from starlette.routing import Route

from api.app import create_app
from api.resources import AppResources
from contracts.review import review_workflow_id
from core.temporal.client import TemporalGateway
from db.analysis import AnalysisKey, AnalysisRepository, RepositoryFacts
from tests.browser.conftest import CANARIES, Dashboard
from tests.fakes.github_diff import files_from_unified_diff
from tests.support.api import with_temporal_address
from tests.support.browser import serve
from tests.support.dashboard_history import seed_deliveries, seed_history
from tests.support.fixtures import fixture_bytes, fixture_json, github_headers
from tests.support.knowledge_world import ORDERS, QUESTION, TICKET

REPO = "Codertocat/Hello-World"
PHP = "php-sql__panique-mini__a386292_crud-update-song_PR125.diff"
PAGES = ["/admin", "/admin/reviews", "/admin/repositories", f"/admin/repositories/{ORDERS}", "/admin/rules",
         "/admin/deliveries", "/admin/usage", "/admin/search", "/admin/ask"]  # fmt: skip
ARCHITECTURE = """---
repository: Codertocat/Hello-World
commit: {commit}
---

# Architecture of Codertocat/Hello-World

## Overview

A PHP MVC application (synthetic description for tests) that lists and edits songs.

## Songs

Songs are read and written by `SongModel` (`application/model/model.php:10-40`); the edit form is
rendered by `application/views/songs/edit.php:1-20`.
"""


def _opened(number: int) -> dict[str, object]:
    event = fixture_json("github/octokit-webhooks__pull_request_opened.payload.json")
    event["number"] = event["pull_request"]["number"] = number
    return dict(event)


async def _webhook_review(dashboard: Dashboard, number: int) -> str:
    """A signed pull_request webhook through the served API; waits for its review. Returns the head."""
    event = _opened(number)
    dashboard.github.add_pull_from_event(event, files=files_from_unified_diff(fixture_bytes(f"diffs/{PHP}").decode()))
    body = json.dumps(event).encode()
    headers = github_headers(CANARIES["GITHUB_WEBHOOK_SECRET"], body, "pull_request", str(uuid.uuid4()))
    async with httpx.AsyncClient(base_url=dashboard.base_url) as http:
        response = await http.post("/api/v1/github_webhooks", content=body, headers=headers)
    assert response.status_code == 202, response.text
    await dashboard.client.get_workflow_handle(review_workflow_id(REPO, number)).result()
    return str(event["pull_request"]["head"]["sha"])  # type: ignore[index]


async def _architecture_for(dashboard: Dashboard, head_sha: str) -> None:
    facts = RepositoryFacts(REPO, "main", None, "frontend", "php")
    key = AnalysisKey(REPO, head_sha, "frontend-1", "openai/investigator")
    await AnalysisRepository(dashboard.pool).save(key, facts, "frontend", ARCHITECTURE.format(commit=head_sha), {})
    await dashboard.pool.execute(
        "UPDATE repositories SET html_url = 'https://github.com/' || full_name WHERE full_name = $1", REPO
    )


async def _shot(page: Page, directory: Path, name: str) -> None:
    await page.screenshot(path=str(directory / f"{name}.png"))


async def _no_secret_shown(page: Page) -> None:
    html = await page.content()
    for name, value in CANARIES.items():
        assert value not in html, f"{name} is on {page.url}"


async def test_signed_out_every_page_redirects_to_sign_in(browser: Browser, dashboard: Dashboard) -> None:
    page = await (await browser.new_context()).new_page()
    for path in PAGES:
        await page.goto(dashboard.base_url + path)
        where = urlsplit(page.url)
        assert where.path == "/admin/login" and f"next={path}" in where.query, path
        await expect(page.get_by_label("Admin token")).to_be_visible()


async def test_sign_in_find_the_webhooks_review_then_its_repository_and_architecture(
    browser: Browser, dashboard: Dashboard, screenshot_dir: Path
) -> None:
    await seed_history(dashboard.pool, reviews=240, days=30)
    number = random.randint(20_000, 90_000)
    head = await _webhook_review(dashboard, number)
    await _architecture_for(dashboard, head)
    page = await dashboard.signed_in_page(browser)

    await expect(page.locator("#queues")).to_contain_text("healthy")
    for kind in ("reviews", "indexing", "investigations", "sync"):
        await expect(page.locator("#queues tr", has_text=kind).locator(".badge")).to_have_text("healthy")
    await expect(page.locator("[data-drawn=true] canvas")).to_have_count(2)  # both charts drawn by uPlot
    await _shot(page, screenshot_dir, "overview")
    await _no_secret_shown(page)

    await page.get_by_role("link", name="Reviews", exact=True).click()
    await page.get_by_label("Repository").select_option(REPO)
    await page.get_by_role("button", name="Filter").click()
    row = page.locator("#review-list tbody tr", has=page.locator(f'a.pr-link:text-is("#{number}")'))
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("medium")  # the model's risk
    await expect(row).to_contain_text("posted")
    temporal = row.get_by_role("link", name="Temporal UI")
    assert quote(review_workflow_id(REPO, number), safe="") in (await temporal.get_attribute("href") or "")
    await page.goto(dashboard.base_url + "/admin/reviews")
    await _shot(page, screenshot_dir, "reviews")

    await page.goto(dashboard.base_url + f"/admin/reviews?repository={quote(REPO)}")
    await page.locator("#review-list a.repo-link").first.click()
    assert urlsplit(page.url).path == f"/admin/repositories/{REPO}"
    architecture = page.locator("#architecture")
    await expect(architecture.locator("h2#songs")).to_have_text("Songs")
    cite = architecture.get_by_role("link", name="application/views/songs/edit.php:1-20")
    expected = f"https://github.com/{REPO}/blob/{head}/application/views/songs/edit.php#L1-L20"
    assert await cite.get_attribute("href") == expected
    await _no_secret_shown(page)

    await page.goto(dashboard.base_url + f"/admin/repositories/{ORDERS}")
    await expect(page.locator("#related")).to_contain_text("acme/payments")
    await _shot(page, screenshot_dir, "repository")
    assert dashboard.console_errors == []


async def test_replay_a_pending_delivery(browser: Browser, dashboard: Dashboard, screenshot_dir: Path) -> None:
    number = random.randint(20_000, 90_000)
    event = _opened(number)
    dashboard.github.add_pull_from_event(event, files=files_from_unified_diff(fixture_bytes(f"diffs/{PHP}").decode()))
    body, delivery = json.dumps(event).encode(), f"while-down-{uuid.uuid4().hex[:8]}"
    down = with_temporal_address(dashboard.settings, "127.0.0.1:1")  # Temporal unreachable: kept as pending
    app = create_app(down, resources=AppResources(down, dashboard.pool, TemporalGateway(down)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        headers = github_headers(CANARIES["GITHUB_WEBHOOK_SECRET"], body, "pull_request", delivery)
        assert (await http.post("/api/v1/github_webhooks", content=body, headers=headers)).status_code == 503
    await seed_deliveries(dashboard.pool, pending=0, failed=1)

    page = await dashboard.signed_in_page(browser)
    await page.get_by_role("link", name="Deliveries").click()
    row = page.locator(f"#delivery-{delivery}")
    await expect(row).to_contain_text("pending")
    await _shot(page, screenshot_dir, "deliveries")
    await row.get_by_role("button", name="Replay").click()
    await expect(page.get_by_role("status")).to_have_text(f"Delivery {delivery} was started.")
    await expect(page.locator(f"#delivery-{delivery}")).to_have_count(0)
    status = await dashboard.pool.fetchval("SELECT status FROM webhook_deliveries WHERE delivery_id = $1", delivery)
    assert status == "started"
    await dashboard.client.get_workflow_handle(review_workflow_id(REPO, number)).result()
    reviewed = await dashboard.pool.fetchval(
        "SELECT status FROM review_history WHERE repository = $1 AND pr_number = $2", REPO, number
    )
    assert reviewed == "posted"


async def test_change_the_budget(browser: Browser, dashboard: Dashboard, screenshot_dir: Path) -> None:
    await seed_history(dashboard.pool, reviews=120, days=30)
    page = await dashboard.signed_in_page(browser)
    await page.get_by_role("link", name="API usage").click()
    await page.get_by_label("Monthly limit").fill("-5")
    await page.get_by_role("button", name="Save budget").click()
    await expect(page.get_by_role("alert")).to_have_text("Cannot be negative (-5).")
    assert await dashboard.pool.fetchval("SELECT count(*) FROM budget_settings") == 0
    await page.get_by_label("Monthly limit").fill("120")
    await page.get_by_label("Alert threshold").fill("90")
    await page.get_by_role("button", name="Save budget").click()
    await expect(page.get_by_role("status")).to_have_text("Monthly budget set to $120.00, alert at 90%.")
    await expect(page.locator("#budget-limit")).to_have_text("$120.00")
    await expect(page.locator("#budget-threshold")).to_have_text("90%")
    await expect(page.locator("#by-operation")).to_contain_text("review")
    await _shot(page, screenshot_dir, "usage")


async def test_index_now_then_search_finds_the_new_code(
    browser: Browser, dashboard: Dashboard, screenshot_dir: Path
) -> None:
    (dashboard.world.orders_path / "app" / "coupons.py").write_text(
        "def apply_coupon(order, code):\n    return order.total - COUPONS[code].discount\n"
    )
    dashboard.world.orders.commit("coupons")
    page = await dashboard.signed_in_page(browser)
    await page.goto(dashboard.base_url + f"/admin/repositories/{ORDERS}")
    await page.get_by_role("button", name="Index now").click()
    await expect(page.get_by_role("status")).to_have_text(f"Started IndexRepo index:{ORDERS}@main.")
    await dashboard.client.get_workflow_handle(f"index:{ORDERS}@main").result()

    await page.get_by_role("link", name="Search").click()
    await page.get_by_label("Words, an identifier or a question").fill("apply coupon discount")
    await page.get_by_role("button", name="Search").click()
    first = page.locator("#hits .hit").first
    await expect(first).to_contain_text("app/coupons.py")
    assert (await first.get_by_role("link").first.get_attribute("href") or "").startswith(
        f"https://github.com/{ORDERS}/blob/"
    )
    await page.get_by_label("Words, an identifier or a question").fill("refund gift card")
    await page.get_by_role("button", name="Search").click()
    await expect(page.locator("#hits")).to_contain_text("app/refunds.py")
    await _shot(page, screenshot_dir, "search")


async def test_ask_a_question_and_see_a_cited_answer(
    browser: Browser, dashboard: Dashboard, screenshot_dir: Path
) -> None:
    page = await dashboard.signed_in_page(browser)
    await page.get_by_role("link", name="Ask", exact=True).click()
    await page.get_by_label("Question").fill(QUESTION)
    await page.get_by_role("button", name="Ask").click()
    answer = page.locator("#answer")
    await expect(answer).to_contain_text("Partial refunds go through", timeout=30_000)
    assert re.search(r"/admin/ask/knowledge:[0-9a-f]{20}$", page.url)
    await expect(page.get_by_text(re.compile(r"Workflow knowledge:[0-9a-f]{20} · completed"))).to_be_visible()
    ticket = answer.get_by_role("link", name=TICKET)
    assert await ticket.get_attribute("href") == "https://acme.atlassian.net/browse/ORD-7"
    code = answer.locator("a.cite", has_text="acme/orders:app/")
    assert (await code.first.get_attribute("href") or "").startswith(f"https://github.com/{ORDERS}/blob/")
    await expect(answer.locator(".cite-unknown")).to_contain_text("acme/ghost:src/nowhere.py:1")
    await expect(page.locator("#evidence li").first).to_be_visible()
    await _no_secret_shown(page)
    await _shot(page, screenshot_dir, "ask")


async def test_a_forged_post_without_the_csrf_token_is_refused(browser: Browser, dashboard: Dashboard) -> None:
    page = await dashboard.signed_in_page(browser)
    forged = await page.context.request.post(dashboard.base_url + "/admin/usage/budget", form={"limit": "1"})
    assert forged.status == 403

    attacker = FastAPI(routes=[Route("/", lambda request: HTMLResponse(
        f'<form method="post" action="{dashboard.base_url}/admin/usage/budget">'
        '<input name="limit" value="1"><button>Win a prize</button></form>'
    ))])  # fmt: skip
    async with serve(attacker) as evil:
        await page.goto(evil)  # another origin on the same host: the session cookie is sent along
        await page.get_by_role("button", name="Win a prize").click()
        await expect(page.get_by_role("heading", name="Refused")).to_be_visible()
    assert await dashboard.pool.fetchval("SELECT count(*) FROM budget_settings") == 0
