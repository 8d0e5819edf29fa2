"""What ReviewPR and the PR commands need from wherever a pull request lives: one small,
synchronous interface (activities call it through `asyncio.to_thread`), spoken by GitHub (PyGithub)
and by a local git clone (`pr-agent review`, the demo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from contracts.review import ChangedFile
from domain.feedback.votes import Reaction


@dataclass
class FetchedPullRequest:
    title: str
    body: str
    author: str
    author_is_bot: bool
    state: str
    draft: bool
    head_sha: str
    head_ref: str
    base_ref: str
    url: str
    files: list[ChangedFile]


@dataclass(frozen=True)
class InlineComment:
    """A comment on `line` of the head (with `start_line`: on the range start_line..line)."""

    path: str
    line: int
    body: str
    start_line: int | None = None


@dataclass
class Comparison:
    """What changed from `base` to `head`; `status` is GitHub's: ahead, behind, diverged, identical."""

    status: Literal["ahead", "behind", "diverged", "identical"]
    files: list[ChangedFile] = field(default_factory=list)


@dataclass(frozen=True)
class ThreadComment:
    """An inline (review) comment: where it sits and which thread it belongs to."""

    id: int
    path: str | None
    line: int | None
    body: str
    author: str
    in_reply_to: int | None = None


@dataclass(frozen=True)
class Permission:
    """A login's access to the repository as GitHub reports it (see domain.commands.access)."""

    permission: str  # admin, write, read, none
    role_name: str | None = None


class PostingRejected(Exception):
    """The provider refused a comment for good (GitHub's 422 or 404); `reason` is its own words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ReviewProvider(Protocol):
    def fetch(self) -> FetchedPullRequest: ...

    def current_head(self) -> str:
        """The pull request's head right now (read afresh, not the fetched one)."""
        ...

    def compare(self, base: str, head: str) -> Comparison | None:
        """Changes from `base` to `head`, or None when they cannot be compared (a commit is gone)."""
        ...

    def read_file(self, path: str, ref: str) -> str | None: ...

    def find_comment_with(self, marker: str) -> int | None: ...

    def update_comment(self, comment_id: int, body: str) -> bool:
        """Edit by id; False when the comment no longer exists."""
        ...

    def create_comment(self, body: str) -> int | None: ...

    def review_comment_bodies(self) -> list[str]: ...

    def review_comment_markers(self) -> dict[str, int]:
        """Finding marker -> id of the inline comment carrying it, for the comments on the pull request."""
        ...

    def review_comment_reactions(self, comment_id: int) -> list[Reaction] | None:
        """Reactions on an inline comment; None when the comment is gone."""
        ...

    def issue_comment_reactions(self, comment_id: int) -> list[Reaction] | None:
        """Reactions on a conversation comment (the summary); None when the comment is gone."""
        ...

    def post_inline(self, head_sha: str, comments: list[InlineComment]) -> None:
        """All comments as one review; PostingRejected when GitHub refuses the batch."""
        ...

    def post_inline_comment(self, head_sha: str, comment: InlineComment) -> None:
        """One comment on its own; PostingRejected when GitHub refuses it."""
        ...

    # -- what the pull-request commands need -------------------------------------------------

    def is_locked(self) -> bool:
        """Whether the conversation is locked (read afresh)."""
        ...

    def permission(self, login: str) -> Permission:
        """`login`'s access to the repository; Permission("none") for a login that is no user."""
        ...

    def react(self, comment_id: int, content: str, *, review_comment: bool) -> None:
        """React to a comment (an inline one when `review_comment`); reacting twice alike is one reaction."""
        ...

    def reply_in_thread(self, root_comment_id: int, body: str) -> int | None:
        """Reply in the inline thread that starts with `root_comment_id`."""
        ...

    def review_thread_comments(self) -> list[ThreadComment]: ...

    def latest_body(self) -> str:
        """The pull request's description right now (read afresh, not the fetched one)."""
        ...

    def update_body(self, body: str) -> None: ...
