"""The parts of each webhook payload the product reads, validated: a wrong shape is a 400, not a 500."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore")


# GitHub's ids are positive 64-bit integers (stored as BIGINT).
GithubId = Annotated[int, Field(strict=True, ge=1, lt=2**63)]
FullName = Annotated[str, Field(min_length=3, pattern=r"^[^/\s]+/[^/\s]+$")]


class Repo(_Shape):
    full_name: FullName
    id: GithubId | None = None
    default_branch: str | None = None
    clone_url: str | None = None
    html_url: str | None = None
    archived: bool | None = None  # None: the payload does not say


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


class User(_Shape):
    login: str
    type: str = "User"  # "Bot" for apps and bots


class Comment(_Shape):
    id: int
    body: str | None = ""
    user: User | None = None


class BodyChange(_Shape):
    from_: str | None = Field(default=None, alias="from")


class Changes(_Shape):
    body: BodyChange | None = None


class IssueCommentEvent(_Shape):
    action: str
    issue: IssueRef
    comment: Comment
    repository: Repo
    sender: User | None = None
    changes: Changes | None = None


class ReviewComment(Comment):
    path: str | None = None
    line: int | None = None
    original_line: int | None = None
    in_reply_to_id: int | None = None


class PullRequestNumber(_Shape):
    number: int


class ReviewCommentEvent(_Shape):
    """pull_request_review_comment: a comment on a line of the diff, or a reply in its thread."""

    action: str
    comment: ReviewComment
    pull_request: PullRequestNumber
    repository: Repo
    sender: User | None = None
    changes: Changes | None = None


class Sender(_Shape):
    login: str
    type: str = "User"  # "Bot" for apps and bots


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


class Account(_Shape):
    login: str = Field(min_length=1)


class ChangedFrom(_Shape):
    """`{"from": ...}`: a value before an edit."""

    before: str = Field(alias="from")


class RenamedRepository(_Shape):
    name: ChangedFrom


class OwnerBefore(_Shape):
    user: Account | None = None
    organization: Account | None = None


class OwnerChange(_Shape):
    before: OwnerBefore = Field(alias="from")


class RepositoryChanges(_Shape):
    repository: RenamedRepository | None = None  # renamed: changes.repository.name.from
    owner: OwnerChange | None = None  # transferred: changes.owner.from.{user|organization}.login
    default_branch: ChangedFrom | None = None  # edited


class RepositoryEvent(_Shape):
    action: str
    repository: Repo
    changes: RepositoryChanges | None = None


class Installation(_Shape):
    id: GithubId
    account: Account | None = None


class InstalledRepo(_Shape):
    """A repository as installation events list it (id, name, full_name, private)."""

    full_name: FullName
    id: GithubId | None = None


class InstallationEvent(_Shape):
    action: str
    installation: Installation
    repositories: list[InstalledRepo] | None = None  # absent from some actions (suspend, unsuspend)


class InstallationRepositoriesEvent(_Shape):
    action: str
    installation: Installation
    repositories_added: list[InstalledRepo] = Field(default_factory=list)
    repositories_removed: list[InstalledRepo] = Field(default_factory=list)


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
