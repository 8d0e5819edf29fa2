from __future__ import annotations

import asyncpg
import httpx
from temporalio.client import Client

from contracts.commands import AskInput, CommandInput
from contracts.indexing import IndexRepoInput
from contracts.investigation import InvestigateRepoInput, InvestigateReposInput
from contracts.sync import SyncJiraProjectInput
from tests.support.temporal_history import started_with

AUTH = {"Authorization": "Bearer test-admin-token"}


async def register(pool: asyncpg.Pool, full_name: str, branch: str = "main") -> None:
    owner, name = full_name.split("/")
    await pool.execute(
        "INSERT INTO repositories (full_name, owner, name, default_branch) VALUES ($1, $2, $3, $4)",
        full_name,
        owner,
        name,
        branch,
    )


async def test_admin_requires_the_bearer_token(http: httpx.AsyncClient) -> None:
    assert (await http.get("/api/v1/admin/status")).status_code == 401
    assert (await http.get("/api/v1/admin/status", headers={"Authorization": "Bearer nope"})).status_code == 401
    assert (await http.get("/api/v1/admin/status", headers=AUTH)).status_code == 200


async def test_unknown_repository_is_404(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/v1/admin/analyze/acme/nothing", headers=AUTH)
    assert response.status_code == 404 and "acme/nothing" in response.json()["detail"]


async def test_analyze_and_index_start_on_the_default_branch(
    http: httpx.AsyncClient, pool: asyncpg.Pool, temporal_client: Client, cleanup: list[str]
) -> None:
    await register(pool, "acme/api", "develop")
    analyze = await http.post("/api/v1/admin/analyze/acme/api", headers=AUTH)
    index = await http.post("/api/v1/admin/index/acme/api?full=true", headers=AUTH)
    assert analyze.json()["workflow_ids"] == ["investigate:acme/api@develop"]
    assert index.json()["workflow_ids"] == ["index:acme/api@develop"]
    cleanup.extend(analyze.json()["workflow_ids"] + index.json()["workflow_ids"])
    _, investigate = await started_with(temporal_client, "investigate:acme/api@develop", InvestigateRepoInput)
    _, full_index = await started_with(temporal_client, "index:acme/api@develop", IndexRepoInput)
    assert investigate.trigger == "admin" and full_index.full is True


async def test_sync_jira_starts_one_workflow_per_project(
    http: httpx.AsyncClient, temporal_client: Client, cleanup: list[str]
) -> None:
    response = await http.post("/api/v1/admin/sync-jira", headers=AUTH, json={"projects": ["PAY", "OPS"], "full": True})
    assert response.json()["workflow_ids"] == ["sync-jira-project:PAY", "sync-jira-project:OPS"]
    cleanup.extend(response.json()["workflow_ids"])
    _, started = await started_with(temporal_client, "sync-jira-project:PAY", SyncJiraProjectInput)
    assert started.full is True


async def test_status_counts_deliveries_by_status(http: httpx.AsyncClient, pool: asyncpg.Pool) -> None:
    await register(pool, "acme/web")
    await pool.execute(
        """INSERT INTO webhook_deliveries (delivery_id, source, event, payload, status)
           VALUES ('a', 'github', 'ping', '{}', 'ignored'), ('b', 'github', 'push', '{}', 'pending')"""
    )
    body = (await http.get("/api/v1/admin/status", headers=AUTH)).json()
    assert body["repositories"] == 1 and body["code_chunks"] == 0
    assert body["deliveries"] == {"ignored": 1, "pending": 1}


async def test_workflow_status_and_unknown_workflow(
    http: httpx.AsyncClient, pool: asyncpg.Pool, cleanup: list[str]
) -> None:
    await register(pool, "acme/svc")
    started = await http.post("/api/v1/admin/index/acme/svc", headers=AUTH)
    cleanup.extend(started.json()["workflow_ids"])
    body = (await http.get("/api/v1/admin/workflows/index:acme/svc@main", headers=AUTH)).json()
    assert body["type"] == "IndexRepo" and body["status"] == "RUNNING"
    assert (await http.get("/api/v1/admin/workflows/nope:none", headers=AUTH)).status_code == 404


async def test_analyze_all_starts_the_fan_out(
    http: httpx.AsyncClient, pool: asyncpg.Pool, temporal_client: Client, cleanup: list[str]
) -> None:
    await register(pool, "acme/one")
    response = await http.post("/api/v1/admin/analyze", headers=AUTH, json={"concurrency": 3})
    assert response.status_code == 202, response.text
    [workflow_id] = response.json()["workflow_ids"]
    cleanup.append(workflow_id)
    kind, started = await started_with(temporal_client, workflow_id, InvestigateReposInput)
    assert kind == "InvestigateRepos" and started.concurrency == 3 and started.repositories == []
    unknown = await http.post("/api/v1/admin/analyze", headers=AUTH, json={"repositories": ["acme/nope"]})
    assert unknown.status_code == 404


async def test_pull_request_commands_start_as_the_operator(
    http: httpx.AsyncClient, temporal_client: Client, cleanup: list[str]
) -> None:
    improve = await http.post("/api/v1/admin/pulls/acme/api/7/improve", headers=AUTH)
    ask = await http.post("/api/v1/admin/pulls/acme/api/7/ask", headers=AUTH, json={"question": "Why a cache?"})
    assert improve.status_code == 202 and improve.json()["workflow_ids"] == ["improve:acme/api#7"]
    [ask_id] = ask.json()["workflow_ids"]
    assert ask_id.startswith("ask:acme/api#7:q-")
    cleanup.extend([*improve.json()["workflow_ids"], ask_id])
    kind, started = await started_with(temporal_client, "improve:acme/api#7", CommandInput)
    assert kind == "ImprovePR" and started.request.author is None and started.request.trigger == "admin"
    _, asked = await started_with(temporal_client, ask_id, AskInput)
    assert asked.question == "Why a cache?"
    no_question = await http.post("/api/v1/admin/pulls/acme/api/7/ask", headers=AUTH)
    assert no_question.status_code == 400 and "question" in no_question.json()["detail"]
    unknown = await http.post("/api/v1/admin/pulls/acme/api/7/deploy", headers=AUTH)
    assert unknown.status_code == 400  # not one of the commands
