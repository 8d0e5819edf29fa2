"""Creating review comments, replies and reviews in the GitHub fake, placed on the diff as GitHub
places them: by (side, line) or by the older diff `position`, multi-line ranges within one hunk,
against the files the pull request had when the named commit was its head, and a 422 worded as
GitHub words it (`github_review_errors`) for anything not part of the diff (when strict).
Every standalone comment or reply also makes a COMMENTED review of its own, which is what its
`pull_request_review_id` points at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.fakes import github_shapes_items as items
from tests.fakes.github_diff import PatchLine, diff_hunk, patch_lines
from tests.fakes.github_review_errors import (
    COMMENTS_DOCS,
    REPLY_DOCS,
    REVIEWS_DOCS,
    comment_error,
    foreign_commit_errors,
    placement_errors,
    review_sentence,
)
from tests.fakes.github_state import CommentRecord, PullRecord, RepoRecord, ReviewRecord, next_id, now_iso
from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

_STATES = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}


@dataclass
class Placement:
    path: str
    line: int | None
    side: str | None
    position: int | None
    diff_hunk: str
    start_line: int | None = None
    start_side: str | None = None


class Unplaceable(Exception):
    """The comment cannot sit where it asks to (GitHub answers 422); `problems` are the fields
    at fault, among "path", "line" and "start_line"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = problems


