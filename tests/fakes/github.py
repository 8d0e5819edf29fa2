"""A local GitHub REST v3 server for tests, spoken to by the real PyGithub client.

    with FakeGitHub(token="ghp_test") as gh:
        gh.add_repo("acme/api", language="Python")
        gh.add_pull("acme/api", 7, title="Fix", head_ref="fix", head_sha=sha,
                    files=files_from_unified_diff(diff_text))
        client = Github(base_url=gh.url, auth=Auth.Token("ghp_test"), retry=None,
                        seconds_between_requests=None, seconds_between_writes=None)

Routes live in `github_*_routes` and `github_trees`; JSON shapes in `github_shapes*`; what a
test can seed in `github_seed*` (repositories and commits, pull requests, content-based history,
people and faults aimed at a pull request).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from tests.fakes import (
    github_compare_routes,
    github_git_routes,
    github_pull_routes,
    github_pull_write_routes,
    github_repo_routes,
    github_social_routes,
)
from tests.fakes.github_diff import files_from_unified_diff
from tests.fakes.github_seed_people import PeopleSeeding
from tests.fakes.github_state import InstallationRecord, PullRecord, RepoRecord, fake_sha
from tests.fakes.http import RecordedRequest, Reply

__all__ = ["FakeGitHub", "files_from_unified_diff"]

_DOCS = "https://docs.github.com/rest"
_MESSAGES = {
    401: "Bad credentials",
    403: "Forbidden",
    404: "Not Found",
    422: "Validation Failed",
    429: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
}
_JWT_PATHS = ("/app",)


class FakeGitHub(PeopleSeeding):
    """GitHub's REST API as PyGithub calls it, with state seeded by the test.

    `token`: the personal or installation token the server accepts (None: no auth at all).
    `app_id`: enables GitHub App auth; `/app/...` then needs an RS256 JWT issued by this app
    (verified with `app_public_key` when given, otherwise only its shape and claims are checked),
    and each issued installation token is accepted afterwards. `strict_review_lines`: refuse
    review comments on lines outside the diff with a 422, as GitHub does.
    """

    def __init__(
        self,
        *,
        token: str | None = "ghp_test",
        app_id: int | str | None = None,
        app_public_key: str | None = None,
        bot_login: str = "pr-agent[bot]",
        strict_review_lines: bool = True,
        seed: int = 0,
    ) -> None:
        super().__init__(seed=seed)
        self.tokens: set[str] = {token} if token else set()
        self.issued_tokens: list[str] = []
        self.require_auth = token is not None or app_id is not None
        self.app_id = app_id
        self.app_public_key = app_public_key
        self.bot_login = bot_login
        self.strict_review_lines = strict_review_lines
        self._installations: dict[int, InstallationRecord] = {}
        for module in (
            github_repo_routes,
            github_pull_routes,
            github_pull_write_routes,
            github_compare_routes,
            github_git_routes,
            github_social_routes,
        ):
            module.register(self)
        from tests.fakes.github_trees import register_tree_routes  # discovery tests call it too

        register_tree_routes(self)

    # -- app installations -------------------------------------------------------------------
    def add_installation(self, installation_id: int, *, account: str) -> None:
        """Install the app on an account (an organisation or user login)."""
        with self._lock:
            record = InstallationRecord(installation_id, account, self.app_id)
            self._installations[installation_id] = record

    def installation(self, installation_id: int) -> InstallationRecord | None:
        return self._installations.get(installation_id)

    def installation_for(self, account: str) -> InstallationRecord | None:
        return next((i for i in self._installations.values() if i.account == account), None)

    def issue_installation_token(self, installation_id: int) -> tuple[str, str]:
        """A new installation token and its expiry; the token is accepted from now on."""
        token = "ghs_" + fake_sha(installation_id, len(self.issued_tokens))[:36]
        self.issued_tokens.append(token)
        self.tokens.add(token)
        expires = datetime.now(UTC) + timedelta(hours=1)
        return token, expires.strftime("%Y-%m-%dT%H:%M:%SZ")

    # -- seeding from webhook payloads -------------------------------------------------------
    def add_pull_from_event(
        self, event: Mapping[str, Any], *, files: Iterable[Mapping[str, Any]] = ()
    ) -> tuple[str, int]:
        """Seed the repository (if new) and the pull request a `pull_request` webhook payload
        describes, so the API agrees with the webhook; returns (full_name, number)."""
        repo, pr = event["repository"], event["pull_request"]
        full_name = repo["full_name"]
        if self.repo_record(full_name) is None:
            self.add_repo(
                full_name,
                default_branch=repo.get("default_branch") or "main",
                language=repo.get("language"),
                archived=bool(repo.get("archived")),
                fork=bool(repo.get("fork")),
                private=bool(repo.get("private")),
                head_sha=pr["base"]["sha"],
                description=repo.get("description"),
            )
        self.add_pull(
            full_name,
            pr["number"],
            title=pr["title"],
            body=pr.get("body"),
            head_ref=pr["head"]["ref"],
            head_sha=pr["head"]["sha"],
            base_ref=pr["base"]["ref"],
            base_sha=pr["base"]["sha"],
            files=files,
            draft=bool(pr.get("draft")),
            state=pr.get("state", "open"),
            user_login=pr["user"]["login"],
            labels=[label["name"] for label in pr.get("labels") or []],
            created_at=pr.get("created_at"),
            updated_at=pr.get("updated_at"),
            merged=bool(pr.get("merged")),
        )
        return full_name, int(pr["number"])

    # -- helpers for the route modules -------------------------------------------------------
    def repo_from(self, params: dict[str, str]) -> RepoRecord | None:
        return self.repo_record(f"{params['owner']}/{params['repo']}")

    def pull_from(self, params: dict[str, str]) -> tuple[RepoRecord, PullRecord] | None:
        repo = self.repo_from(params)
        pr = repo.pulls.get(int(params["number"])) if repo else None
        return (repo, pr) if repo and pr else None

    def page(self, request: RecordedRequest, items: list[Any]) -> tuple[list[Any], dict[str, str]]:
        """One page of `items` by `page`/`per_page` (30, at most 100) and its Link header."""
        per_page = min(max(_int(request.param("per_page"), 30), 1), 100)
        page = max(_int(request.param("page"), 1), 1)
        last = max(1, math.ceil(len(items) / per_page))
        links = []
        if page < last:
            links.append(f'<{self.link_url(request, page=page + 1)}>; rel="next"')
            links.append(f'<{self.link_url(request, page=last)}>; rel="last"')
        if page > 1:
            links.append(f'<{self.link_url(request, page=page - 1)}>; rel="prev"')
            links.append(f'<{self.link_url(request, page=1)}>; rel="first"')
        chunk = items[(page - 1) * per_page : page * per_page]
        return chunk, ({"Link": ", ".join(links)} if links else {})

    def listing(self, request: RecordedRequest, items: list[Any]) -> Reply:
        chunk, headers = self.page(request, items)
        return Reply(200, chunk, headers)

    def validation_failed(
        self, *errors: object, message: str = "Validation Failed", documentation_url: str | None = None
    ) -> Reply:
        """GitHub's 422: `message`, the `errors` list, and the endpoint's documentation URL."""
        reply = self.error_reply(422, message, documentation_url=documentation_url)
        reply.body = {"message": message, "errors": list(errors), **reply.body}
        return reply

    # -- FakeServer hooks --------------------------------------------------------------------
    def error_reply(self, status: int, message: str | None = None, *, documentation_url: str | None = None) -> Reply:
        text = message or _MESSAGES.get(status) or ("Server Error" if status >= 500 else "Error")
        body = {"message": text, "documentation_url": documentation_url or _DOCS, "status": str(status)}
        return Reply(status, body)

    def base_headers(self) -> dict[str, str]:
        return {
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Api-Version-Selected": "2022-11-28",
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "4999",
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Resource": "core",
        }

    def authorize(self, request: RecordedRequest) -> Reply | None:
        if not self.require_auth:
            return None
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if request.path.startswith(_JWT_PATHS) or request.path.endswith("/installation"):
            return self._check_app_jwt(scheme, credential)
        if scheme.lower() in ("token", "bearer") and credential in self.tokens:
            return None
        return self.error_reply(401, "Bad credentials" if credential else "Requires authentication")

    def _check_app_jwt(self, scheme: str, credential: str) -> Reply | None:
        refused = self.error_reply(401, "A JSON web token could not be decoded")
        if self.app_id is None or scheme.lower() != "bearer":
            return refused
        try:
            header = jwt.get_unverified_header(credential)
            claims = jwt.decode(
                credential,
                key=self.app_public_key or "",
                algorithms=["RS256"],
                options={"verify_signature": self.app_public_key is not None},
            )
        except jwt.PyJWTError:
            return refused
        now = time.time()
        shaped = header.get("alg") == "RS256" and {"iat", "exp", "iss"} <= claims.keys()
        if not shaped or not claims["exp"] > now or str(claims["iss"]) != str(self.app_id):
            return self.error_reply(401, "'Expiration time' claim ('exp') or issuer is invalid")
        return None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
