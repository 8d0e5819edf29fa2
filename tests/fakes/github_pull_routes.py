"""GitHub fake routes for pull requests, their files and commits, issue comments, review
comments and reviews. Review comments are checked against the diff the way GitHub checks them:
a line outside the patch is a 422, and so is a review whose comments cannot all be placed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakes import github_shapes as shapes
from tests.fakes import github_shapes_items as items
from tests.fakes.github_review import create_reply, create_review, create_review_comment
from tests.fakes.github_state import CommentRecord, later_than, next_id, now_iso
from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

Route = Callable[["FakeGitHub", RecordedRequest, dict[str, str]], Reply]
REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
PULL = REPO + r"/pulls/(?P<number>\d+)"
ISSUE = REPO + r"/issues/(?P<number>\d+)"
ISSUE_COMMENT = REPO + r"/issues/comments/(?P<cid>\d+)"


def register(fake: FakeGitHub) -> None:
    """Add this module's routes to `fake`."""
    table: list[tuple[str, str, Route]] = [
        ("GET", REPO + "/pulls", _list_pulls),
        ("GET", PULL, _get_pull),
        ("GET", PULL + "/files", _list_files),
        ("GET", PULL + "/commits", _list_pull_commits),
        ("GET", PULL + "/comments", _list_review_comments),
        ("POST", PULL + "/comments", create_review_comment),
        ("POST", PULL + r"/comments/(?P<cid>\d+)/replies", create_reply),
        ("GET", PULL + "/reviews", _list_reviews),
        ("POST", PULL + "/reviews", create_review),
        ("GET", REPO + r"/pulls/comments/(?P<cid>\d+)", _get_review_comment),
        ("GET", ISSUE, _get_issue),
        ("GET", ISSUE + "/comments", _list_issue_comments),
        ("POST", ISSUE + "/comments", _create_issue_comment),
        ("GET", ISSUE_COMMENT, _get_issue_comment),
        ("PATCH", ISSUE_COMMENT, _edit_issue_comment),
        ("DELETE", ISSUE_COMMENT, _delete_issue_comment),
    ]
    for method, pattern, handler in table:
        fake.route(method, pattern, _bind(fake, handler))


def _bind(fake: FakeGitHub, handler: Route) -> Callable[[RecordedRequest, dict[str, str]], Reply]:
    return lambda request, params: handler(fake, request, params)


def _list_pulls(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    state, base = request.param("state", "open"), request.param("base")
    head = request.param("head")
    pulls = [
        pr
        for pr in repo.pulls.values()
        if (state == "all" or pr.state == state)
        and (base is None or pr.base_ref == base)
        and (head is None or f"{fake.head_repo_of(repo, pr).owner}:{pr.head_ref}".lower() == head.lower())
    ]
    sort = request.param("sort", "created") or "created"
    direction = request.param("direction") or ("desc" if sort == "created" else "asc")
    key = "updated_at" if sort == "updated" else "created_at"
    pulls.sort(key=lambda pr: (getattr(pr, key), pr.number), reverse=direction == "desc")
    return fake.listing(request, [shapes.pull(fake.url, repo, pr, fake.head_repo_of(repo, pr)) for pr in pulls])


def _get_pull(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    if "diff" in request.headers.get("accept", ""):
        return Reply(200, unified_diff(pr.files), content_type="application/vnd.github.diff")
    return Reply(200, shapes.pull(fake.url, repo, pr, fake.head_repo_of(repo, pr)))


def unified_diff(files: list[dict[str, Any]]) -> str:
    """`files` entries as `git diff` text, which GitHub serves for the diff media type."""
    parts = []
    for entry in files:
        new = entry["filename"]
        old = entry.get("previous_filename") or new
        header = [f"diff --git a/{old} b/{new}"]
        status = entry.get("status")
        if status == "added":
            header += ["new file mode 100644", "--- /dev/null", f"+++ b/{new}"]
        elif status == "removed":
            header += ["deleted file mode 100644", f"--- a/{old}", "+++ /dev/null"]
        else:
            if status == "renamed":
                header += [f"rename from {old}", f"rename to {new}"]
            header += [f"--- a/{old}", f"+++ b/{new}"]
        patch = entry.get("patch")
        parts.append("\n".join(header + ([patch] if patch else [])))
    return "\n".join(parts) + "\n"


def _list_files(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    rendered = [items.file_entry(fake.url, repo, pr.head_sha, f) for f in pr.files]
    return fake.listing(request, rendered)


def _list_pull_commits(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    commits = [items.commit(fake.url, repo, repo.commits[s], detail=False) for s in pr.commits]
    return fake.listing(request, commits)


def _list_review_comments(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    comments = repo.review_comments.get(pr.number, [])
    return fake.listing(request, [items.review_comment(fake.url, repo, c) for c in comments])


def _get_review_comment(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    every = [c for cs in repo.review_comments.values() for c in cs] if repo else []
    comment = next((c for c in every if c.id == int(p["cid"])), None)
    if repo is None or comment is None:
        return fake.error_reply(404)
    return Reply(200, items.review_comment(fake.url, repo, comment))


def _list_reviews(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    reviews = repo.reviews.get(pr.number, [])
    return fake.listing(request, [items.review(fake.url, repo, r) for r in reviews])


def _get_issue(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    return Reply(200, shapes.issue(fake.url, *found))


def _list_issue_comments(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    comments = repo.issue_comments.get(pr.number, [])
    return fake.listing(request, [items.issue_comment(fake.url, repo, c) for c in comments])


def _create_issue_comment(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    body = _body_text(request)
    if body is None:
        return fake.validation_failed({"resource": "IssueComment", "code": "missing_field"})
    now = now_iso()
    comment = CommentRecord(next_id(), pr.number, body, fake.bot_login, now, now)
    repo.issue_comments.setdefault(pr.number, []).append(comment)
    return Reply(201, items.issue_comment(fake.url, repo, comment))


def _find_issue_comment(fake: FakeGitHub, p: dict[str, str]) -> tuple[Any, CommentRecord] | None:
    repo = fake.repo_from(p)
    comment = repo.find_issue_comment(int(p["cid"])) if repo else None
    return (repo, comment) if repo and comment else None


def _get_issue_comment(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = _find_issue_comment(fake, p)
    if found is None:
        return fake.error_reply(404)
    return Reply(200, items.issue_comment(fake.url, *found))


def _edit_issue_comment(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = _find_issue_comment(fake, p)
    if found is None:
        return fake.error_reply(404)
    body = _body_text(request)
    if body is None:
        return fake.validation_failed({"resource": "IssueComment", "code": "missing_field"})
    repo, comment = found
    comment.body, comment.updated_at = body, later_than(comment.updated_at)
    return Reply(200, items.issue_comment(fake.url, repo, comment))


def _delete_issue_comment(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = _find_issue_comment(fake, p)
    if found is None:
        return fake.error_reply(404)
    repo, comment = found
    repo.issue_comments[comment.number].remove(comment)
    return Reply(204, None)


def _body_text(request: RecordedRequest) -> str | None:
    payload = request.json if isinstance(request.json, dict) else {}
    body = payload.get("body")
    return body if isinstance(body, str) else None
