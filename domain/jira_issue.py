"""A Jira issue (REST or webhook JSON) as the ticket record the product stores and shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

_CRITERIA = re.compile(r"(?ims)^\W*acceptance criteria\W*$(.+?)(?=^\W*[A-Z][\w ]{2,40}:?\s*$|\Z)")


@dataclass
class TicketRecord:
    key: str
    project_key: str
    summary: str
    description: str | None = None
    status: str | None = None
    issue_type: str | None = None
    priority: str | None = None
    assignee: str | None = None
    reporter: str | None = None
    labels: list[str] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    url: str | None = None
    jira_updated_at: datetime | None = None
    deleted: bool = False


def _name(value: Any, *keys: str) -> str | None:
    if not isinstance(value, dict):
        return str(value) if value else None
    for key in keys:
        if value.get(key):
            return str(value[key])
    return None


def _text(value: Any) -> str | None:
    """Plain text from a v2 string or a v3 Atlassian Document Format tree."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict):
        if value.get("type") == "text":
            return str(value.get("text", ""))
        parts = [_text(child) or "" for child in value.get("content") or []]
        joiner = "\n" if value.get("type") in ("doc", "bulletList", "orderedList") else ""
        return joiner.join(parts)
    return str(value)


def parse_jira_time(value: Any) -> datetime | None:
    """Jira's timestamps ("2024-01-02T03:04:05.000+0000"); anything else is None, not an error."""
    if not isinstance(value, str):
        return None
    for pattern in ("%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    return None


def ticket_from_issue(issue: dict[str, Any], base_url: str | None = None) -> TicketRecord:
    key = str(issue["key"])
    fields = issue.get("fields") or {}
    project = fields.get("project") or {}
    browse = f"{base_url.rstrip('/')}/browse/{key}" if base_url else None
    return TicketRecord(
        key=key,
        project_key=_name(project, "key") or key.rsplit("-", 1)[0],
        summary=str(fields.get("summary") or ""),
        description=_text(fields.get("description")),
        status=_name(fields.get("status"), "name"),
        issue_type=_name(fields.get("issuetype"), "name"),
        priority=_name(fields.get("priority"), "name"),
        assignee=_name(fields.get("assignee"), "displayName", "name", "accountId"),
        reporter=_name(fields.get("reporter"), "displayName", "name", "accountId"),
        labels=[str(label) for label in fields.get("labels") or []],
        fields={k: v for k, v in fields.items() if not k.startswith("customfield_") or v is not None},
        url=browse,
        jira_updated_at=parse_jira_time(fields.get("updated")),
    )


def acceptance_criteria(description: str | None) -> str | None:
    """The "Acceptance criteria" section of a description, when it has one."""
    if not description:
        return None
    match = _CRITERIA.search(description)
    return match.group(1).strip() if match else None
