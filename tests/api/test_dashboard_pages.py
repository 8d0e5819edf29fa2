"""Dashboard pages over real data: filters, bad input shown back on the form, actions, the ask API."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
from temporalio.client import Client

from api.routes import dashboard_knowledge
from contracts.indexing import IndexRepoInput
from core.settings import Settings
from db.reviews import ReviewRecord, ReviewRepository
from domain.findings import Finding
from tests.support.dashboard import csrf_token, sign_in
from tests.support.knowledge_world import ORDERS, QUESTION, seed_knowledge_world
from tests.support.temporal_history import started_with
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

AUTH = {"Authorization": "Bearer test-admin-token"}


async def _review(
    pool: asyncpg.Pool, repo: str, number: int, author: str, risk: str | None, rule: str, review_type: str = "review"
) -> None:
    reviews = ReviewRepository(pool)
    finding = Finding("app/x.py", 3, "high", rule, "something")
    await reviews.record(
        ReviewRecord(repo, number, f"{number:040d}", "posted", "webhook", findings=(finding,), risk=risk,
                     workflow_id=f"review:{repo}#{number}", run_id="run-1", cost_usd=0.0123, tokens_in=900,
                     pr_url=f"https://github.com/{repo}/pull/{number}", review_type=review_type)
    )  # fmt: skip
    await reviews.record_pull_request_activity(repo, number, f"Change {number}", author, "", "b", f"{number:040d}")
    await reviews.store_posted_markers(repo, number, f"{number:040d}", [finding])


def listed(page: str) -> set[str]:
    """The pull requests a review list shows, as owner/repo#n."""
    table = page.split('id="review-list"')[1]
    return {f"{repo}#{n}" for repo, n in re.findall(r'href="https://github.com/([^"]+)/pull/(\d+)"', table)}


