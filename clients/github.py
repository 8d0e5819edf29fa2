"""Building PyGithub clients from settings: a user token, or GitHub App installation auth.

PyGithub retries some failures on its own by default; Temporal owns retries here, so clients are
built with `retry=None` and an explicit timeout. The base URL is configurable for GitHub
Enterprise (and for the local fake GitHub the tests run).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from github import Auth, Github, GithubException, GithubIntegration
from temporalio.exceptions import ApplicationError

from core.settings import GithubSettings
from core.temporal.errors import GITHUB_REJECTED, GITHUB_UNAVAILABLE

_TIMEOUT_SECONDS = 30
# 4xx that clear with time: a request timeout and a rate limit (403 is one when its headers say so).
_RETRYABLE_STATUSES = frozenset({408, 429})


class GithubNotConfigured(RuntimeError):
    """Neither GITHUB_USER_TOKEN nor the GitHub App settings are set."""


def installation_token(settings: GithubSettings, repository: str | None) -> str:
    """An installation access token for the App (cached by PyGithub's auth until it expires)."""
    if settings.app_id is None or settings.app_private_key is None:
        raise GithubNotConfigured("set GITHUB_USER_TOKEN, or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY")
    integration = _integration(settings.api_url, settings.app_id, settings.app_private_key.get_secret_value())
    installation_id = settings.app_installation_id
    if installation_id is None:
        if repository is None:
            installation_id = integration.get_installations()[0].id
        else:
            owner, name = repository.split("/", 1)
            installation_id = integration.get_repo_installation(owner, name).id
    return str(integration.get_access_token(installation_id).token)


@lru_cache(maxsize=8)
def _integration(base_url: str, app_id: int, private_key: str) -> GithubIntegration:
    return GithubIntegration(auth=Auth.AppAuth(app_id, private_key), base_url=base_url, retry=None)


def github_token(settings: GithubSettings, repository: str | None = None) -> str:
    if settings.user_token is not None:
        return settings.user_token.get_secret_value()
    return installation_token(settings, repository)


def make_github(settings: GithubSettings, repository: str | None = None) -> Github:
    """A client for calls about `repository` (its installation, when authenticating as an App)."""
    token = github_token(settings, repository)
    # PyGithub also sleeps between requests (0.25 s) and writes (1 s) by default: pointless for a
    # reviewer posting a handful of comments, and it stretches every activity.
    return Github(
        auth=Auth.Token(token),
        base_url=settings.api_url,
        timeout=_TIMEOUT_SECONDS,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )


GithubFactory = Callable[[str | None], Github]


def github_factory(settings: GithubSettings) -> GithubFactory:
    """Clients per repository (`None`: for the organisation), for activities that talk to several."""
    return lambda repository: make_github(settings, repository)


def clone_url(settings: GithubSettings, repository: str) -> str:
    """The HTTPS clone URL of a repository on the configured GitHub (no credentials in it)."""
    api = settings.api_url.rstrip("/")
    if api == "https://api.github.com":
        return f"https://github.com/{repository}.git"
    # GitHub Enterprise serves the API under /api/v3 on the same host as the git remotes.
    return f"{api.removesuffix('/api/v3')}/{repository}.git"


def github_failure(error: GithubException, what: str) -> ApplicationError:
    """A GitHub error as Temporal should see it. A refusal retrying cannot fix (a 4xx that is not a
    timeout or a rate limit: not found, no access, invalid) is final; 5xx, timeouts and rate limits
    are retried with backoff (GITHUB_RETRY)."""
    status = error.status or 0
    headers = {key.lower(): value for key, value in (error.headers or {}).items()}
    limited = status in _RETRYABLE_STATUSES or headers.get("x-ratelimit-remaining") == "0" or "retry-after" in headers
    message = f"{what}: GitHub answered {status}{_detail(error.data)}"
    if 400 <= status < 500 and not limited:
        return ApplicationError(message, type=GITHUB_REJECTED, non_retryable=True)
    return ApplicationError(message, type=GITHUB_UNAVAILABLE)


def _detail(data: object) -> str:
    message = data.get("message") if isinstance(data, dict) else data
    return f": {str(message)[:300]}" if message else ""
