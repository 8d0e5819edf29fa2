"""A "pull request" that is a branch of a local git clone: `pr-agent review` and the demo.

Posting is rendering only: nothing is sent anywhere, so nothing is ever refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from clients import git
from clients.pull_requests.base import Comparison, FetchedPullRequest, InlineComment, Permission, ThreadComment
from contracts.review import ChangedFile, PullRequestRef
from domain.feedback.votes import Reaction

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

    def review_comment_markers(self) -> dict[str, int]:
        return {}

    def review_comment_reactions(self, comment_id: int) -> list[Reaction] | None:
        return None

    def issue_comment_reactions(self, comment_id: int) -> list[Reaction] | None:
        return None

    def post_inline(self, head_sha: str, comments: list[InlineComment]) -> None:
        return None

    def post_inline_comment(self, head_sha: str, comment: InlineComment) -> None:
        return None

    def current_head(self) -> str:
        return git.head_commit(self._path, self._ref.head_ref or "HEAD")

    def compare(self, base: str, head: str) -> Comparison | None:
        try:
            git.run_git(["merge-base", "--is-ancestor", base, head], cwd=self._path)
        except git.GitError:
            return None  # not an ancestor (rewritten history) or unknown: no incremental review
        return Comparison(status="ahead", files=files_from_diff(git.diff_text(self._path, base, head)))

    # A local branch has no conversation: nothing is locked, the operator may do anything, and
    # what would be written on a pull request is only rendered.
    def is_locked(self) -> bool:
        return False

    def permission(self, login: str) -> Permission:
        return Permission("admin")

    def react(self, comment_id: int, content: str, *, review_comment: bool) -> None:
        return None

    def reply_in_thread(self, root_comment_id: int, body: str) -> int | None:
        return None

    def review_thread_comments(self) -> list[ThreadComment]:
        return []

    def latest_body(self) -> str:
        return self.fetch().body

    def update_body(self, body: str) -> None:
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
