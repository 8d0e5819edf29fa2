"""The real `jira` client against the Jira fake: construction, issues, both searches with
pagination, and the 401 / 404 / 400 / 429 paths."""

from __future__ import annotations

import httpx
import pytest
from jira import JIRAError

from tests.fakes.jira import FakeJira
from tests.fakes_selftest.clients import jira_client
from tests.fakes_selftest.conftest import JIRA_AUTH
from tests.support.fixtures import fixture_path


def _seed_month(fake: FakeJira, count: int = 7) -> None:
    for day in range(1, count + 1):
        fake.add_issue(
            f"KAN-{day}", f"Issue {day}", f"Body {day}", "In Progress", f"2024-05-{day:02}T10:00:00.000+0000"
        )
    fake.add_issue("OPS-1", "Other project", None, "Done", "2024-05-09T10:00:00.000+0000")


def test_client_construction_asks_server_info_and_reads_a_webhook_issue(jira_fake: FakeJira) -> None:
    key = jira_fake.add_issue_from_webhook(fixture_path("jira/zulip__issue_created_with_custom_fields.json"))
    client = jira_client(jira_fake.url, *JIRA_AUTH)
    assert jira_fake.requests[0].path == "/rest/api/2/serverInfo"
    issue = client.issue(key)
    assert (issue.key, issue.fields.summary, issue.fields.status.name) == (
        "KAN-3",
        "This is test files",
        "To Do",
    )
    assert issue.fields.customfield_10070 == "Testing"
    assert issue.fields.issuetype.name == "Task" and issue.fields.project.key == "KAN"
    partial = client.issue(key, fields="summary")
    assert set(partial.raw["fields"]) == {"summary"}


def test_cloud_search_pages_with_next_page_tokens(jira_fake: FakeJira) -> None:
    _seed_month(jira_fake)
    jira_fake.max_page = 3
    client = jira_client(jira_fake.url, *JIRA_AUTH)
    jql = 'project = KAN AND updated >= "2024-05-03 00:00" ORDER BY updated ASC'
    everything = client.search_issues(jql, maxResults=False)
    assert [i.key for i in everything] == ["KAN-3", "KAN-4", "KAN-5", "KAN-6", "KAN-7"]
    pages = jira_fake.requests_matching("GET", r"/search/jql$")
    assert len(pages) == 2 and "nextPageToken" in pages[1].query
    first = client.search_issues(jql, maxResults=2)
    assert [i.key for i in first] == ["KAN-3", "KAN-4"] and first.nextPageToken
    rest = client.enhanced_search_issues(jql, nextPageToken=first.nextPageToken, maxResults=10)
    assert [i.key for i in rest] == ["KAN-5", "KAN-6", "KAN-7"]
    posted = client.search_issues(jql, maxResults=1, use_post=True)
    assert [i.key for i in posted] == ["KAN-3"]
    assert jira_fake.requests_matching("POST", r"/search/jql$")[0].json["jql"] == jql


def test_server_search_pages_with_start_at() -> None:
    with FakeJira(email=JIRA_AUTH[0], api_token=JIRA_AUTH[1], deployment_type="Server", max_page=2) as fake:
        _seed_month(fake, count=5)
        client = jira_client(fake.url, *JIRA_AUTH)
        found = client.search_issues("project = KAN ORDER BY updated DESC", maxResults=False)
        assert [i.key for i in found] == ["KAN-5", "KAN-4", "KAN-3", "KAN-2", "KAN-1"]
        assert found.total == 5
        starts = [r.param("startAt", "0") for r in fake.requests_matching("GET", r"/search$")]
        assert starts == ["0", "2", "4"]


def test_wrong_credentials_fail_at_construction_with_401(jira_fake: FakeJira) -> None:
    with pytest.raises(JIRAError) as refused:
        jira_client(jira_fake.url, JIRA_AUTH[0], "wrong-token")
    assert refused.value.status_code == 401


def test_missing_issue_is_404_with_jira_error_messages(jira_fake: FakeJira) -> None:
    client = jira_client(jira_fake.url, *JIRA_AUTH)
    with pytest.raises(JIRAError) as missing:
        client.issue("KAN-404")
    assert missing.value.status_code == 404
    assert "Issue does not exist" in str(missing.value.text)


def test_unsupported_jql_is_a_400_not_a_silent_empty_result(jira_fake: FakeJira) -> None:
    _seed_month(jira_fake)
    client = jira_client(jira_fake.url, *JIRA_AUTH)
    with pytest.raises(JIRAError) as bad:
        client.search_issues("project = KAN OR project = OPS")
    assert bad.value.status_code == 400


def test_rate_limit_surfaces_once_when_client_retries_are_off(jira_fake: FakeJira) -> None:
    client = jira_client(jira_fake.url, *JIRA_AUTH)
    jira_fake.add_issue("KAN-1", "One")
    jira_fake.faults.push(status=429, headers={"Retry-After": "30"}, path=r"/issue/")
    with pytest.raises(JIRAError) as limited:
        client.issue("KAN-1")
    assert limited.value.status_code == 429
    assert len(jira_fake.requests_matching("GET", r"/issue/KAN-1$")) == 1
    assert client.issue("KAN-1").fields.summary == "One"


def test_v3_serves_descriptions_as_atlassian_document_format(jira_fake: FakeJira) -> None:
    jira_fake.add_issue("KAN-1", "One", "line one\nline two")
    answer = httpx.get(f"{jira_fake.url}/rest/api/3/issue/KAN-1", auth=JIRA_AUTH)
    description = answer.json()["fields"]["description"]
    assert description["type"] == "doc"
    texts = [p["content"][0]["text"] for p in description["content"]]
    assert texts == ["line one", "line two"]
