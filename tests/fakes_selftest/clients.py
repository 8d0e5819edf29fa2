"""Real clients built the way product code should build them against the fakes: no client-side
retries (Temporal owns retries) and no client-side throttling (tests would crawl)."""

from __future__ import annotations

from typing import Any


def github_client(url: str, token: str | None, **overrides: Any) -> Any:
    """PyGithub: retry=None (its default GithubRetry resends 5xx and 403s by itself) and no
    `seconds_between_requests`/`_writes` pauses (0.25 s and 1 s by default)."""
    from github import Auth, Github

    options: dict[str, Any] = {
        "retry": None,
        "timeout": 5,
        "seconds_between_requests": None,
        "seconds_between_writes": None,
    }
    options.update(overrides)
    options.setdefault("auth", Auth.Token(token) if token else None)
    return Github(base_url=url, **options)


def jira_client(url: str, email: str, token: str, **overrides: Any) -> Any:
    """jira: max_retries=0 (its session retries 429/503 with sleeps of 10 s and more)."""
    from jira import JIRA

    options: dict[str, Any] = {"max_retries": 0, "timeout": 5}
    options.update(overrides)
    return JIRA(server=url, basic_auth=(email, token), **options)
