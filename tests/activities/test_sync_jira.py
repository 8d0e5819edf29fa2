"""The Jira activities outside a worker (Temporal's ActivityEnvironment): resuming a project sync from
its heartbeat, the Server/Data Center search, and the pure helpers."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from jira import JIRAError
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.sync_jira import JiraSyncActivities, payload_is_complete, project_jql, rejected
from contracts.sync import SyncJiraProjectInput
from core.temporal.errors import JIRA_REJECTED
from tests.fakes.jira import FakeJira
from tests.support.fixtures import fixture_json
from tests.support.sync_stack import JIRA_EMAIL, JIRA_TOKEN, sync_settings


def _seed(jira: FakeJira, now: datetime, count: int) -> None:
    # Two days apart, so a resume's one-day overlap re-reads exactly one ticket.
    for n in range(1, count + 1):
        jira.add_issue(f"KAN-{n}", f"Issue {n}", None, "To Do", now - timedelta(days=2 * (count + 1 - n)))


async def test_project_sync_resumes_after_the_newest_ticket_of_its_last_heartbeat(
    db_dsn: str, pool: asyncpg.Pool
) -> None:
    with FakeJira(email=JIRA_EMAIL, api_token=JIRA_TOKEN, max_page=3) as jira:
        _seed(jira, datetime.now(UTC), 7)
        activities = JiraSyncActivities(sync_settings(db_dsn, None, jira), pool)
        env = ActivityEnvironment()
        beats: list[dict[str, Any]] = []

        def on_heartbeat(*details: Any) -> None:
            beats.append(details[0])
            if len(beats) == 1:  # the page after the first one fails, as a flaky proxy would
                jira.faults.push(status=503, path=r"/search/jql$")

        env.on_heartbeat = on_heartbeat
        with pytest.raises(JIRAError):
            await env.run(activities.sync_jira_project, SyncJiraProjectInput(project_key="KAN", full=True))
        assert await pool.fetchval("SELECT count(*) FROM jira_tickets") == 3
        env.info = dataclasses.replace(env.info, heartbeat_details=[beats[-1]])
        jira.clear_requests()
        resumed = await env.run(activities.sync_jira_project, SyncJiraProjectInput(project_key="KAN", full=True))
        searches = jira.requests_matching(None, r"/search/jql$")
    assert (resumed.seen, resumed.flagged_deleted) == (5, [])  # KAN-3 again, then KAN-4..7
    assert "updated >=" in str(searches[0].query.get("jql") or (searches[0].json or {}).get("jql"))
    assert await pool.fetchval("SELECT count(*) FROM jira_tickets WHERE NOT deleted") == 7


async def test_server_deployments_page_the_classic_search_by_start_at(db_dsn: str, pool: asyncpg.Pool) -> None:
    with FakeJira(email=JIRA_EMAIL, api_token=JIRA_TOKEN, deployment_type="Server", max_page=2) as jira:
        _seed(jira, datetime.now(UTC), 5)
        activities = JiraSyncActivities(sync_settings(db_dsn, None, jira), pool)
        result = await ActivityEnvironment().run(
            activities.sync_jira_project, SyncJiraProjectInput(project_key="KAN", full=True)
        )
        starts = [r.param("startAt", "0") for r in jira.requests_matching("GET", r"/search$")]
    assert (result.seen, result.written) == (5, 5)
    assert starts == ["0", "2", "4"]


async def test_wrong_credentials_fail_for_good_instead_of_retrying(db_dsn: str, pool: asyncpg.Pool) -> None:
    with FakeJira(email=JIRA_EMAIL, api_token="another-token") as jira:
        activities = JiraSyncActivities(sync_settings(db_dsn, None, jira), pool)
        with pytest.raises(ApplicationError) as refused:
            await ActivityEnvironment().run(activities.sync_jira_project, SyncJiraProjectInput(project_key="KAN"))
    assert refused.value.type == JIRA_REJECTED and refused.value.non_retryable


def test_webhook_issues_are_complete_only_with_summary_project_and_update_time() -> None:
    issue = fixture_json("jira/zulip__issue_created_with_custom_fields.json")["issue"]
    assert payload_is_complete(issue)
    assert not payload_is_complete({"key": issue["key"], "id": issue["id"]})
    assert not payload_is_complete({**issue, "fields": {**issue["fields"], "project": None}})
    assert not payload_is_complete(None)


def test_project_jql_orders_oldest_first_and_reads_since_in_utc() -> None:
    since = datetime(2024, 5, 3, 12, 30, tzinfo=UTC).astimezone()
    assert project_jql("KAN", None) == 'project = "KAN" ORDER BY updated ASC, key ASC'
    assert (
        project_jql("KAN", since) == 'project = "KAN" AND updated >= "2024-05-03 12:30" ORDER BY updated ASC, key ASC'
    )


@pytest.mark.parametrize(("status", "permanent"), [(400, True), (401, True), (404, True), (429, False), (503, False)])
def test_only_client_errors_but_rate_limits_are_permanent(status: int, permanent: bool) -> None:
    error = rejected(JIRAError("nope", status_code=status))
    assert isinstance(error, ApplicationError) == permanent
