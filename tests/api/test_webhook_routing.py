"""Real fixture payloads, signed as GitHub and Jira sign them, through the real app into a real Temporal."""

from __future__ import annotations

import json
import uuid

import asyncpg
import httpx
import pytest
from temporalio.client import Client

from contracts.commands import AskInput, CommandInput
from contracts.discovery import RegisterRepoInput
from contracts.indexing import IndexRepoInput
from contracts.investigation import InvestigateRepoInput
from contracts.review import ReviewPullRequestInput
from contracts.sync import SyncGithubActivityInput, SyncJiraInput, SyncPackagesInput
from tests.support.fixtures import fixture_bytes, github_headers, jira_headers
from tests.support.temporal_history import signals_received, started_with

SECRET = "test-webhook-secret"
JIRA_SECRET = "test-jira-secret"
APP = "/api/v1/github_webhooks"
ORG = "/api/v1/webhooks/github/organization"
PUSH = "/api/v1/webhooks/push"
JIRA = "/api/v1/webhooks/jira"


async def deliver(http: httpx.AsyncClient, path: str, fixture: str, event: str) -> tuple[httpx.Response, str]:
    body = fixture_bytes(fixture)
    delivery = str(uuid.uuid4())
    return await http.post(path, content=body, headers=github_headers(SECRET, body, event, delivery)), delivery


async def delivery_row(pool: asyncpg.Pool, delivery_id: str) -> asyncpg.Record:
    return await pool.fetchrow("SELECT * FROM webhook_deliveries WHERE delivery_id = $1", delivery_id)


@pytest.mark.parametrize("action", ["opened", "synchronize", "reopened", "ready_for_review"])
async def test_reviewable_pull_request_events_signal_with_start_review(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client, pool: asyncpg.Pool, action: str
) -> None:
    response, delivery = await deliver(
        http, APP, f"github/octokit-webhooks__pull_request_{action}.payload.json", "pull_request"
    )
    assert response.status_code == 202, response.text
    assert response.json()["workflow_ids"] == ["review:Codertocat/Hello-World#2"]
    workflow_type, started = await started_with(
        temporal_client, "review:Codertocat/Hello-World#2", ReviewPullRequestInput
    )
    assert workflow_type == "ReviewPR"
    assert started.pr.repository == "Codertocat/Hello-World" and started.pr.number == 2
    assert "new_head" in await signals_received(temporal_client, "review:Codertocat/Hello-World#2")
    row = await delivery_row(pool, delivery)
    assert row["status"] == "started" and row["workflow_ids"] == ["review:Codertocat/Hello-World#2"]
    assert row["action"] == action and row["repository"] == "Codertocat/Hello-World"
    cleanup.append("review:Codertocat/Hello-World#2")


