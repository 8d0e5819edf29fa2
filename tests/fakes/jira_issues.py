"""Jira issue JSON for the fake: building seeded issues in the shape Jira Cloud serves,
filtering `fields`, and the v3 rendering of text as Atlassian Document Format."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

_STATUS_CATEGORIES = {
    "new": (2, "blue-gray", "To Do"),
    "indeterminate": (4, "yellow", "In Progress"),
    "done": (3, "green", "Done"),
}
_NEW = {"to do", "open", "backlog", "new", "selected for development"}
_DONE = {"done", "closed", "resolved", "won't do"}

# The fields the fake's `GET /field` lists: (id, name, clause names).
STANDARD_FIELDS = (
    ("summary", "Summary", ["summary"]),
    ("description", "Description", ["description"]),
    ("status", "Status", ["status"]),
    ("issuetype", "Issue Type", ["issuetype", "type"]),
    ("project", "Project", ["project"]),
    ("updated", "Updated", ["updated", "updatedDate"]),
    ("created", "Created", ["created", "createdDate"]),
    ("labels", "Labels", ["labels"]),
    ("priority", "Priority", ["priority"]),
    ("assignee", "Assignee", ["assignee"]),
    ("reporter", "Reporter", ["reporter"]),
)


def jira_time(value: str | datetime) -> str:
    """Jira's timestamp format, "2024-01-02T03:04:05.000+0000"; strings pass through."""
    if isinstance(value, str):
        return value
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}" + (value.strftime("%z") or "+0000")


def status_object(base: str, name: str) -> dict[str, Any]:
    lowered = name.lower()
    key = "new" if lowered in _NEW else "done" if lowered in _DONE else "indeterminate"
    category_id, color, category_name = _STATUS_CATEGORIES[key]
    status_id = str(10000 + sum(map(ord, lowered)))
    return {
        "self": f"{base}/rest/api/2/status/{status_id}",
        "description": "",
        "iconUrl": f"{base}/images/icons/status_generic.gif",
        "name": name,
        "id": status_id,
        "statusCategory": {
            "self": f"{base}/rest/api/2/statuscategory/{category_id}",
            "id": category_id,
            "key": key,
            "colorName": color,
            "name": category_name,
        },
    }


def new_issue(
    base: str,
    issue_id: int,
    key: str,
    fields: Mapping[str, Any],
) -> dict[str, Any]:
    """An issue as stored: id, key, self and a full `fields` object."""
    return {
        "expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
        "id": str(issue_id),
        "self": f"{base}/rest/api/2/issue/{issue_id}",
        "key": key,
        "fields": dict(fields),
    }


def seeded_fields(
    base: str,
    *,
    summary: str,
    description: str | None,
    status: str,
    updated: str,
    created: str,
    issue_type: str,
    project: str,
) -> dict[str, Any]:
    return {
        "summary": summary,
        "description": description,
        "status": status_object(base, status),
        "updated": updated,
        "created": created,
        "issuetype": {
            "self": f"{base}/rest/api/2/issuetype/{10000 + len(issue_type)}",
            "id": str(10000 + len(issue_type)),
            "name": issue_type,
            "description": "",
            "subtask": False,
        },
        "project": {
            "self": f"{base}/rest/api/2/project/{project}",
            "id": str(10000 + sum(map(ord, project))),
            "key": project,
            "name": project,
            "projectTypeKey": "software",
        },
        "labels": [],
        "priority": {"name": "Medium", "id": "3"},
        "assignee": None,
        "reporter": None,
        "comment": {"comments": [], "maxResults": 0, "total": 0, "startAt": 0},
    }


def wanted_fields(values: Iterable[str] | None) -> tuple[set[str] | None, set[str]]:
    """(fields to include or None for all, fields to exclude) from Jira's `fields` parameter."""
    if values is None:
        return None, set()
    names = {n.strip() for v in values for n in str(v).split(",") if n.strip()}
    excluded = {n[1:] for n in names if n.startswith("-")}
    included = {n for n in names if not n.startswith("-")}
    if not included or included & {"*all", "*navigable"}:
        return None, excluded
    return included, excluded


def render(issue: dict[str, Any], fields: Iterable[str] | None, *, v3: bool) -> dict[str, Any]:
    """A copy of `issue` with only the requested fields, descriptions in ADF for v3."""
    include, exclude = wanted_fields(fields)
    shaped = copy.deepcopy(issue)
    shaped["fields"] = {
        name: value
        for name, value in shaped["fields"].items()
        if (include is None or name in include) and name not in exclude
    }
    if v3 and isinstance(shaped["fields"].get("description"), str):
        shaped["fields"]["description"] = adf(shaped["fields"]["description"])
    return shaped


def adf(text: str) -> dict[str, Any]:
    """Plain text as an Atlassian Document Format document, one paragraph per line."""
    paragraphs = [
        {"type": "paragraph", "content": [{"type": "text", "text": line}] if line else []} for line in text.split("\n")
    ]
    return {"type": "doc", "version": 1, "content": paragraphs}
