"""The dashboard's gate: sign-in with the admin token, session cookies, CSRF, redirects, no secrets shown."""

from __future__ import annotations

import logging

import asyncpg
import httpx
import pytest
from temporalio.client import Client

from api.dashboard.session import SESSION_COOKIE
from core.settings import Settings
from core.temporal.client import TemporalGateway
from tests.support.api import app_client
from tests.support.dashboard import ADMIN_TOKEN, csrf_token, sign_in

PAGES = [
    "/admin", "/admin/reviews", "/admin/repositories", "/admin/repositories/acme/orders", "/admin/rules",
    "/admin/deliveries", "/admin/usage", "/admin/search?q=refund", "/admin/ask", "/admin/ask/knowledge:0123",
]  # fmt: skip
ACTIONS = [
    ("/admin/usage/budget", {"limit": "5"}),
    ("/admin/repositories/start", {"repository": "acme/orders", "action": "index"}),
    ("/admin/deliveries/d-1/replay", {}),
    ("/admin/ask", {"question": "why?"}),
    ("/admin/logout", {}),
]


@pytest.mark.parametrize("page", PAGES)
async def test_signed_out_every_page_redirects_to_sign_in(http: httpx.AsyncClient, page: str) -> None:
    response = await http.get(page)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/login?next=/admin")


@pytest.mark.parametrize(("action", "form"), ACTIONS)
async def test_signed_out_actions_do_nothing_and_redirect(
    http: httpx.AsyncClient, pool: asyncpg.Pool, action: str, form: dict[str, str]
) -> None:
    response = await http.post(action, data=form)
    assert response.status_code == 303 and response.headers["location"].startswith("/admin/login")
    assert await pool.fetchval("SELECT count(*) FROM budget_settings") == 0


async def test_sign_in_sets_an_http_only_strict_expiring_cookie_and_logs_who(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="pr_agent.dashboard"):
        response = await sign_in(http, name="Dana Lead")
    assert response.status_code == 303 and response.headers["location"] == "/admin"
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and SESSION_COOKIE in v).lower()
    assert (
        "httponly" in cookie and "samesite=strict" in cookie and "max-age=28800" in cookie and "path=/admin" in cookie
    )
    assert ADMIN_TOKEN not in cookie
    assert any(
        getattr(r, "actor", None) == "Dana Lead" and getattr(r, "action", None) == "sign_in" for r in caplog.records
    )
    assert (await http.get("/admin")).status_code == 200


async def test_a_wrong_token_is_refused_on_the_form(http: httpx.AsyncClient) -> None:
    response = await sign_in(http, token="not-the-token")
    assert response.status_code == 401 and "That is not the admin token." in response.text
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    assert (await http.get("/admin")).status_code == 303


async def test_a_sign_in_post_without_the_form_nonce_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.post("/admin/login", data={"token": ADMIN_TOKEN, "login_nonce": "forged"})
    assert response.status_code == 401 and "expired" in response.text
    assert (await http.get("/admin")).status_code == 303


async def test_a_tampered_session_cookie_counts_as_signed_out(http: httpx.AsyncClient) -> None:
    await sign_in(http)
    value = http.cookies[SESSION_COOKIE]
    body, mac = value.split(".")
    http.cookies.set(
        SESSION_COOKIE, body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac, path="/admin"
    )
    assert (await http.get("/admin/usage")).status_code == 303


async def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    http: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    await sign_in(http)
    refused = await http.post("/admin/usage/budget", data={"limit": "12", "threshold": "80"})
    wrong = await http.post("/admin/usage/budget", data={"limit": "12", "threshold": "80", "csrf_token": "guess"})
    assert refused.status_code == wrong.status_code == 403 and "CSRF" in refused.text
    assert await pool.fetchval("SELECT count(*) FROM budget_settings") == 0
    token = await csrf_token(http)
    cross_site = await http.post(
        "/admin/usage/budget", data={"limit": "12", "csrf_token": token}, headers={"Origin": "https://evil.example"}
    )
    assert cross_site.status_code == 403
    ok = await http.post("/admin/usage/budget", data={"limit": "12", "threshold": "80", "csrf_token": token})
    assert ok.status_code == 303
    assert await pool.fetchval("SELECT monthly_limit_usd::float8 FROM budget_settings") == 12.0


async def test_sign_in_never_redirects_off_the_dashboard(http: httpx.AsyncClient) -> None:
    form = await http.get("/admin/login?next=//evil.example/admin")
    assert 'name="next" value="/admin"' in form.text


async def test_sign_out_ends_the_session(http: httpx.AsyncClient) -> None:
    await sign_in(http)
    response = await http.post("/admin/logout", data={"csrf_token": await csrf_token(http)})
    assert response.status_code == 303
    assert (await http.get("/admin")).status_code == 303


async def test_pages_carry_a_strict_content_security_policy(http: httpx.AsyncClient) -> None:
    await sign_in(http)
    response = await http.get("/admin/usage")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY" and response.headers["cache-control"] == "no-store"


async def test_without_an_admin_token_the_dashboard_says_it_is_disabled(
    settings: Settings, pool: asyncpg.Pool, temporal_client: Client
) -> None:
    without = settings.model_copy(update={"admin": settings.admin.model_copy(update={"api_token": None})})
    async with app_client(without, pool, TemporalGateway(without, temporal_client)) as http:
        response = await http.get("/admin")
    assert response.status_code == 503 and "ADMIN_API_TOKEN" in response.text


@pytest.mark.parametrize("page", [p for p in PAGES if "acme/orders" not in p and "knowledge:" not in p])
async def test_signed_in_every_page_renders_on_an_empty_database(http: httpx.AsyncClient, page: str) -> None:
    await sign_in(http)
    response = await http.get(page)
    assert response.status_code == 200 and "Sign out" in response.text
    assert ADMIN_TOKEN not in response.text
