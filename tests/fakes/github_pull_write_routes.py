"""GitHub fake routes that open, edit and lock pull requests:
`POST /repos/{o}/{r}/pulls`, `PATCH /repos/{o}/{r}/pulls/{n}` and
`PUT`/`DELETE /repos/{o}/{r}/issues/{n}/lock`, with GitHub's 422s for what it refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakes import github_shapes as shapes
from tests.fakes.github_graph import commits_between
from tests.fakes.github_seed_pulls import LOCK_REASONS
from tests.fakes.github_state import RepoRecord, later_than
from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

Route = Callable[["FakeGitHub", RecordedRequest, dict[str, str]], Reply]
REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
CREATE_DOCS = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"
UPDATE_DOCS = "https://docs.github.com/rest/pulls/pulls#update-a-pull-request"
LOCK_DOCS = "https://docs.github.com/rest/issues/issues#lock-an-issue"


def register(fake: FakeGitHub) -> None:
    """Add this module's routes to `fake`."""
    table: list[tuple[str, str, Route]] = [
        ("POST", REPO + "/pulls", _create_pull),
        ("PATCH", REPO + r"/pulls/(?P<number>\d+)", _update_pull),
        ("PUT", REPO + r"/issues/(?P<number>\d+)/lock", _lock),
        ("DELETE", REPO + r"/issues/(?P<number>\d+)/lock", _unlock),
    ]
    for method, pattern, handler in table:
        fake.route(method, pattern, _bind(fake, handler))


def _bind(fake: FakeGitHub, handler: Route) -> Callable[[RecordedRequest, dict[str, str]], Reply]:
    return lambda request, params: handler(fake, request, params)


def _invalid(fake: FakeGitHub, docs: str, field: str, code: str = "invalid", message: str | None = None) -> Reply:
    error: dict[str, str] = {"resource": "PullRequest", "code": code}
    if field:
        error["field"] = field
    if message:
        error["message"] = message
    return fake.validation_failed(error, documentation_url=docs)


def _create_pull(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    spec: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
    if not isinstance(spec.get("title"), str) or not spec["title"]:
        return _invalid(fake, CREATE_DOCS, "title", "missing_field")
    base = spec.get("base")
    if base not in repo.branches:
        return _invalid(fake, CREATE_DOCS, "base")
    head_repo, head_ref = _head(fake, repo, str(spec.get("head") or ""), spec.get("head_repo"))
    if head_repo is None or head_ref not in head_repo.branches:
        return _invalid(fake, CREATE_DOCS, "head")
    label = f"{head_repo.owner}:{head_ref}"
    if not commits_between(repo, repo.branches[base], head_repo.branches[head_ref]):
        return _invalid(fake, CREATE_DOCS, "", "custom", f"No commits between {base} and {spec['head']}")
    for pr in repo.pulls.values():
        same_head = fake.head_repo_of(repo, pr) is head_repo and pr.head_ref == head_ref
        if pr.state == "open" and same_head and pr.base_ref == base:
            return _invalid(fake, CREATE_DOCS, "", "custom", f"A pull request already exists for {label}.")
    number = fake.open_pull(
        repo.full_name,
        title=spec["title"],
        head_ref=head_ref,
        base_ref=base,
        body=spec.get("body"),
        user_login=fake.bot_login,
        draft=bool(spec.get("draft")),
        head_repo=head_repo.full_name if head_repo is not repo else None,
        maintainer_can_modify=bool(spec.get("maintainer_can_modify")),
    )
    pr = repo.pulls[number]
    return Reply(
        201,
        shapes.pull(fake.url, repo, pr, head_repo),
        {"Location": f"{fake.url}/repos/{repo.full_name}/pulls/{number}"},
    )


def _head(fake: FakeGitHub, repo: RepoRecord, head: str, head_repo: Any) -> tuple[RepoRecord | None, str]:
    """The repository and branch `head` ("branch" or "owner:branch") names."""
    owner, colon, ref = head.partition(":")
    if not colon:
        owner, ref = repo.owner, head
    if isinstance(head_repo, str) and head_repo:
        return fake.repo_record(head_repo), ref
    if owner.lower() == repo.owner.lower():
        return repo, ref
    return fake.repo_record(f"{owner}/{repo.name}"), ref


def _update_pull(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    spec: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
    for field in ("title", "body"):
        if (field in spec and not isinstance(spec[field], str | None)) or (
            field == "title" and spec.get("title") == ""
        ):
            return _invalid(fake, UPDATE_DOCS, field)
    if "state" in spec and spec["state"] not in ("open", "closed"):
        return _invalid(fake, UPDATE_DOCS, "state")
    if "base" in spec and spec["base"] not in repo.branches:
        return _invalid(fake, UPDATE_DOCS, "base")
    pr.title = spec.get("title", pr.title)
    pr.body = spec.get("body", pr.body)
    pr.state = spec.get("state", pr.state)
    pr.base_ref = spec.get("base", pr.base_ref)
    pr.maintainer_can_modify = bool(spec.get("maintainer_can_modify", pr.maintainer_can_modify))
    pr.updated_at = later_than(pr.updated_at)
    return Reply(200, shapes.pull(fake.url, repo, pr, fake.head_repo_of(repo, pr)))


def _lock(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    spec: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
    reason = spec.get("lock_reason")
    if reason is not None and reason not in LOCK_REASONS:
        return fake.validation_failed(
            {"resource": "Issue", "code": "invalid", "field": "lock_reason"}, documentation_url=LOCK_DOCS
        )
    _, pr = found
    pr.locked, pr.lock_reason = True, reason
    return Reply(204, None)


def _unlock(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    _, pr = found
    pr.locked, pr.lock_reason = False, None
    return Reply(204, None)