async def test_review_list_filters_by_repository_author_and_risk(http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    await _review(pool, "acme/orders", 1, "dana", "high", "php.sql-injection")
    await _review(pool, "acme/orders", 2, "lee", None, "js.console-log")
    await _review(pool, "acme/web", 3, "dana", "low", "js.console-log")
    await sign_in(http)
    everything = (await http.get("/admin/reviews")).text
    assert listed(everything) == {"acme/orders#1", "acme/orders#2", "acme/web#3"} and "(3)" in everything
    by_author = (await http.get("/admin/reviews", params={"author": "dana"})).text
    assert listed(by_author) == {"acme/orders#1", "acme/web#3"}
    unassessed = (await http.get("/admin/reviews", params={"risk": "not assessed"})).text
    assert listed(unassessed) == {"acme/orders#2"}
    one_repo = (await http.get("/admin/reviews", params={"repository": "acme/web", "risk": "low"})).text
    assert listed(one_repo) == {"acme/web#3"}
    assert "/workflows/review%3Aacme%2Fweb%233/run-1/history" in one_repo  # the Temporal UI link


async def test_a_pull_requests_other_runs_are_not_counted_as_reviews(
    http: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    await _review(pool, "acme/orders", 1, "dana", "high", "js.console-log")
    await _review(pool, "acme/orders", 1, "dana", None, "js.console-log", review_type="improve")  # same head
    assert await pool.fetchval("SELECT count(*) FROM review_history") == 2
    await sign_in(http)
    page = (await http.get("/admin/reviews")).text
    assert listed(page) == {"acme/orders#1"} and "(1)" in page
    rules = (await http.get("/admin/rules")).text
    row = rules.split("<code>js.console-log</code>")[1].split("</tr>")[0]
    assert '<td class="num">1</td><td class="num">1</td>' in row  # found once: not the /improve run's too


async def test_a_bad_date_filter_is_shown_not_a_500(http: httpx.AsyncClient) -> None:
    await sign_in(http)
    response = await http.get("/admin/reviews", params={"since": "last tuesday", "page": "x"})
    assert response.status_code == 400 and "is not a date" in response.text


async def test_rules_page_counts_found_and_posted_and_says_feedback_is_not_collected(
    http: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    await _review(pool, "acme/orders", 1, "dana", "high", "js.console-log")
    await _review(pool, "acme/orders", 2, "dana", "high", "js.console-log")
    await sign_in(http)
    page = (await http.get("/admin/rules")).text
    row = page.split("<code>js.console-log</code>")[1].split("</tr>")[0]
    assert '<td class="num">2</td><td class="num">2</td>' in row
    assert "does not collect feedback" in page


async def test_a_negative_budget_is_shown_back_on_the_form_with_its_reason(
    http: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    await sign_in(http)
    token = await csrf_token(http)
    negative = await http.post("/admin/usage/budget", data={"limit": "-5", "threshold": "80", "csrf_token": token})
    assert negative.status_code == 400 and "Cannot be negative (-5)." in negative.text and 'value="-5"' in negative.text
    words = await http.post("/admin/usage/budget", data={"limit": "ten", "threshold": "150", "csrf_token": token})
    assert "&#39;ten&#39; is not a number." in words.text and "Must be between 1 and 100" in words.text
    assert await pool.fetchval("SELECT count(*) FROM budget_settings") == 0
    saved = await http.post("/admin/usage/budget", data={"limit": "250", "threshold": "75", "csrf_token": token})
    assert saved.status_code == 303
    page = (await http.get("/admin/usage")).text
    assert "Monthly budget set to $250.00, alert at 75%." in page and "$250.00" in page
    row = await pool.fetchrow(
        "SELECT monthly_limit_usd::float8 AS l, alert_threshold::float8 AS t FROM budget_settings"
    )
    assert (row["l"], row["t"]) == (250.0, 0.75)


async def test_index_now_for_an_unknown_or_malformed_repository_is_shown_on_the_form(http: httpx.AsyncClient) -> None:
    await sign_in(http)
    token = await csrf_token(http, "/admin/repositories")
    unknown = await http.post(
        "/admin/repositories/start", data={"repository": "acme/nope", "action": "index", "csrf_token": token}
    )
    assert unknown.status_code == 400 and "acme/nope is not registered" in unknown.text
    malformed = await http.post(
        "/admin/repositories/start", data={"repository": "../etc", "action": "index", "csrf_token": token}
    )
    assert malformed.status_code == 400 and "write it as owner/name" in malformed.text
    spaced = await http.post(
        "/admin/repositories/start", data={"repository": "acme orders", "action": "index", "csrf_token": token}
    )
    assert spaced.status_code == 400 and "&#39;acme orders&#39; is not a repository name" in spaced.text


async def test_index_now_starts_index_repo_through_the_admin_start_path(
    http: httpx.AsyncClient, pool: asyncpg.Pool, temporal_client: Client, cleanup: list[str]
) -> None:
    repo = f"acme/svc-{uuid.uuid4().hex[:8]}"
    await pool.execute(
        "INSERT INTO repositories (full_name, owner, name, default_branch) VALUES ($1, 'acme', $2, 'trunk')",
        repo,
        repo.split("/")[1],
    )
    await sign_in(http)
    token = await csrf_token(http, "/admin/repositories")
    response = await http.post(
        "/admin/repositories/start", data={"repository": repo, "action": "index", "csrf_token": token}
    )
    cleanup.append(f"index:{repo}@trunk")
    assert response.status_code == 303 and response.headers["location"] == f"/admin/repositories/{repo}"
    workflow_type, started = await started_with(temporal_client, f"index:{repo}@trunk", IndexRepoInput)
    assert workflow_type == "IndexRepo" and started.trigger == "admin"
    page = (await http.get(response.headers["location"])).text
    assert f"Started IndexRepo index:{repo}@trunk." in page


async def test_search_across_repositories_and_a_bad_repository_filter(
    http: httpx.AsyncClient, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    await seed_knowledge_world(pool, tmp_path)
    await sign_in(http)
    page = (await http.get("/admin/search", params={"q": "refund gift card"})).text
    assert "app/refunds.py" in page and "https://github.com/acme/orders/blob/" in page
    other = (await http.get("/admin/search", params={"q": "ledger entries", "repo": "acme/payments"})).text
    assert "src/ledger.service.ts" in other and "app/refunds.py" not in other
    bad = await http.get("/admin/search", params={"q": "x", "repo": "acme/none"})
    assert bad.status_code == 400 and "acme/none is not a registered repository." in bad.text


async def test_repository_page_renders_the_architecture_with_linked_citations(
    http: httpx.AsyncClient, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    world = await seed_knowledge_world(pool, tmp_path)
    await sign_in(http)
    page = (await http.get(f"/admin/repositories/{ORDERS}")).text
    blob = f"https://github.com/{ORDERS}/blob/{world.orders_commit}/app/refunds.py#L6-L13"
    assert f'<a class="cite" href="{blob}">app/refunds.py:6-13</a>' in page
    assert '<h2 id="refunds">Refunds</h2>' in page
    assert '<a href="/admin/repositories/acme/payments">acme/payments</a>' in page  # related repositories
    missing = await http.get("/admin/repositories/acme/none")
    assert missing.status_code == 404 and "acme/none is not registered." in missing.text


async def test_admin_api_ask_answers_with_the_ranked_evidence_without_a_model(
    http: httpx.AsyncClient, pool: asyncpg.Pool, temporal_client: Client, settings: Settings, tmp_path: Path
) -> None:
    await seed_knowledge_world(pool, tmp_path)
    assert (await http.post("/api/v1/admin/ask", json={"question": QUESTION})).status_code == 401
    empty = await http.post("/api/v1/admin/ask", json={"question": "   "}, headers=AUTH)
    assert empty.status_code == 400 and empty.json()["error"] == "invalid_question"
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
        response = await http.post("/api/v1/admin/ask", json={"question": QUESTION}, headers=AUTH)
    body = response.json()
    assert response.status_code == 200 and body["workflow_id"].startswith("knowledge:")
    assert body["answer"] is None and "no LLM is configured" in body["llm_skipped_reason"]
    top = {e["ref"] for e in body["evidence"][:4]}
    assert top == {"ORD-7", "acme/orders#42", "acme/orders:architecture#refunds", "acme/orders:app/refunds.py:6-13"}


async def test_a_question_still_being_answered_shows_a_page_that_refreshes_itself(
    http: httpx.AsyncClient, temporal_client: Client, cleanup: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard_knowledge, "ANSWER_WAIT_SECONDS", 0.3)
    await sign_in(http)
    token = await csrf_token(http, "/admin/ask")
    too_long = await http.post("/admin/ask", data={"question": "why " * 600, "csrf_token": token})
    assert too_long.status_code == 400 and "A question is at most 2000 characters" in too_long.text
    asked = await http.post("/admin/ask", data={"question": QUESTION, "csrf_token": token})  # no worker serves it
    location = asked.headers["location"]
    cleanup.append(location.removeprefix("/admin/ask/"))
    assert asked.status_code == 303 and location.startswith("/admin/ask/knowledge:")
    page = await http.get(location)
    assert page.status_code == 200 and "Still working" in page.text and 'http-equiv="refresh"' in page.text
    unknown = await http.get("/admin/ask/review:acme/orders#1")
    assert unknown.status_code == 404
