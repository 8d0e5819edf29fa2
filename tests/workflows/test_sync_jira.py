"""SyncJira and SyncJiraProject on a real Temporal and database, with the real `jira` client talking
to a local Jira Cloud fake; webhook payloads are the real ones in tests/fixtures/jira."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from temporalio.client import Client

from contracts.common import SYNC_JIRA_PROJECT
from contracts.starts import WorkflowStart
from contracts.sync import SyncJiraProjectInput, SyncJiraProjectResult, SyncJiraResult, sync_jira_project_workflow_id
from contracts.webhooks import route_jira
from core.settings import Settings
from core.temporal.client import start_workflow
from db.jira_tickets import JiraTicketRepository
from tests.fakes.jira import FakeJira
from tests.support.fixtures import fixture_json
from tests.support.sync_stack import JIRA_EMAIL, JIRA_TOKEN, sync_settings, sync_stack

CREATED = "jira/zulip__issue_created_with_custom_fields.json"  # KAN-3, complete
UPDATED = "jira/zulip__issue_updated__status.json"  # TEST-1, complete
MOBITEL = "jira/mobitel-jira-to-matrix__issue_updated_status-changed.json"  # INDEV-6


@pytest.fixture
def jira() -> Iterator[FakeJira]:
    with FakeJira(email=JIRA_EMAIL, api_token=JIRA_TOKEN, max_page=3) as fake:
        yield fake
        assert fake.server_errors == []


@pytest.fixture
def jira_settings(db_dsn: str, jira: FakeJira) -> Settings:
    return sync_settings(db_dsn, None, jira)


async def deliver(client: Client, settings: Settings, payload: dict[str, Any]) -> SyncJiraResult:
    """What the webhook intake does with a Jira event, then the run's result."""
    (plan,) = route_jira(payload).starts
    handle = await start_workflow(client, settings.temporal, plan)
    typed = client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=SyncJiraResult)
    return await typed.result()


async def sync_project(client: Client, settings: Settings, key: str, full: bool) -> SyncJiraProjectResult:
    plan = WorkflowStart(
        workflow=SYNC_JIRA_PROJECT,
        workflow_id=sync_jira_project_workflow_id(key),
        input=SyncJiraProjectInput(project_key=key, full=full),
    )
    handle = await start_workflow(client, settings.temporal, plan)
    typed = client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=SyncJiraProjectResult)
    return await typed.result()


async def test_complete_webhook_issue_is_stored_and_embedded_without_asking_jira(
    temporal_client: Client, jira_settings: Settings, pool: asyncpg.Pool, jira: FakeJira
) -> None:
    async with sync_stack(temporal_client, jira_settings, pool, stand_ins=False):
        result = await deliver(temporal_client, jira_settings, fixture_json(CREATED))
    assert (result.outcome, result.fetched) == ("stored", False)
    assert jira.requests_matching("GET", r"/issue/") == []
    ticket = await JiraTicketRepository(pool).get("KAN-3")
    assert ticket is not None and ticket.summary == "This is test files" and ticket.project_key == "KAN"
    assert ticket.url == f"{jira.url}/browse/KAN-3" and not ticket.deleted
    assert await pool.fetchval("SELECT vector_dims(embedding) FROM jira_tickets WHERE key = 'KAN-3'") == 384


async def test_webhook_issue_without_its_fields_is_read_from_jira(
    temporal_client: Client, jira_settings: Settings, pool: asyncpg.Pool, jira: FakeJira
) -> None:
    jira.add_issue("INDEV-6", "Summary as Jira has it", "Body", "In Progress", "2024-05-02T10:00:00.000+0000")
    payload = fixture_json(MOBITEL)
    del payload["issue"]["fields"]["updated"]  # no time to order states by: Jira's own copy is needed
    async with sync_stack(temporal_client, jira_settings, pool, stand_ins=False):
        result = await deliver(temporal_client, jira_settings, payload)
    assert (result.outcome, result.fetched) == ("stored", True)
    assert len(jira.requests_matching("GET", r"/issue/INDEV-6$")) == 1
    ticket = await JiraTicketRepository(pool).get("INDEV-6")
    assert ticket is not None and ticket.summary == "Summary as Jira has it" and ticket.status == "In Progress"


async def test_older_state_never_overwrites_newer_and_deletion_is_final(
    temporal_client: Client, jira_settings: Settings, pool: asyncpg.Pool
) -> None:
    newer = fixture_json(UPDATED)
    older = copy.deepcopy(newer)
    older["issue"]["fields"]["summary"] = "stale summary"
    older["issue"]["fields"]["updated"] = "2000-01-01T00:00:00.000+0000"
    deleted = copy.deepcopy(newer) | {"webhookEvent": "jira:issue_deleted"}
    tickets = JiraTicketRepository(pool)
    async with sync_stack(temporal_client, jira_settings, pool, stand_ins=False):
        assert (await deliver(temporal_client, jira_settings, newer)).outcome == "stored"
        assert (await deliver(temporal_client, jira_settings, older)).outcome == "unchanged"
        stored = await tickets.get("TEST-1")
        assert stored is not None and stored.summary == newer["issue"]["fields"]["summary"]
        assert (await deliver(temporal_client, jira_settings, deleted)).outcome == "deleted"
        assert (await deliver(temporal_client, jira_settings, newer)).outcome == "unchanged"
    tombstone = await tickets.get("TEST-1")
    assert tombstone is not None and tombstone.deleted


def _seed(jira: FakeJira, now: datetime, count: int) -> None:
    for n in range(1, count + 1):
        jira.add_issue(f"KAN-{n}", f"Issue {n}", f"Body {n}", "To Do", now - timedelta(days=2 * (count + 1 - n)))


async def test_project_sync_pages_then_syncs_incrementally_and_flags_deleted_tickets(
    temporal_client: Client, jira_settings: Settings, pool: asyncpg.Pool, jira: FakeJira
) -> None:
    now = datetime.now(UTC)
    _seed(jira, now, 7)
    async with sync_stack(temporal_client, jira_settings, pool, stand_ins=False):
        full = await sync_project(temporal_client, jira_settings, "KAN", full=True)
        assert (full.seen, full.written, full.flagged_deleted, full.since) == (7, 7, [], None)
        pages = jira.requests_matching(None, r"/search/jql$")
        assert len(pages) == 3 and "nextPageToken" in (pages[1].json or {}) | pages[1].query
        jira.add_issue("KAN-2", "Issue 2, renamed", "Body 2", "Done", now)
        jira.add_issue("KAN-8", "Issue 8", "Body 8", "To Do", now)
        jira.clear_requests()
        incremental = await sync_project(temporal_client, jira_settings, "KAN", full=False)
        assert (incremental.seen, incremental.written) == (2, 2)
        assert incremental.since is not None
        jira.remove_issue("KAN-5")
        again = await sync_project(temporal_client, jira_settings, "KAN", full=True)
    assert again.flagged_deleted == ["KAN-5"] and again.seen == 7
    rows = await pool.fetch("SELECT key, summary, deleted FROM jira_tickets ORDER BY key")
    assert {r["key"]: (r["summary"], r["deleted"]) for r in rows}["KAN-2"] == ("Issue 2, renamed", False)
    assert [r["key"] for r in rows if r["deleted"]] == ["KAN-5"] and len(rows) == 8
    assert await pool.fetchval("SELECT count(*) FROM jira_sync_state WHERE project_key = 'KAN'") == 1
