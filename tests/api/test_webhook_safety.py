"""Bad input gets a clear 4xx and leaves nothing behind; duplicates and outages lose nothing."""

from __future__ import annotations

import json

import asyncpg
import httpx
import pytest
from temporalio.client import Client

from core.settings import Settings
from core.temporal.client import TemporalGateway
from domain.webhooks.signatures import sign
from intake.webhooks import replay_open_deliveries
from tests.support.api import app_client, with_temporal_address
from tests.support.fixtures import fixture_bytes, github_headers
from tests.support.temporal_history import signals_received

SECRET = "test-webhook-secret"
APP = "/api/v1/github_webhooks"
OPENED = "github/octokit-webhooks__pull_request_opened.payload.json"


async def delivery_count(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT count(*) FROM webhook_deliveries"))


async def test_same_delivery_twice_starts_one_workflow(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client, pool: asyncpg.Pool
) -> None:
    body = fixture_bytes(OPENED)
    headers = github_headers(SECRET, body, "pull_request", "delivery-dup-1")
    first = await http.post(APP, content=body, headers=headers)
    second = await http.post(APP, content=body, headers=headers)
    assert first.status_code == 202 and second.status_code == 200
    assert second.json()["status"] == "duplicate"
    assert second.json()["workflow_ids"] == first.json()["workflow_ids"]
    workflow_id = first.json()["workflow_ids"][0]
    assert await signals_received(temporal_client, workflow_id) == ["new_head"]  # one start, one signal
    assert await delivery_count(pool) == 1
    cleanup.append(workflow_id)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"X-Hub-Signature-256": "sha256=" + "0" * 64}, 401),
        ({}, 401),
    ],
)
async def test_bad_or_missing_signature_is_401_and_nothing_recorded(
    http: httpx.AsyncClient, pool: asyncpg.Pool, headers: dict[str, str], status: int
) -> None:
    body = fixture_bytes(OPENED)
    response = await http.post(
        APP, content=body, headers={"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "d1", **headers}
    )
    assert response.status_code == status
    assert response.json()["error"] == "invalid_signature"
    assert await delivery_count(pool) == 0


async def test_oversize_body_is_413(settings: Settings, pool: asyncpg.Pool, temporal_client: Client) -> None:
    small = settings.model_copy(update={"admin": settings.admin.model_copy(update={"webhook_max_body_bytes": 2048})})
    body = fixture_bytes(OPENED)
    async with app_client(small, pool, TemporalGateway(small, temporal_client)) as http:
        response = await http.post(APP, content=body, headers=github_headers(SECRET, body, "pull_request", "big"))
    assert response.status_code == 413
    assert await delivery_count(pool) == 0


async def test_broken_json_is_400(http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    body = b'{"action": "opened", '
    response = await http.post(APP, content=body, headers=github_headers(SECRET, body, "pull_request", "broken"))
    assert response.status_code == 400 and response.json()["error"] == "invalid_json"
    assert await delivery_count(pool) == 0


async def test_wrong_shape_is_400_with_reason(http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    payload = json.loads(fixture_bytes(OPENED))
    del payload["pull_request"]["head"]
    body = json.dumps(payload).encode()
    response = await http.post(APP, content=body, headers=github_headers(SECRET, body, "pull_request", "shape"))
    assert response.status_code == 400
    assert "pull_request.head" in response.json()["detail"]
    assert await delivery_count(pool) == 0


async def test_unknown_event_is_ignored_explicitly(http: httpx.AsyncClient) -> None:
    body = b'{"action": "created"}'
    response = await http.post(APP, content=body, headers=github_headers(SECRET, body, "deployment", "dep-1"))
    assert response.status_code == 202
    assert response.json()["status"] == "ignored" and "deployment" in response.json()["reason"]


async def test_unsigned_webhooks_refused_unless_explicitly_allowed(settings: Settings, pool: asyncpg.Pool) -> None:
    no_secret = settings.model_copy(update={"github": settings.github.model_copy(update={"webhook_secret": None})})
    body = fixture_bytes("github/octokit-webhooks__ping_payload.json")
    headers = {"X-GitHub-Event": "ping", "X-GitHub-Delivery": "p1"}
    async with app_client(no_secret, pool, TemporalGateway(no_secret)) as http:
        assert (await http.post(APP, content=body, headers=headers)).status_code == 401
    allowed = no_secret.model_copy(
        update={"admin": no_secret.admin.model_copy(update={"allow_unsigned_webhooks": True})}
    )
    async with app_client(allowed, pool, TemporalGateway(allowed)) as http:
        assert (await http.post(APP, content=body, headers=headers)).status_code == 202


async def test_temporal_down_keeps_delivery_pending_then_replay_starts_it_once(
    cleanup: list[str], settings: Settings, pool: asyncpg.Pool, temporal_client: Client
) -> None:
    down = with_temporal_address(settings, "127.0.0.1:1")
    body = fixture_bytes("github/octokit-webhooks__pull_request_reopened.payload.json")
    async with app_client(down, pool, TemporalGateway(down)) as http:
        response = await http.post(APP, content=body, headers=github_headers(SECRET, body, "pull_request", "down-1"))
    assert response.status_code == 503 and response.json()["status"] == "pending"
    row = await pool.fetchrow("SELECT status, error FROM webhook_deliveries WHERE delivery_id = 'down-1'")
    assert row["status"] == "pending" and row["error"]

    back = TemporalGateway(settings, temporal_client)
    report = await replay_open_deliveries(pool, back, settings)
    again = await replay_open_deliveries(pool, back, settings)
    assert report.started == ["down-1"] and again.started == []
    row = await pool.fetchrow("SELECT status, workflow_ids FROM webhook_deliveries WHERE delivery_id = 'down-1'")
    assert row["status"] == "started" and row["workflow_ids"] == ["review:Codertocat/Hello-World#2"]
    assert await signals_received(temporal_client, "review:Codertocat/Hello-World#2") == ["new_head"]
    cleanup.append("review:Codertocat/Hello-World#2")


async def test_jira_bad_signature_is_401(http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    body = fixture_bytes("jira/zulip__issue_updated__status.json")
    response = await http.post("/api/v1/webhooks/jira", content=body, headers={"X-Hub-Signature": sign("wrong", body)})
    assert response.status_code == 401
    assert await delivery_count(pool) == 0


async def test_database_down_is_503_so_the_sender_retries(settings: Settings, temporal_client: Client) -> None:
    unreachable = await asyncpg.create_pool("postgresql://postgres@/x?host=/nonexistent-socket-dir", min_size=0)
    try:
        async with app_client(settings, unreachable, TemporalGateway(settings, temporal_client)) as http:
            body = fixture_bytes(OPENED)
            response = await http.post(APP, content=body, headers=github_headers(SECRET, body, "pull_request", "db-1"))
    finally:
        await unreachable.close()
    assert response.status_code == 503 and response.json()["error"] == "database_unavailable"


async def test_nul_character_in_json_is_400_not_500(http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    body = b'{"zen": "a\\u0000b", "hook_id": 1}'
    response = await http.post(APP, content=body, headers=github_headers(SECRET, body, "ping", "nul-1"))
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    assert await delivery_count(pool) == 0
