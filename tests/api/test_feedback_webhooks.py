"""Review-thread webhooks as feedback, signed as GitHub signs them, through the real app, the real Temporal and a
reviews worker: a resolved thread on one of our findings counts as accepted (and reopening it takes that back),
a reply counts by its words, and a command, a bot's reply or a thread on someone else's comment records nothing.

The payloads are shaped as GitHub's documented `pull_request_review_thread` and `pull_request_review_comment`
events (synthetic: the shared fixtures hold none), around the repository and sender of the octokit fixture."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from temporalio.client import Client

from contracts.feedback import FeedbackEventResult
from core.settings import Settings
from db.reviews import ReviewRepository
from domain.findings import Finding
from domain.review.markers import finding_hash
from tests.support.fixtures import fixture_json, github_headers
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

SECRET = "test-webhook-secret"
APP = "/api/v1/github_webhooks"
REPO, NUMBER = "Codertocat/Hello-World", 2
OUR_COMMENT = 501
FINDING = Finding("app/songs.php", 12, "high", "php.unescaped-output", "echo of $_GET", source="analyzer:php")


@pytest.fixture
async def worker(temporal_client: Client, settings: Settings, pool: asyncpg.Pool) -> AsyncIterator[None]:
    await ReviewRepository(pool).store_posted_markers(REPO, NUMBER, "a" * 40, [FINDING], {finding_hash(FINDING): 501})
    deps = WorkerDeps(settings, pool)
    async with build_worker(temporal_client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
        yield


def _event(**fields: Any) -> dict[str, Any]:
    opened = fixture_json("github/octokit-webhooks__pull_request_opened.payload.json")
    pull = {"number": NUMBER, "url": opened["pull_request"]["url"]}
    return {"pull_request": pull, "repository": opened["repository"], "sender": opened["sender"], **fields}


def thread(action: str, root: int = OUR_COMMENT) -> dict[str, Any]:
    comments = [{"id": root + 7, "in_reply_to_id": root, "body": "ok"}, {"id": root, "body": "**[high]** ..."}]
    return _event(action=action, thread={"node_id": "PRRT_kwDOA", "comments": comments})


def reply(body: str, *, login: str = "Codertocat", kind: str = "User", parent: int | None = OUR_COMMENT) -> dict:
    comment = {"id": 9001, "body": body, "in_reply_to_id": parent, "user": {"login": login, "type": kind}}
    return _event(action="created", comment=comment)


async def deliver(http: httpx.AsyncClient, event: str, payload: dict[str, Any]) -> httpx.Response:
    body = json.dumps(payload).encode()
    return await http.post(APP, content=body, headers=github_headers(SECRET, body, event, str(uuid.uuid4())))


async def recorded(http: httpx.AsyncClient, client: Client, event: str, payload: dict[str, Any]) -> FeedbackEventResult:
    response = await deliver(http, event, payload)
    assert response.status_code == 202, response.text
    [workflow_id] = response.json()["workflow_ids"]
    assert workflow_id.startswith(f"feedback:{REPO}#{NUMBER}:")
    return await client.get_workflow_handle(workflow_id, result_type=FeedbackEventResult).result()


async def signals(pool: asyncpg.Pool) -> list[tuple[str, str, str]]:
    rows = await pool.fetch("SELECT signal, actor, verdict FROM finding_feedback ORDER BY signal, actor")
    return [(r["signal"], r["actor"], r["verdict"]) for r in rows]


async def test_a_resolved_thread_accepts_the_finding_and_reopening_it_takes_that_back(
    worker: None, http: httpx.AsyncClient, temporal_client: Client, pool: asyncpg.Pool
) -> None:
    result = await recorded(http, temporal_client, "pull_request_review_thread", thread("resolved"))

    assert result.recorded and await signals(pool) == [("thread", "Codertocat", "accepted")]
    await recorded(http, temporal_client, "pull_request_review_thread", thread("unresolved"))
    assert await signals(pool) == []


async def test_replies_count_by_their_words(
    worker: None, http: httpx.AsyncClient, temporal_client: Client, pool: asyncpg.Pool
) -> None:
    event = "pull_request_review_comment"
    await recorded(http, temporal_client, event, reply("False positive: the template escapes it."))
    await recorded(http, temporal_client, event, reply("Good catch, fixed.", login="octocat"))
    await recorded(http, temporal_client, event, reply("Why?", login="monalisa"))

    assert await signals(pool) == [
        ("reply", "Codertocat", "rejected"), ("reply", "monalisa", "neutral"), ("reply", "octocat", "accepted")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (reply("/deploy now"), "is not a command we know"),  # a /command goes to the command router
        (reply("Thanks!", login="dependabot[bot]", kind="Bot"), "(a bot) is not feedback"),
        (reply("A new remark", parent=None), "not a reply in a thread"),
    ],
)
async def test_commands_bots_and_new_comments_are_not_feedback(
    worker: None, http: httpx.AsyncClient, pool: asyncpg.Pool, payload: dict[str, Any], reason: str
) -> None:
    response = await deliver(http, "pull_request_review_comment", payload)

    assert response.status_code == 202 and response.json()["status"] == "ignored"
    assert reason in response.json()["reason"]
    assert await signals(pool) == []


async def test_a_thread_on_someone_elses_comment_records_nothing(
    worker: None, http: httpx.AsyncClient, temporal_client: Client, pool: asyncpg.Pool
) -> None:
    result = await recorded(http, temporal_client, "pull_request_review_thread", thread("resolved", root=777))

    assert not result.recorded and result.reason == "the thread is not on a finding this product posted"
    assert await signals(pool) == []
