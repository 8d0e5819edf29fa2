"""The "Open in Cursor / VS Code" page that inline findings link to, in a real browser."""

from __future__ import annotations

import asyncpg
import httpx
from playwright.async_api import Page

from db.reviews import ReviewRecord, ReviewRepository
from domain.findings import Finding
from domain.review.markers import finding_hash

REPO = "acme/orders"
HEAD = "0123456789abcdef0123456789abcdef01234567"
FINDING = Finding(path="src/users/auth guard.ts", line=42, severity="high", rule_id="llm/bug", message="m")


async def _posted(pool: asyncpg.Pool, number: int = 7) -> str:
    reviews = ReviewRepository(pool)
    await reviews.record(
        ReviewRecord(REPO, number, HEAD, "posted", "webhook", pr_url=f"https://github.com/{REPO}/pull/{number}")
    )
    await reviews.store_posted_markers(REPO, number, HEAD, [FINDING])
    return f"/ide/{REPO}/pull/{number}/{finding_hash(FINDING)}"


async def test_the_page_asks_for_the_checkout_once_and_opens_the_line_in_either_editor(
    page: Page, live_api: str, pool: asyncpg.Pool
) -> None:
    url = live_api + await _posted(pool)
    await page.goto(url)
    assert await page.is_visible("#ask")
    await page.fill("#checkout", "/home/dev/src/orders/")
    await page.click("#ask button")
    expected = "file/home/dev/src/orders/src/users/auth%20guard.ts:42"
    assert await page.get_attribute("#open-cursor", "href") == f"cursor://{expected}"
    assert await page.get_attribute("#open-vscode", "href") == f"vscode://{expected}"

    await page.goto(url)  # remembered: no question the second time
    assert not await page.is_visible("#ask")
    assert await page.text_content("#current") == "/home/dev/src/orders/"
    assert await page.get_attribute("#open-cursor", "href") == f"cursor://{expected}"


async def test_web_fallbacks_point_at_the_reviewed_head(page: Page, live_api: str, pool: asyncpg.Pool) -> None:
    await page.goto(live_api + await _posted(pool))
    vscode_dev = await page.get_attribute("#web-vscode-dev", "href")
    assert vscode_dev == f"https://vscode.dev/github/{REPO}/blob/{HEAD}/src/users/auth%20guard.ts#L42"
    assert await page.get_attribute("#web-blob", "href") == (
        f"https://github.com/{REPO}/blob/{HEAD}/src/users/auth%20guard.ts#L42"
    )


async def test_a_relative_or_scheme_folder_is_refused(page: Page, live_api: str, pool: asyncpg.Pool) -> None:
    await page.goto(live_api + await _posted(pool))
    for bad in ("src/orders", "javascript://x/alert(1)"):
        await page.fill("#checkout", bad)
        await page.click("#ask button")
        assert await page.is_visible("#ask")
        assert "absolute path" in (await page.text_content("#checkout-error") or "")


async def test_windows_checkouts_get_a_drive_letter_target(page: Page, live_api: str, pool: asyncpg.Pool) -> None:
    await page.goto(live_api + await _posted(pool))
    await page.fill("#checkout", "C:\\src\\orders")
    await page.click("#ask button")
    assert (
        await page.get_attribute("#open-vscode", "href") == "vscode://file/C%3A/src/orders/src/users/auth%20guard.ts:42"
    )


async def test_only_findings_of_a_reviewed_pull_request_open(live_api: str, pool: asyncpg.Pool) -> None:
    path = await _posted(pool)
    async with httpx.AsyncClient(base_url=live_api) as http:
        assert (await http.get(path)).status_code == 200
        other_pr = path.replace("/pull/7/", "/pull/8/")
        assert (await http.get(other_pr)).status_code == 404
        unknown = path.rsplit("/", 1)[0] + "/" + "f" * 16
        assert (await http.get(unknown)).status_code == 404
        assert (await http.get(path + "?editor=https://evil.example")).status_code == 400
        assert (await http.get(f"/ide/acme/..%2F..%2Fetc/pull/7/{finding_hash(FINDING)}")).status_code in (400, 404)
        page = (await http.get(path + "?editor=cursor")).text
        assert "evil" not in page and "<script" in page
