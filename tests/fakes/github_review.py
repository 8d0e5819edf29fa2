"""Creating review comments and reviews in the GitHub fake, placed on the diff as GitHub
places them: by (side, line) or by the older diff `position`, multi-line ranges within one hunk,
and a 422 for anything that is not part of the diff (when the fake is strict).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.fakes import github_shapes_items as items
from tests.fakes.github_diff import PatchLine, diff_hunk, patch_lines
from tests.fakes.github_state import CommentRecord, PullRecord, ReviewRecord, next_id, now_iso
from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

_STATES = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}


@dataclass
class _Placement:
    path: str
    line: int | None
    side: str | None
    position: int | None
    diff_hunk: str
    start_line: int | None = None
    start_side: str | None = None


class _Unplaceable(Exception):
    """The comment cannot sit where it asks to (GitHub answers 422)."""


def create_review_comment(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    """POST /repos/{o}/{r}/pulls/{n}/comments: one inline comment, or a reply to one."""
    found = fake.pull_from(p)
    if found is None:
        return fake.error_reply(404)
    repo, pr = found
    spec = request.json if isinstance(request.json, dict) else {}
    if not isinstance(spec.get("body"), str):
        return fake.validation_failed(_error("body", "missing_field"))
    thread = repo.review_comments.setdefault(pr.number, [])
    if spec.get("in_reply_to") is not None:
        parent = next((c for c in thread if c.id == spec["in_reply_to"]), None)
        if parent is None:
            return fake.error_reply(404)
        spec = {**spec, "path": parent.path, "line": parent.line, "side": parent.side}
        spec["commit_id"] = spec.get("commit_id") or parent.commit_id
    if spec.get("commit_id") not in pr.commits:
        return fake.validation_failed(_error("commit_id", "invalid"))
    try:
        placement = _place(pr, spec, strict=fake.strict_review_lines)
    except _Unplaceable as problem:
        field = "pull_request_review_thread.line"
        return fake.validation_failed(_error(field, "custom", str(problem)))
    comment = _comment(fake, pr, spec, placement, review_id=None)
    comment.in_reply_to = spec.get("in_reply_to")
    thread.append(comment)
    return Reply(201, items.review_comment(fake.url, repo, comment))


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
        return fake.validation_failed(_error("event", "invalid"))
    if event in ("REQUEST_CHANGES", "COMMENT") and not body and not specs:
        return _unprocessable(fake, f"Review Can not {event.lower()} without a body")
    commit_id = spec.get("commit_id") or pr.head_sha
    if commit_id not in pr.commits:
        return _unprocessable(fake, "commit_id is not part of the pull request")
    try:
        placements = [_place(pr, c, strict=fake.strict_review_lines) for c in specs]
    except _Unplaceable:
        return _unprocessable(fake, "Line could not be resolved")
    review = ReviewRecord(
        next_id(),
        pr.number,
        body,
        _STATES.get(event or "", "PENDING"),
        commit_id,
        fake.bot_login,
        now_iso(),
    )
    for comment_spec, placement in zip(specs, placements, strict=True):
        comment_spec = {**comment_spec, "commit_id": commit_id}
        comment = _comment(fake, pr, comment_spec, placement, review_id=review.id)
        repo.review_comments.setdefault(pr.number, []).append(comment)
        review.comment_ids.append(comment.id)
    repo.reviews.setdefault(pr.number, []).append(review)
    return Reply(200, items.review(fake.url, repo, review))


def _comment(
    fake: FakeGitHub,
    pr: PullRecord,
    spec: dict[str, Any],
    placement: _Placement,
    review_id: int | None,
) -> CommentRecord:
    now = now_iso()
    return CommentRecord(
        id=next_id(),
        number=pr.number,
        body=str(spec.get("body", "")),
        user_login=fake.bot_login,
        created_at=now,
        updated_at=now,
        path=placement.path,
        line=placement.line,
        side=placement.side,
        start_line=placement.start_line,
        start_side=placement.start_side,
        position=placement.position,
        commit_id=spec.get("commit_id"),
        diff_hunk=placement.diff_hunk,
        review_id=review_id,
    )


def _place(pr: PullRecord, spec: dict[str, Any], *, strict: bool) -> _Placement:
    path = spec.get("path")
    entry = next((f for f in pr.files if f["filename"] == path), None)
    if entry is None or not isinstance(path, str):
        raise _Unplaceable("pull_request_review_thread.path could not be resolved")
    if spec.get("subject_type") == "file":
        return _Placement(path, None, None, None, "")
    patch = entry.get("patch") or ""
    target = _target(patch_lines(patch), spec)
    if target is None:
        if strict:
            raise _Unplaceable("pull_request_review_thread.line must be part of the diff")
        return _Placement(path, spec.get("line"), spec.get("side") or "RIGHT", None, "")
    placement = _Placement(path, target.line, target.side, target.position, "")
    placement.diff_hunk = diff_hunk(patch, target)
    if spec.get("start_line") is not None:
        _place_start(patch_lines(patch), spec, target, placement, strict=strict)
    return placement


def _target(lines: list[PatchLine], spec: dict[str, Any]) -> PatchLine | None:
    if spec.get("line") is not None:
        side = spec.get("side") or "RIGHT"
        return next((x for x in lines if x.side == side and x.line == spec["line"]), None)
    if spec.get("position") is not None:
        at = [x for x in lines if x.position == spec["position"]]
        return next((x for x in at if x.side == "RIGHT"), at[0] if at else None)
    return None


def _place_start(
    lines: list[PatchLine],
    spec: dict[str, Any],
    target: PatchLine,
    placement: _Placement,
    *,
    strict: bool,
) -> None:
    side = spec.get("start_side") or target.side
    start = next((x for x in lines if x.side == side and x.line == spec["start_line"]), None)
    valid = start is not None and start.hunk_start == target.hunk_start
    if strict and (not valid or (spec["start_line"] >= target.line and side == target.side)):
        raise _Unplaceable("pull_request_review_thread.start_line must be part of the same hunk as the line.")
    placement.start_line, placement.start_side = spec["start_line"], side


def _error(field: str, code: str, message: str | None = None) -> dict[str, str]:
    error = {"resource": "PullRequestReviewComment", "code": code, "field": field}
    if message:
        error["message"] = message
    return error


def _unprocessable(fake: FakeGitHub, message: str) -> Reply:
    return fake.validation_failed(message, message="Unprocessable Entity")
