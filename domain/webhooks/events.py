"""The parts of each webhook payload the product reads, validated: a wrong shape is a 400, not a 500."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Repo(_Shape):
    full_name: str = Field(min_length=3, pattern=r"^[^/\s]+/[^/\s]+$")
    default_branch: str | None = None
    clone_url: str | None = None


class GitRef(_Shape):
    ref: str
    sha: str = Field(min_length=7)


class PullRequest(_Shape):
    number: int
    state: str
    draft: bool = False
    title: str = ""
    head: GitRef
    base: GitRef
    html_url: str | None = None


class PullRequestEvent(_Shape):
    action: str
    number: int
    pull_request: PullRequest
    repository: Repo


class IssueRef(_Shape):
    number: int
    pull_request: dict[str, Any] | None = None


class Comment(_Shape):
    id: int
    body: str = ""


class IssueCommentEvent(_Shape):
    action: str
    issue: IssueRef
    comment: Comment
    repository: Repo


class Sender(_Shape):
    login: str
    type: str = "User"  # "Bot" for apps and bots


class PullRequestNumber(_Shape):
    number: int


class ThreadComment(_Shape):
    id: int
    in_reply_to_id: int | None = None


class ReviewThread(_Shape):
    node_id: str = ""
    comments: list[ThreadComment] = Field(min_length=1)


class ReviewThreadEvent(_Shape):
    """pull_request_review_thread: a review thread was resolved or unresolved."""

    action: str
    thread: ReviewThread
    pull_request: PullRequestNumber
    repository: Repo
    sender: Sender | None = None


class ReplyComment(_Shape):
    id: int
    body: str | None = ""
    in_reply_to_id: int | None = None
    user: Sender | None = None


class ReviewReplyEvent(_Shape):
    """pull_request_review_comment, as far as feedback reads it: a reply in a review thread."""

    action: str
    comment: ReplyComment
    pull_request: PullRequestNumber
    repository: Repo
    sender: Sender | None = None


class PushEvent(_Shape):
    ref: str
    before: str
    after: str
    created: bool = False
    deleted: bool = False
    commits: list[dict[str, Any]] = Field(default_factory=list)
    repository: Repo


class RepositoryEvent(_Shape):
    action: str
    repository: Repo


class PackageVersion(_Shape):
    version: str | None = None


class Package(_Shape):
    name: str
    package_type: str | None = None
    ecosystem: str | None = None
    package_version: PackageVersion | None = None


class PackageEvent(_Shape):
    action: str
    package: Package | None = None
    registry_package: Package | None = None
    repository: Repo | None = None


class JiraIssue(_Shape):
    key: str = Field(pattern=r"^[A-Z][A-Z0-9_]*-\d+$")
    fields: dict[str, Any] = Field(default_factory=dict)


class JiraEvent(_Shape):
    webhookEvent: str
    issue: JiraIssue | None = None
