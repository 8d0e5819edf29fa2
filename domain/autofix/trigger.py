"""`/auto-fix` in a webhook: a conversation comment on a pull request (`issue_comment`), or a reply
in the thread of an inline finding (`pull_request_review_comment`).

Only the command is read here; whether its author may ask (write permission) is checked when the
fix runs, against GitHub, not taken from the payload.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from domain.commands.parse import Command, finding_ids, parse_command
from domain.review.finding_ids import normalise_finding_id

MAX_NAMED_FINDINGS = 50


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _User(_Shape):
    login: str
    type: str = "User"


class _Repo(_Shape):
    full_name: str = Field(pattern=r"^[^/\s]+/[^/\s]+$")


class _Comment(_Shape):
    id: int
    body: str = ""
    user: _User
    in_reply_to_id: int | None = None
    path: str | None = None
    line: int | None = None


class _Issue(_Shape):
    number: int
    pull_request: dict[str, Any] | None = None


class _Pull(_Shape):
    number: int


class _IssueComment(_Shape):
    action: str
    issue: _Issue
    comment: _Comment
    repository: _Repo


class _ReviewComment(_Shape):
    action: str
    pull_request: _Pull
    comment: _Comment
    repository: _Repo


@dataclass(frozen=True)
class AutofixComment:
    """A `/auto-fix` asked for in a comment; `ignored` says why it starts nothing."""

    repository: str
    number: int
    comment_id: int
    requester: str
    finding_ids: list[str] = field(default_factory=list)
    reply_to: int | None = None  # the inline comment whose finding a thread reply asks to fix
    unknown_ids: list[str] = field(default_factory=list)
    ignored: str | None = None


def autofix_comment(event: str, payload: Any) -> AutofixComment | None:
    """The request in a comment event, or None when the comment is not `/auto-fix` at all."""
    shapes: dict[str, type[_IssueComment] | type[_ReviewComment]] = {
        "issue_comment": _IssueComment,
        "pull_request_review_comment": _ReviewComment,
    }
    shape = shapes.get(event)
    if shape is None or not isinstance(payload, dict):
        return None
    try:
        parsed: _IssueComment | _ReviewComment = shape.model_validate(payload)
    except ValidationError:
        return None  # not ours to judge: the comment routing reports a malformed payload
    command = parse_command(parsed.comment.body)
    if not isinstance(command, Command) or command.name != "auto-fix":
        return None
    return _request(parsed, command)


def _request(parsed: _IssueComment | _ReviewComment, command: Command) -> AutofixComment:
    comment = parsed.comment
    number = parsed.issue.number if isinstance(parsed, _IssueComment) else parsed.pull_request.number
    named = finding_ids(command)[:MAX_NAMED_FINDINGS]
    ids = [i for i in (normalise_finding_id(n) for n in named) if i]
    request = AutofixComment(
        repository=parsed.repository.full_name,
        number=number,
        comment_id=comment.id,
        requester=comment.user.login,
        finding_ids=list(dict.fromkeys(ids)),
        reply_to=comment.in_reply_to_id if isinstance(parsed, _ReviewComment) else None,
        unknown_ids=[n for n in named if normalise_finding_id(n) is None],
    )
    return _with_ignored(parsed, request)


def _with_ignored(parsed: _IssueComment | _ReviewComment, request: AutofixComment) -> AutofixComment:
    reason = None
    if parsed.action != "created":
        reason = f"comment action {parsed.action!r} is not a new command"
    elif isinstance(parsed, _IssueComment) and parsed.issue.pull_request is None:
        reason = "/auto-fix works on pull requests, not issues"
    elif parsed.comment.user.type == "Bot":
        reason = "comments by bots start nothing"
    elif isinstance(parsed, _ReviewComment) and request.reply_to is None and not request.finding_ids:
        reason = "an inline /auto-fix must be a reply to a finding (or name finding ids)"
    if reason is None:
        return request
    return replace(request, ignored=reason)
