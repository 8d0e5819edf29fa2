"""The `jira` client from settings, with its own retries off (Temporal owns retries)."""

from __future__ import annotations

from typing import Any

from jira import JIRA, JIRAError

from core.settings import JiraSettings

_TIMEOUT_SECONDS = 30


class JiraNotConfigured(RuntimeError):
    """JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN are needed."""


def make_jira(settings: JiraSettings) -> JIRA:
    if not settings.configured or settings.api_token is None or settings.base_url is None:
        raise JiraNotConfigured("set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN")
    return JIRA(
        server=settings.base_url,
        basic_auth=(settings.email or "", settings.api_token.get_secret_value()),
        max_retries=0,
        timeout=_TIMEOUT_SECONDS,
        get_server_info=False,
    )


def fetch_issue(settings: JiraSettings, key: str) -> dict[str, Any] | None:
    """The issue's raw JSON, or None when Jira says it does not exist."""
    try:
        return dict(make_jira(settings).issue(key).raw)
    except JIRAError as error:
        if error.status_code == 404:
            return None
        raise
