"""A pull request on GitHub (or GitHub Enterprise), through PyGithub."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from github import Github, GithubException, UnknownObjectException
from github.PullRequest import PullRequest
from github.Repository import Repository

from clients.github import make_github
from clients.pull_requests.base import (
    Comparison,
    FetchedPullRequest,
    InlineComment,
    Permission,
    PostingRejected,
    ThreadComment,
)
from contracts.review import ChangedFile, PullRequestRef
from core.settings import GithubSettings
from domain.feedback.votes import Reaction
from domain.review.markers import extract_finding_markers

_GITHUB_STATUS = {"removed": "deleted", "renamed": "renamed", "added": "added"}
_COMPARE_STATUSES = ("ahead", "behind", "diverged", "identical")
# GitHub refuses a comment for good with 422 (not part of the diff, bad range) or 404 (commit or
# pull request gone); anything else is an outage that Temporal retries.
_REFUSALS = (404, 422)


class GithubProvider:
    def __init__(self, settings: GithubSettings, pr: PullRequestRef, client: Github | None = None) -> None:
        self._settings = settings
        self._ref = pr
        self._client = client or make_github(settings, pr.repository)
        self._pr: PullRequest | None = None
        self._repo: Repository | None = None

    def _repository(self) -> Repository:
        """The repository object, fetched once: a review reads many files from it."""
        if self._repo is None:
            self._repo = self._client.get_repo(self._ref.repository)
        return self._repo

    def _pull(self) -> PullRequest:
        if self._pr is None:
            self._pr = self._repository().get_pull(self._ref.number)
        return self._pr

    def fetch(self) -> FetchedPullRequest:
        pr = self._pull()
        author = pr.user.login if pr.user else "unknown"
        is_bot = bool(pr.user and pr.user.type == "Bot") or author in self._settings.bot_logins
        files = [_changed_file(f) for f in pr.get_files()]
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
            content = self._repository().get_contents(path, ref=ref)
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

    def review_comment_markers(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for comment in self._pull().get_review_comments():
            for marker in extract_finding_markers(comment.body or ""):
                found.setdefault(marker, int(comment.id))
        return found

    def review_comment_reactions(self, comment_id: int) -> list[Reaction] | None:
        # GET /repos/{o}/{r}/pulls/comments/{id}/reactions (the comment object is not fetched first)
        return _reactions(lambda: self._pull().get_review_comment(comment_id).get_reactions())

    def issue_comment_reactions(self, comment_id: int) -> list[Reaction] | None:
        # GET /repos/{o}/{r}/issues/comments/{id}/reactions
        return _reactions(lambda: self._pull().get_issue_comment(comment_id).get_reactions())

    def current_head(self) -> str:
        fresh = self._client.get_repo(self._ref.repository).get_pull(self._ref.number)
        return str(fresh.head.sha)

    def compare(self, base: str, head: str) -> Comparison | None:
        try:
            comparison = self._repository().compare(base, head)
        except GithubException as error:
            if error.status in _REFUSALS:  # a commit GitHub no longer has, or no common history
                return None
            raise
        status = comparison.status if comparison.status in _COMPARE_STATUSES else "diverged"
        return Comparison(status=status, files=[_changed_file(f) for f in comparison.files])  # type: ignore[arg-type]

    def post_inline(self, head_sha: str, comments: list[InlineComment]) -> None:
        if not comments:
            return
        try:
            self._pull().create_review(
                commit=self._repository().get_commit(head_sha),
                event="COMMENT",
                comments=[_review_comment(c) for c in comments],
            )
        except GithubException as error:
            raise _refusal(error) from error

    def post_inline_comment(self, head_sha: str, comment: InlineComment) -> None:
        extra: dict[str, Any] = {}
        if comment.start_line is not None:
            extra = {"start_line": comment.start_line, "start_side": "RIGHT"}
        try:
            self._pull().create_review_comment(
                comment.body, head_sha, comment.path, line=comment.line, side="RIGHT", **extra
            )
        except GithubException as error:
            raise _refusal(error) from error

    # -- what the pull-request commands need: plain REST calls, one request each ----------------

    def _rest(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        _, data = self._client.requester.requestJsonAndCheck(method, path, input=body)
        return data

    def _repo_path(self) -> str:
        return f"/repos/{self._ref.repository}"

    def is_locked(self) -> bool:
        return bool(self._rest("GET", f"{self._repo_path()}/pulls/{self._ref.number}").get("locked"))

    def latest_body(self) -> str:
        return str(self._rest("GET", f"{self._repo_path()}/pulls/{self._ref.number}").get("body") or "")

    def update_body(self, body: str) -> None:
        self._rest("PATCH", f"{self._repo_path()}/pulls/{self._ref.number}", {"body": body})

    def permission(self, login: str) -> Permission:
        try:
            data = self._rest("GET", f"{self._repo_path()}/collaborators/{quote(login, safe='')}/permission")
        except UnknownObjectException:  # "{login} is not a user"
            return Permission("none")
        return Permission(str(data.get("permission") or "none"), data.get("role_name"))

    def react(self, comment_id: int, content: str, *, review_comment: bool) -> None:
        kind = "pulls" if review_comment else "issues"
        self._rest("POST", f"{self._repo_path()}/{kind}/comments/{comment_id}/reactions", {"content": content})

    def reply_in_thread(self, root_comment_id: int, body: str) -> int | None:
        path = f"{self._repo_path()}/pulls/{self._ref.number}/comments/{root_comment_id}/replies"
        return int(self._rest("POST", path, {"body": body})["id"])

    def review_thread_comments(self) -> list[ThreadComment]:
        return [
            ThreadComment(
                id=int(c.id),
                path=c.path,
                line=c.line or c.original_line,
                body=c.body or "",
                author=c.user.login if c.user else "",
                in_reply_to=c.in_reply_to_id,
            )
            for c in self._pull().get_review_comments()
        ]


def _reactions(listing: Callable[[], Any]) -> list[Reaction] | None:
    try:
        return [Reaction(user=r.user.login, content=r.content, user_is_bot=r.user.type == "Bot") for r in listing()]
    except UnknownObjectException:
        return None  # the comment was deleted


def _changed_file(f: Any) -> ChangedFile:
    return ChangedFile(
        path=f.filename,
        status=_GITHUB_STATUS.get(f.status, "modified"),
        patch=f.patch,
        old_path=f.previous_filename,
        additions=f.additions,
        deletions=f.deletions,
    )


def _review_comment(comment: InlineComment) -> Any:
    body: dict[str, Any] = {"path": comment.path, "line": comment.line, "side": "RIGHT", "body": comment.body}
    if comment.start_line is not None:
        body |= {"start_line": comment.start_line, "start_side": "RIGHT"}
    return body


def _refusal(error: GithubException) -> Exception:
    """PostingRejected with GitHub's own words for a 422/404; the error itself otherwise (retried)."""
    if error.status not in _REFUSALS:
        return error
    data = error.data if isinstance(error.data, dict) else {}
    details = [e.get("message") or e.get("code") for e in data.get("errors", []) if isinstance(e, dict)]
    details += [e for e in data.get("errors", []) if isinstance(e, str)]
    words = "; ".join([str(data.get("message") or "refused"), *(str(d) for d in details if d)])
    return PostingRejected(f"GitHub {error.status}: {words}")
