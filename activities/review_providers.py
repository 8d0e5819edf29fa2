"""Where pull requests come from and where reviews go: GitHub (PyGithub) or a local git clone.

Both speak one small, synchronous interface; activities call it through `asyncio.to_thread`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from github import Github, UnknownObjectException
from github.PullRequest import PullRequest

from clients import git
from clients.github import make_github
from contracts.review import ChangedFile, PullRequestRef
from core.settings import GithubSettings

_GITHUB_STATUS = {"removed": "deleted", "renamed": "renamed", "added": "added"}


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
    path: str
    line: int
    body: str


class ReviewProvider(Protocol):
    def fetch(self) -> FetchedPullRequest: ...

    def read_file(self, path: str, ref: str) -> str | None: ...

    def find_comment_with(self, marker: str) -> int | None: ...

    def update_comment(self, comment_id: int, body: str) -> bool:
        """Edit by id; False when the comment no longer exists."""
        ...

    def create_comment(self, body: str) -> int | None: ...

    def review_comment_bodies(self) -> list[str]: ...

    def post_inline(self, head_sha: str, comments: list[InlineComment]) -> None: ...


class GithubProvider:
    def __init__(self, settings: GithubSettings, pr: PullRequestRef, client: Github | None = None) -> None:
        self._settings = settings
        self._ref = pr
        self._client = client or make_github(settings, pr.repository)
        self._pr: PullRequest | None = None

    def _pull(self) -> PullRequest:
        if self._pr is None:
            self._pr = self._client.get_repo(self._ref.repository).get_pull(self._ref.number)
        return self._pr

    def fetch(self) -> FetchedPullRequest:
        pr = self._pull()
        author = pr.user.login if pr.user else "unknown"
        is_bot = bool(pr.user and pr.user.type == "Bot") or author in self._settings.bot_logins
        files = [
            ChangedFile(
                path=f.filename,
                status=_GITHUB_STATUS.get(f.status, "modified"),
                patch=f.patch,
                old_path=f.previous_filename,
                additions=f.additions,
                deletions=f.deletions,
            )
            for f in pr.get_files()
        ]
        return FetchedPullRequest(
            title=pr.title or "",
            body=pr.body or "",
            author=author,
            author_is_bot=is_bot,
            state="merged" if pr.merged else pr.state,
            draft=bool(pr.draft),
            head_sha=pr.head.sha,
            head_ref=pr.head.ref,
            base_ref=pr.base.ref,
            url=pr.html_url or "",
            files=files,
        )

    def read_file(self, path: str, ref: str) -> str | None:
        try:
            content = self._client.get_repo(self._ref.repository).get_contents(path, ref=ref)
        except UnknownObjectException:
            return None
        if isinstance(content, list):
            return None
        return content.decoded_content.decode("utf-8", errors="replace")

    def find_comment_with(self, marker: str) -> int | None:
        for comment in self._pull().get_issue_comments():
            if marker in (comment.body or ""):
                return int(comment.id)
        return None

    def update_comment(self, comment_id: int, body: str) -> bool:
        try:
            self._pull().get_issue_comment(comment_id).edit(body)
        except UnknownObjectException:
            return False
        return True

    def create_comment(self, body: str) -> int | None:
        return int(self._pull().create_issue_comment(body).id)

    def review_comment_bodies(self) -> list[str]:
        return [c.body or "" for c in self._pull().get_review_comments()]

    def post_inline(self, head_sha: str, comments: list[InlineComment]) -> None:
        if not comments:
            return
        repo = self._client.get_repo(self._ref.repository)
        self._pull().create_review(
            commit=repo.get_commit(head_sha),
            event="COMMENT",
            comments=[{"path": c.path, "line": c.line, "side": "RIGHT", "body": c.body} for c in comments],
        )


_DIFF_FILE = re.compile(r"^diff --git ", re.MULTILINE)


class LocalGitProvider:
    """Reviews `head_ref` against `base_ref` of a local clone; posting is rendering only."""

    def __init__(self, pr: PullRequestRef) -> None:
        if not pr.local_path or not pr.base_ref or not pr.head_ref:
            raise ValueError("a local review needs local_path, base_ref and head_ref")
        self._ref = pr
        self._path = Path(pr.local_path)

    def fetch(self) -> FetchedPullRequest:
        head = git.head_commit(self._path, self._ref.head_ref or "HEAD")
        base = git.head_commit(self._path, self._ref.base_ref or "HEAD")
        diff = git.diff_text(self._path, base, head)
        subject = git.run_git(["log", "-1", "--format=%s%n%n%b", head], cwd=self._path).decode().strip()
        title, _, body = subject.partition("\n")
        author = git.run_git(["log", "-1", "--format=%an", head], cwd=self._path).decode().strip()
        return FetchedPullRequest(
            title=title,
            body=body.strip(),
            author=author or "local",
            author_is_bot=False,
            state="open",
            draft=False,
            head_sha=head,
            head_ref=self._ref.head_ref or head,
            base_ref=self._ref.base_ref or base,
            url="",
            files=files_from_diff(diff),
        )

    def read_file(self, path: str, ref: str) -> str | None:
        try:
            return git.read_file(self._path, ref, path).decode("utf-8", errors="replace")
        except git.GitError:
            return None

    def find_comment_with(self, marker: str) -> int | None:
        return None

    def update_comment(self, comment_id: int, body: str) -> bool:
        return False

    def create_comment(self, body: str) -> int | None:
        return None

    def review_comment_bodies(self) -> list[str]:
        return []

    def post_inline(self, head_sha: str, comments: list[InlineComment]) -> None:
        return None


def files_from_diff(diff: str) -> list[ChangedFile]:
    """Split `git diff` output into GitHub-style per-file entries (patch = the hunks only)."""
    from domain.diff import parse_unified_diff

    files = []
    blocks = [b for b in _DIFF_FILE.split(diff) if b.strip()]
    for block, parsed in zip(blocks, parse_unified_diff(diff), strict=False):
        hunk_start = block.find("\n@@")
        patch = block[hunk_start + 1 :] if hunk_start >= 0 and not parsed.is_binary else None
        added = sum(len([ln for ln in h.lines if ln.kind == "add"]) for h in parsed.hunks)
        removed = sum(len([ln for ln in h.lines if ln.kind == "del"]) for h in parsed.hunks)
        files.append(
            ChangedFile(
                path=parsed.path,
                status=parsed.status,
                patch=patch,
                old_path=parsed.old_path,
                additions=added,
                deletions=removed,
            )
        )
    return files


def provider_for(settings: GithubSettings, pr: PullRequestRef) -> ReviewProvider:
    if pr.provider == "local":
        return LocalGitProvider(pr)
    return GithubProvider(settings, pr)
