"""What the GitHub fake holds: repositories with branches, commits, files and pull requests,
comments, reviews and packages, as plain records rendered to JSON on each request (the URLs in
GitHub's JSON depend on the server's port, known only once it listens).
"""

from __future__ import annotations

import hashlib
import itertools
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

_ids = itertools.count(1001)


def next_id() -> int:
    """A fresh id, unique across every fake in the process (as GitHub's ids are global)."""
    return next(_ids)


def stable_id(text: str) -> int:
    """A stable numeric id for a login or a name, so user ids do not depend on test order."""
    return zlib.crc32(text.encode()) % 100_000_000 + 1


def fake_sha(*parts: object) -> str:
    """A deterministic 40-hex sha for seeded commits that the test did not name."""
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()


def now_iso() -> str:
    """The current UTC time in GitHub's format."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    """Parse GitHub's ISO 8601 timestamps ("...Z" or with an offset)."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def later_than(previous: str) -> str:
    """Now, or one second after `previous` if that is not earlier: GitHub's timestamps have
    whole seconds, and an edit must show a newer `updated_at` even within the same second."""
    floor = parse_iso(previous) + timedelta(seconds=1)
    return max(datetime.now(UTC).replace(microsecond=0), floor).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class CommitRecord:
    sha: str
    message: str
    author_login: str | None
    author_name: str
    author_email: str
    date: str
    parents: list[str]
    files: list[dict[str, Any]] = field(default_factory=list)
    tree: dict[str, bytes] | None = None  # every file of the commit, when its content is known


@dataclass
class PullRecord:
    number: int
    title: str
    body: str | None
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    files: list[dict[str, Any]]
    draft: bool
    state: str
    user_login: str
    commits: list[str]
    created_at: str
    updated_at: str
    merged: bool = False
    labels: list[str] = field(default_factory=list)
    id: int = field(default_factory=next_id)
    head_repo: str | None = None  # the fork's full name when the head branch lives in a fork
    maintainer_can_modify: bool = False
    locked: bool = False
    lock_reason: str | None = None
    content_based: bool = False  # files are the diff of seeded trees, recomputed on each push
    files_by_head: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # earlier heads

    def files_at(self, commit_id: str) -> list[dict[str, Any]]:
        """The pull request's files as they were when `commit_id` was its head."""
        return self.files if commit_id == self.head_sha else self.files_by_head.get(commit_id, self.files)


@dataclass
class CommentRecord:
    """An issue comment, or (with `path` set) a pull-request review comment."""

    id: int
    number: int
    body: str
    user_login: str
    created_at: str
    updated_at: str
    path: str | None = None
    line: int | None = None
    side: str | None = None
    start_line: int | None = None
    start_side: str | None = None
    position: int | None = None
    commit_id: str | None = None
    diff_hunk: str = ""
    review_id: int | None = None
    in_reply_to: int | None = None
    author_association: str | None = None  # None: worked out from the repository's people


@dataclass
class ReactionRecord:
    id: int
    content: str
    user_login: str
    created_at: str


@dataclass
class ReviewRecord:
    id: int
    number: int
    body: str
    state: str
    commit_id: str
    user_login: str
    submitted_at: str
    comment_ids: list[int] = field(default_factory=list)


@dataclass
class RepoRecord:
    owner: str
    name: str
    default_branch: str
    language: str | None = None
    archived: bool = False
    fork: bool = False
    private: bool = False
    description: str | None = None
    topics: list[str] = field(default_factory=list)
    created_at: str = "2024-01-01T00:00:00Z"
    clone_url: str | None = None  # where `git clone` really works (a local path in soak tests)
    fork_of: str | None = None  # full name of the parent, for a fork
    id: int = field(default_factory=next_id)
    branches: dict[str, str] = field(default_factory=dict)
    history: dict[str, list[str]] = field(default_factory=dict)  # branch -> shas, oldest first
    commits: dict[str, CommitRecord] = field(default_factory=dict)
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)  # ref -> path -> bytes
    pulls: dict[int, PullRecord] = field(default_factory=dict)
    issue_comments: dict[int, list[CommentRecord]] = field(default_factory=dict)
    review_comments: dict[int, list[CommentRecord]] = field(default_factory=dict)
    reviews: dict[int, list[ReviewRecord]] = field(default_factory=dict)
    collaborators: dict[str, str] = field(default_factory=dict)  # lower-cased login -> role
    reactions: dict[int, list[ReactionRecord]] = field(default_factory=dict)  # comment id -> reactions
    trees: dict[str, dict[str, bytes]] = field(default_factory=dict)  # trees made through the API
    blobs: dict[str, bytes] = field(default_factory=dict)  # blobs made through the API

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def pushed_at(self) -> str:
        head = self.commits.get(self.branches.get(self.default_branch, ""))
        return head.date if head else self.created_at

    def resolve_ref(self, ref: str | None) -> list[str] | None:
        """Keys of `files` that may hold the tree at `ref`, or None for an unknown ref."""
        ref = ref or self.default_branch
        keys = [ref]
        if ref in self.branches:
            keys.append(self.branches[ref])
        keys += [name for name, sha in self.branches.items() if sha == ref]
        known = ref in self.branches or ref in self.commits or ref in self.files
        return keys if known else None

    def tree_at(self, ref: str | None) -> dict[str, bytes] | None:
        """Every file at `ref` (a branch, a sha or a key seeded by `add_file`), None if unknown.

        A commit whose tree is known (content-based history) is that tree plus files seeded at
        its sha; otherwise the files seeded under the ref, its sha and the branches at that sha.
        """
        keys = self.resolve_ref(ref)
        if keys is None:
            return None
        ref = ref or self.default_branch
        commit = self.commits.get(self.branches.get(ref, ref))
        if commit is not None and commit.tree is not None:
            return {**commit.tree, **self.files.get(commit.sha, {})}
        tree: dict[str, bytes] = {}
        for key in reversed(keys):  # the first key (the ref as named) wins
            tree.update(self.files.get(key, {}))
        return tree

    def find_issue_comment(self, comment_id: int) -> CommentRecord | None:
        for comments in self.issue_comments.values():
            for comment in comments:
                if comment.id == comment_id:
                    return comment
        return None

    def find_review_comment(self, comment_id: int) -> CommentRecord | None:
        for comments in self.review_comments.values():
            for comment in comments:
                if comment.id == comment_id:
                    return comment
        return None


@dataclass
class PackageRecord:
    org: str
    name: str
    package_type: str
    versions: list[tuple[int, str, str]]  # (id, version, created_at), oldest first
    repository: str | None = None
    id: int = field(default_factory=next_id)


@dataclass
class InstallationRecord:
    id: int
    account: str
    app_id: int | str | None