async def test_closed_pull_request_is_ignored_with_reason(http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    response, delivery = await deliver(
        http, APP, "github/octokit-webhooks__pull_request_closed.payload.json", "pull_request"
    )
    assert response.status_code == 202
    assert response.json()["status"] == "ignored" and "closed" in response.json()["reason"]
    row = await delivery_row(pool, delivery)
    assert row["status"] == "ignored" and row["workflow_ids"] == []


async def test_unknown_comment_command_is_ignored(http: httpx.AsyncClient) -> None:
    response, _ = await deliver(
        http, APP, "github/go-playground-webhooks__pull-request-issue-comment.json", "issue_comment"
    )
    assert response.status_code == 202
    assert response.json()["status"] == "ignored"
    assert "/build" in response.json()["reason"] and "not a command" in response.json()["reason"]


async def test_review_comment_on_pull_request_forces_a_review(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client
) -> None:
    payload = json.loads(fixture_bytes("github/go-playground-webhooks__pull-request-issue-comment.json"))
    payload["comment"]["body"] = "/review"
    body = json.dumps(payload).encode()
    headers = github_headers(SECRET, body, "issue_comment", str(uuid.uuid4()))
    response = await http.post(APP, content=body, headers=headers)
    workflow_id = "review:chhsia0/knative-route-demo#3"
    assert response.status_code == 202 and response.json()["workflow_ids"] == [workflow_id]
    _, started = await started_with(temporal_client, workflow_id, ReviewPullRequestInput)
    assert started.force is True and started.trigger == "comment" and started.head_sha is None
    cleanup.append(workflow_id)


async def test_a_burst_of_the_same_command_signals_one_workflow(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client
) -> None:
    payload = json.loads(fixture_bytes("github/go-playground-webhooks__pull-request-issue-comment.json"))
    workflow_id = "improve:chhsia0/knative-route-demo#3"
    cleanup.append(workflow_id)
    for comment_id in (9001, 9002, 9003):
        payload["comment"].update(body="/improve", id=comment_id)
        body = json.dumps(payload).encode()
        response = await http.post(
            APP, content=body, headers=github_headers(SECRET, body, "issue_comment", str(uuid.uuid4()))
        )
        assert response.status_code == 202 and response.json()["workflow_ids"] == [workflow_id]
    assert await signals_received(temporal_client, workflow_id) == ["command", "command", "command"]
    kind, started = await started_with(temporal_client, workflow_id, CommandInput)
    assert kind == "ImprovePR" and started.request.comment_id == 9001 and started.request.author == "chhsia0"


async def test_an_ask_in_an_inline_thread_starts_its_own_workflow(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client
) -> None:
    response, _ = await deliver(
        http, APP, "github/synthetic__pull_request_review_comment_created.json", "pull_request_review_comment"
    )
    workflow_id = "ask:acme-synthetic/orders-api#42:1587201934"
    assert response.status_code == 202 and response.json()["workflow_ids"] == [workflow_id]
    cleanup.append(workflow_id)
    kind, started = await started_with(temporal_client, workflow_id, AskInput)
    assert kind == "AskPR" and started.request.thread_root_id == 1587198820 and started.request.line == 12


async def test_comment_on_plain_issue_is_ignored(http: httpx.AsyncClient) -> None:
    response, _ = await deliver(
        http, APP, "github/octokit-webhooks__issue_comment_created.payload.json", "issue_comment"
    )
    assert response.status_code == 202
    assert response.json() == {
        "status": "ignored",
        "reason": "comment is on an issue, not a pull request",
        "delivery_id": response.json()["delivery_id"],
    }


async def test_push_to_default_branch_indexes_investigates_and_records(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client
) -> None:
    response, _ = await deliver(http, PUSH, "github/go-playground-webhooks__push.json", "push")
    assert response.status_code == 202, response.text
    ids = response.json()["workflow_ids"]
    repo = "binkkatal/sample_app"
    assert ids == [f"index:{repo}@master", f"investigate:{repo}@master", f"activity:{repo}"]
    kind, index = await started_with(temporal_client, ids[0], IndexRepoInput)
    assert kind == "IndexRepo" and index.commit_sha.startswith("fd489864") and index.branch == "master"
    kind, investigate = await started_with(temporal_client, ids[1], InvestigateRepoInput)
    assert kind == "InvestigateRepo" and investigate.commit_sha == index.commit_sha
    kind, _ = await started_with(temporal_client, ids[2], SyncGithubActivityInput)
    assert kind == "SyncGithubActivity"
    assert await signals_received(temporal_client, ids[2]) == ["record_commits"]
    cleanup.extend(ids)


async def test_push_creating_main_branch_indexes(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client
) -> None:
    response, _ = await deliver(http, PUSH, "github/octokit-webhooks__push_with-new-branch.payload.json", "push")
    assert response.status_code == 202
    assert response.json()["workflow_ids"][0] == "index:Codertocat/Hello-World@master"
    cleanup.extend(response.json()["workflow_ids"])


async def test_push_to_feature_branch_is_ignored(http: httpx.AsyncClient) -> None:
    payload = json.loads(fixture_bytes("github/go-playground-webhooks__push.json"))
    payload["ref"] = "refs/heads/feature/login"
    body = json.dumps(payload).encode()
    response = await http.post(PUSH, content=body, headers=github_headers(SECRET, body, "push", str(uuid.uuid4())))
    assert response.status_code == 202
    assert response.json()["reason"] == "branch feature/login is not a main branch (main, master)"


async def test_repository_created_registers_it(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client
) -> None:
    response, _ = await deliver(http, ORG, "github/octokit-webhooks__repository_created.payload.json", "repository")
    assert response.json()["workflow_ids"] == ["register:Octocoders/Hello-World"]
    kind, started = await started_with(temporal_client, "register:Octocoders/Hello-World", RegisterRepoInput)
    assert kind == "RegisterRepo" and started.investigate is True
    cleanup.append("register:Octocoders/Hello-World")


@pytest.mark.parametrize(
    ("fixture", "event", "version"),
    [
        ("github/octokit-webhooks__package_published.npm.payload.json", "package", "1.0.0"),
        ("github/octokit-webhooks__registry_package_published.docker.payload.json", "registry_package", None),
    ],
)
async def test_npm_package_published_syncs_it(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client, fixture: str, event: str, version: str | None
) -> None:
    response, _ = await deliver(http, ORG, fixture, event)
    assert response.status_code == 202, response.text
    assert response.json()["workflow_ids"] == ["sync-npm:hello-world-npm"]
    kind, started = await started_with(temporal_client, "sync-npm:hello-world-npm", SyncPackagesInput)
    assert kind == "SyncPackages" and started.package == "hello-world-npm"
    if version:
        assert started.version == version
    cleanup.append("sync-npm:hello-world-npm")


async def test_ping_is_acknowledged_and_ignored(http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    response, delivery = await deliver(http, APP, "github/octokit-webhooks__ping_payload.json", "ping")
    assert response.status_code == 202 and response.json()["status"] == "ignored"
    assert (await delivery_row(pool, delivery))["status"] == "ignored"


@pytest.mark.parametrize(
    ("fixture", "key", "event"),
    [
        ("jira/zulip__issue_created_with_custom_fields.json", "KAN-3", "created"),
        ("jira/zulip__issue_updated__status.json", "TEST-1", "updated"),
        ("jira/mobitel-jira-to-matrix__issue_updated_status-changed.json", "INDEV-6", "updated"),
    ],
)
async def test_jira_events_sync_the_ticket(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client, fixture: str, key: str, event: str
) -> None:
    body = fixture_bytes(fixture)
    response = await http.post(JIRA, content=body, headers=jira_headers(JIRA_SECRET, body))
    assert response.status_code == 202, response.text
    assert response.json()["workflow_ids"] == [f"sync-jira:{key}"]
    kind, started = await started_with(temporal_client, f"sync-jira:{key}", SyncJiraInput)
    assert kind == "SyncJira" and started.event == event and started.issue["key"] == key
    cleanup.append(f"sync-jira:{key}")


async def test_jira_token_in_url_is_accepted(
    cleanup: list[str], http: httpx.AsyncClient, temporal_client: Client
) -> None:
    body = fixture_bytes("jira/zulip__issue_updated__status.json")
    response = await http.post(
        f"{JIRA}?token={JIRA_SECRET}", content=body, headers={"X-Atlassian-Webhook-Identifier": "x1"}
    )
    assert response.status_code == 202
    cleanup.append("sync-jira:TEST-1")
