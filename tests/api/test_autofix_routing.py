"""`/auto-fix` comments reach AutoFixPR through the real webhook endpoint; other comments do not."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import httpx
import pytest
from temporalio.client import Client

from contracts.autofix import AutoFixPRInput
from contracts.webhooks import RoutingConfig, route_github
from tests.support.fixtures import fixture_json, github_headers
from tests.support.temporal_history import signals_received, started_with

SECRET = "test-webhook-secret"
APP = "/api/v1/github_webhooks"
ISSUE_COMMENT = "github/go-playground-webhooks__pull-request-issue-comment.json"


def comment_payload(body: str) -> dict[str, Any]:
    payload = copy.deepcopy(fixture_json(ISSUE_COMMENT))
    payload["comment"]["body"] = body
    payload["repository"]["full_name"] = f"acme/shop-{uuid.uuid4().hex[:8]}"  # a workflow id of its own
    return payload


def review_reply_payload(body: str, repository: str = "acme/shop") -> dict[str, Any]:
    """A `pull_request_review_comment` (made up; shaped as GitHub documents it): a thread reply."""
    return {
        "action": "created",
        "comment": {
            "id": 9001,
            "body": body,
            "in_reply_to_id": 9000,
            "path": "src/a.ts",
            "line": 3,
            "user": {"login": "dev-alice", "type": "User"},
        },
        "pull_request": {"number": 12},
        "repository": {"full_name": repository},
    }


async def post(http: httpx.AsyncClient, event: str, payload: dict[str, Any]) -> httpx.Response:
    body = json.dumps(payload).encode()
    return await http.post(APP, content=body, headers=github_headers(SECRET, body, event, str(uuid.uuid4())))


async def test_an_auto_fix_comment_signal_with_starts_the_pull_requests_autofix_workflow(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client
) -> None:
    payload = comment_payload("/auto-fix F2 F5")
    workflow_id = f"autofix:{payload['repository']['full_name']}#{payload['issue']['number']}"
    cleanup.append(workflow_id)
    response = await post(http, "issue_comment", payload)
    assert response.status_code == 202, response.text
    assert response.json()["workflow_ids"] == [workflow_id]
    workflow_type, started = await started_with(temporal_client, workflow_id, AutoFixPRInput)
    assert workflow_type == "AutoFixPR" and started.pending == []
    assert await signals_received(temporal_client, workflow_id) == ["request"]


async def test_a_thread_reply_auto_fix_is_routed_too(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client
) -> None:
    repository = f"acme/shop-{uuid.uuid4().hex[:8]}"
    cleanup.append(f"autofix:{repository}#12")
    response = await post(http, "pull_request_review_comment", review_reply_payload("/auto-fix", repository))
    assert response.status_code == 202, response.text
    assert await signals_received(temporal_client, f"autofix:{repository}#12") == ["request"]


def test_the_request_names_its_comment_its_asker_and_its_findings() -> None:
    payload = comment_payload("/auto-fix f2, 5")
    [start] = route_github("issue_comment", payload, RoutingConfig(), "d-1").starts
    request = start.signal_arg
    assert (start.workflow, start.signal, start.trigger) == ("AutoFixPR", "request", "comment")
    assert request.request_id == f"comment-{payload['comment']['id']}"
    assert request.requester == payload["comment"]["user"]["login"]
    assert (request.finding_ids, request.delivery_id) == (["F2", "F5"], "d-1")
    reply = route_github("pull_request_review_comment", review_reply_payload("/auto-fix"), RoutingConfig(), "d-2")
    assert reply.starts[0].signal_arg.reply_to == 9000 and reply.starts[0].signal_arg.trigger == "review_comment"


@pytest.mark.parametrize(
    ("event", "payload", "reason"),
    [
        # (a plain reply is feedback on the finding: tests/api/test_feedback_webhooks.py)
        ("pull_request_review_comment", review_reply_payload("/deploy now"), "is not a command we know"),
        ("pull_request_review_comment", review_reply_payload("/auto-fix") | {"action": "edited"}, "not a new command"),
    ],
)
def test_other_review_comments_are_ignored_with_the_reason(event: str, payload: dict[str, Any], reason: str) -> None:
    routed = route_github(event, payload, RoutingConfig(), "d")
    assert routed.ignored and reason in (routed.ignored_reason or "")


def test_review_still_routes_to_the_review() -> None:
    [start] = route_github("issue_comment", comment_payload("/review"), RoutingConfig(), "d").starts
    assert start.workflow == "ReviewPR"
