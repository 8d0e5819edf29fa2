"""The Jira fake's JQL subset, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.fakes.jira_issues import seeded_fields
from tests.fakes.jira_jql import JqlError, parse

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def _issue(key: str, updated: str, status: str = "To Do", summary: str = "") -> dict:
    fields = seeded_fields(
        "http://x",
        summary=summary or key,
        description="the body",
        status=status,
        updated=updated,
        created=updated,
        issue_type="Bug",
        project=key.split("-")[0],
    )
    return {"id": key.split("-")[1], "key": key, "fields": fields}


ISSUES = [
    _issue("KAN-1", "2024-05-31T11:00:00.000+0000", "Done", "Login fails"),
    _issue("KAN-2", "2024-06-01T11:30:00.000+0000", "In Progress", "Signup slow"),
    _issue("KAN-10", "2024-05-01T00:00:00.000+0200"),
    _issue("OPS-1", "2024-06-01T11:59:00.000+0000"),
]


def _keys(jql: str, tz: timezone = UTC) -> list[str]:
    return [i["key"] for i in parse(jql, tz=tz, now=NOW).run(ISSUES)]


def test_project_and_date_with_order() -> None:
    assert _keys('project = KAN AND updated >= "2024-05-31 00:00" ORDER BY updated ASC') == [
        "KAN-1",
        "KAN-2",
    ]
    assert _keys("project = KAN") == ["KAN-10", "KAN-2", "KAN-1"]  # default: key descending


def test_dates_honour_offsets_and_the_query_time_zone() -> None:
    # KAN-10 is 2024-04-30 22:00 UTC: before May in UTC, inside May in UTC+3.
    assert "KAN-10" not in _keys('updated >= "2024-05-01"')
    assert "KAN-10" in _keys('updated >= "2024-05-01"', tz=timezone(timedelta(hours=3)))


def test_relative_dates_in_not_in_and_text() -> None:
    assert _keys("updated > -1h ORDER BY key") == ["KAN-2", "OPS-1"]
    assert _keys('status IN ("Done", "In Progress") ORDER BY key') == ["KAN-1", "KAN-2"]
    assert _keys("status NOT IN (Done) AND project = KAN ORDER BY key") == ["KAN-2", "KAN-10"]
    assert _keys('summary ~ "login"') == ["KAN-1"]
    assert _keys("key = KAN-2") == ["KAN-2"]


@pytest.mark.parametrize(
    "jql",
    [
        "project = KAN OR project = OPS",
        "assignee = me",
        'updated >= "yesterday"',
        "project =",
        "project = KAN ORDER updated",
    ],
)
def test_outside_the_subset_is_an_error(jql: str) -> None:
    with pytest.raises(JqlError):
        _keys(jql)