def create_review_comment(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    """POST /repos/{o}/{r}/pulls/{n}/comments: one inline comment, or (`in_reply_to`) a reply."""
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    spec = request.json if isinstance(request.json, dict) else {}
    if not isinstance(spec.get("body"), str):
        return fake.validation_failed(comment_error("body", "missing_field"), documentation_url=COMMENTS_DOCS)
    if spec.get("in_reply_to") is not None:
        return _reply(fake, repo, pr, spec["in_reply_to"], spec["body"], COMMENTS_DOCS)
    commit_id = spec.get("commit_id")
    if commit_id not in pr.commits:
        return fake.validation_failed(*foreign_commit_errors(), documentation_url=COMMENTS_DOCS)
    try:
        placement = place(pr.files_at(commit_id), spec, strict=fake.strict_review_lines)
    except Unplaceable as refused:
        return fake.validation_failed(*placement_errors(refused.problems), documentation_url=COMMENTS_DOCS)
    comment = store_standalone(repo, pr, new_comment(fake.bot_login, pr.number, spec, placement, commit_id))
    return Reply(201, items.review_comment(fake.url, repo, comment))


def create_reply(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    """POST /repos/{o}/{r}/pulls/{n}/comments/{comment_id}/replies."""
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    spec = request.json if isinstance(request.json, dict) else {}
    if not isinstance(spec.get("body"), str):
        return fake.validation_failed(comment_error("body", "missing_field"), documentation_url=REPLY_DOCS)
    return _reply(fake, *found, int(p["cid"]), spec["body"], REPLY_DOCS)


def _reply(fake: FakeGitHub, repo: RepoRecord, pr: PullRecord, parent_id: Any, body: str, docs: str) -> Reply:
    """A reply sits where its thread does; replying to a reply joins the same thread."""
    thread = repo.review_comments.get(pr.number, [])
    parent = next((c for c in thread if c.id == parent_id), None)
    if parent is None:
        return fake.error_reply(404, documentation_url=docs)
    comment = store_standalone(repo, pr, new_reply(fake.bot_login, parent, body))
    return Reply(201, items.review_comment(fake.url, repo, comment))


def new_reply(login: str, parent: CommentRecord, body: str) -> CommentRecord:
    """A reply (not yet stored) in `parent`'s thread, sitting where the thread sits."""
    placement = Placement(
        parent.path or "",
        parent.line,
        parent.side,
        parent.position,
        parent.diff_hunk,
        parent.start_line,
        parent.start_side,
    )
    comment = new_comment(login, parent.number, {"body": body}, placement, parent.commit_id)
    comment.in_reply_to = parent.in_reply_to or parent.id
    return comment


def store_standalone(repo: RepoRecord, pr: PullRecord, comment: CommentRecord) -> CommentRecord:
    """Store a comment made outside a review, with the COMMENTED review GitHub makes for it."""
    commit_id = comment.commit_id or pr.head_sha
    review = ReviewRecord(next_id(), pr.number, "", "COMMENTED", commit_id, comment.user_login, now_iso())
    comment.review_id = review.id
    review.comment_ids.append(comment.id)
    repo.review_comments.setdefault(pr.number, []).append(comment)
    repo.reviews.setdefault(pr.number, []).append(review)
    return comment


def create_review(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    """POST /repos/{o}/{r}/pulls/{n}/reviews: a review whose `comments` become review comments;
    all of them are placed or none is created."""
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    spec = request.json if isinstance(request.json, dict) else {}
    event, body = spec.get("event"), spec.get("body") or ""
    specs: list[dict[str, Any]] = spec.get("comments") or []
    if event is not None and event not in _STATES:
        return fake.validation_failed(comment_error("event", "invalid"), documentation_url=REVIEWS_DOCS)
    if event in ("REQUEST_CHANGES", "COMMENT") and not body and not specs:
        return _unprocessable(fake, f"Review Can not {event.lower()} without a body")
    commit_id = spec.get("commit_id") or pr.head_sha
    if commit_id not in pr.commits:
        return _unprocessable(fake, "commit_id is not part of the pull request")
    try:
        placements = [place(pr.files_at(commit_id), c, strict=fake.strict_review_lines) for c in specs]
    except Unplaceable as refused:
        return _unprocessable(fake, review_sentence(refused.problems))
    state = _STATES.get(event or "", "PENDING")
    review = ReviewRecord(next_id(), pr.number, body, state, commit_id, fake.bot_login, now_iso())
    for comment_spec, placement in zip(specs, placements, strict=True):
        comment = new_comment(fake.bot_login, pr.number, comment_spec, placement, commit_id)
        comment.review_id = review.id
        repo.review_comments.setdefault(pr.number, []).append(comment)
        review.comment_ids.append(comment.id)
    repo.reviews.setdefault(pr.number, []).append(review)
    return Reply(200, items.review(fake.url, repo, review))


def new_comment(
    login: str, number: int, spec: dict[str, Any], placement: Placement, commit_id: str | None
) -> CommentRecord:
    """A review comment record (not yet stored) by `login` at `placement`."""
    now = now_iso()
    return CommentRecord(
        id=next_id(),
        number=number,
        body=str(spec.get("body", "")),
        user_login=login,
        created_at=now,
        updated_at=now,
        path=placement.path,
        line=placement.line,
        side=placement.side,
        start_line=placement.start_line,
        start_side=placement.start_side,
        position=placement.position,
        commit_id=commit_id,
        diff_hunk=placement.diff_hunk,
    )


def place(files: list[dict[str, Any]], spec: dict[str, Any], *, strict: bool) -> Placement:
    """Where a comment asking for `spec` (path, line/side or position, start_line/start_side,
    subject_type) sits in `files`; raises `Unplaceable` naming what GitHub would refuse."""
    path = spec.get("path")
    entry = next((f for f in files if f["filename"] == path), None)
    if entry is None or not isinstance(path, str):
        raise Unplaceable(["path"])
    if spec.get("subject_type") == "file":
        return Placement(path, None, None, None, "")
    patch = entry.get("patch") or ""
    lines = patch_lines(patch)
    target = _target(lines, spec)
    start = _start(lines, spec, target)
    if strict and (target is None or start is False):
        raise Unplaceable(["line"] * (target is None) + ["start_line"] * (start is False))
    if target is None:  # lenient: keep what was asked for
        placement = Placement(path, spec.get("line"), spec.get("side") or "RIGHT", None, "")
    else:
        placement = Placement(path, target.line, target.side, target.position, diff_hunk(patch, target))
    if spec.get("start_line") is not None:
        placement.start_line = spec["start_line"]
        placement.start_side = spec.get("start_side") or placement.side
    return placement


def _target(lines: list[PatchLine], spec: dict[str, Any]) -> PatchLine | None:
    if spec.get("line") is not None:
        side = spec.get("side") or "RIGHT"
        return next((x for x in lines if x.side == side and x.line == spec["line"]), None)
    if spec.get("position") is not None:
        at = [x for x in lines if x.position == spec["position"]]
        return next((x for x in at if x.side == "RIGHT"), at[0] if at else None)
    return None


def _start(lines: list[PatchLine], spec: dict[str, Any], target: PatchLine | None) -> bool | None:
    """None without a `start_line`; otherwise whether it opens a range within the line's hunk."""
    if spec.get("start_line") is None:
        return None
    if target is None:
        return False
    side = spec.get("start_side") or target.side
    start = next((x for x in lines if x.side == side and x.line == spec["start_line"]), None)
    if start is None or start.hunk_start != target.hunk_start:
        return False
    return start.position < target.position


def _unprocessable(fake: FakeGitHub, message: str) -> Reply:
    return fake.validation_failed(message, message="Unprocessable Entity", documentation_url=REVIEWS_DOCS)
