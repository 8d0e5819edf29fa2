"""The Auto-fix link: a GET only confirms; the confirmed form, from its own page, starts the fix once."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest
from temporalio.client import Client
from temporalio.service import RPCError

from contracts.autofix import autofix_workflow_id
from core.temporal.client import TemporalGateway
from domain.autofix.links import LinkClaims, link_url
from tests.support.api import app_client
from tests.support.settings import make_settings

SECRET = "test-autofix-link-secret"


@pytest.fixture
def claims() -> LinkClaims:
    repository = f"acme/shop-{uuid.uuid4().hex[:8]}"  # its own workflow id per test
    return LinkClaims(repository, 7, "F2", "0123456789abcdef", "a" * 40, int(time.time()) + 3600)


@pytest.fixture
async def link_http(db_dsn: str, pool: asyncpg.Pool, temporal_client: Client) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(db_dsn, AUTOFIX_LINK_SECRET=SECRET, AUTOFIX_LINK_BASE_URL="http://test")
    async with app_client(settings, pool, TemporalGateway(settings, temporal_client)) as client:
        yield client


def path_of(claims: LinkClaims, secret: str = SECRET) -> str:
    url = urlsplit(link_url("http://test", secret, claims))
    return f"{url.path}?{url.query}"


def form_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))


async def started(client: Client, claims: LinkClaims) -> bool:
    try:
        await client.get_workflow_handle(autofix_workflow_id(claims.repository, claims.number)).describe()
    except RPCError:
        return False
    return True


async def test_opening_the_link_confirms_and_starts_nothing(
    link_http: httpx.AsyncClient, temporal_client: Client, claims: LinkClaims
) -> None:
    response = await link_http.get(path_of(claims))
    assert response.status_code == 200
    assert "Auto-fix F2?" in response.text and '<form method="post" action="autofix">' in response.text
    assert (
        response.headers["x-frame-options"] == "DENY"
        and "frame-ancestors 'none'" in response.headers["content-security-policy"]
    )
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/autofix" in cookie
    assert form_of(response.text)["nonce"] in cookie
    assert not await started(temporal_client, claims)


async def test_the_confirmed_form_starts_the_fix_once(
    link_http: httpx.AsyncClient, temporal_client: Client, claims: LinkClaims, cleanup: list[str]
) -> None:
    cleanup.append(autofix_workflow_id(claims.repository, claims.number))
    form = form_of((await link_http.get(path_of(claims))).text)
    response = await link_http.post("/autofix", data=form)
    assert response.status_code == 202 and "Auto-fix started" in response.text
    assert await started(temporal_client, claims)
    handle = temporal_client.get_workflow_handle(autofix_workflow_id(claims.repository, claims.number))
    events = [e async for e in handle.fetch_history_events()]
    signals = [e for e in events if e.HasField("workflow_execution_signaled_event_attributes")]
    assert len(signals) == 1
    request = json.loads(signals[0].workflow_execution_signaled_event_attributes.input.payloads[0].data)
    assert (request["trigger"], request["marker"], request["requester"]) == ("link", claims.marker, None)
    assert request["request_id"].startswith("link-")
    again = await link_http.post("/autofix", data=form_of((await link_http.get(path_of(claims))).text))
    assert again.status_code == 202
    events = [e async for e in handle.fetch_history_events()]
    signals_again = [e for e in events if e.HasField("workflow_execution_signaled_event_attributes")]
    second = json.loads(signals_again[-1].workflow_execution_signaled_event_attributes.input.payloads[0].data)
    assert second["request_id"] == request["request_id"]  # the workflow answers a request id once


async def test_a_form_posted_without_its_cookie_is_refused(
    link_http: httpx.AsyncClient, temporal_client: Client, claims: LinkClaims
) -> None:
    form = form_of((await link_http.get(path_of(claims))).text)
    link_http.cookies.clear()  # as a form posted from another site arrives: no SameSite=Strict cookie
    response = await link_http.post("/autofix", data=form)
    assert response.status_code == 403 and "did not come from this page" in response.text
    assert not await started(temporal_client, claims)


@pytest.mark.parametrize("change", ["tampered", "expired", "other key"])
async def test_links_that_are_not_ours_or_too_old_are_refused(
    link_http: httpx.AsyncClient, temporal_client: Client, claims: LinkClaims, change: str
) -> None:
    if change == "tampered":
        path = path_of(claims).replace("finding=F2", "finding=F3")
    elif change == "expired":
        path = path_of(replace(claims, expires=int(time.time()) - 1))
    else:
        path = path_of(claims, secret="somebody-elses-secret")
    response = await link_http.get(path)
    assert response.status_code == 403
    assert ("expired" in response.text) == (change == "expired")
    assert not await started(temporal_client, claims)


async def test_without_a_link_secret_there_are_no_links(http: httpx.AsyncClient, claims: LinkClaims) -> None:
    assert (await http.get(path_of(claims))).status_code == 404
    assert (await http.post("/autofix", data={"repo": "a/b"})).status_code == 404
