"""What auto-fix reads from and writes to GitHub, synchronously (activities call these through
`asyncio.to_thread`): the pull request and who may push to it, the target branch's config file, the
commit through the git data API (blobs, tree, commit, ref), a pull request against the branch when
the branch refuses pushes, and the reply.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from github import GithubException, InputGitTreeElement, UnknownObjectException
from github.Commit import Commit
from github.Repository import Repository

from domain.autofix.config import REPO_CONFIG_PATH
from domain.autofix.report import carries_marker, marker_in
from domain.review.markers import extract_finding_markers

WRITE_PERMISSIONS = frozenset({"admin", "write"})  # `maintain` reads as "write" in the legacy field
RECENT_COMMITS = 30  # the branch commits searched for a request's marker before pushing


@dataclass(frozen=True)
class PullFacts:
    state: str
    head_sha: str
    head_ref: str
    head_repository: str | None  # None: the fork was deleted
    base_ref: str
    clone_url: str
    maintainer_can_modify: bool
    url: str
    author: str


def pull_facts(repo: Repository, number: int) -> PullFacts:
    pr = repo.get_pull(number)
    head_repo = pr.head.repo
    return PullFacts(
        state="merged" if pr.merged else pr.state,
        head_sha=pr.head.sha,
        head_ref=pr.head.ref,
        head_repository=head_repo.full_name if head_repo else None,
        base_ref=pr.base.ref,
        clone_url=head_repo.clone_url if head_repo else "",
        maintainer_can_modify=bool(pr.maintainer_can_modify),
        url=pr.html_url or "",
        author=pr.user.login if pr.user else "unknown",
    )


def permission_of(repo: Repository, login: str) -> str:
    """GitHub's legacy permission of `login` (admin, write, read, none); none for an unknown user."""
    try:
        return repo.get_collaborator_permission(login)
    except UnknownObjectException:
        return "none"


def config_text(repo: Repository, ref: str) -> str | None:
    try:
        content = repo.get_contents(REPO_CONFIG_PATH, ref=ref)
    except UnknownObjectException:
        return None
    if isinstance(content, list):
        return None
    return content.decoded_content.decode("utf-8", "replace")


def finding_marker_of_comment(repo: Repository, number: int, comment_id: int) -> str | None:
    """The finding marker of the inline comment a thread reply answers (None: not one of ours)."""
    try:
        body = repo.get_pull(number).get_review_comment(comment_id).body or ""
    except UnknownObjectException:
        return None
    markers = sorted(extract_finding_markers(body))
    return markers[0] if markers else None


def commit_with_marker(repo: Repository, branch: str, request_id: str) -> str | None:
    """The sha of this request's commit among the branch's recent commits, if it was pushed."""
    recent: list[Commit] = list(repo.get_commits(sha=branch)[:RECENT_COMMITS])
    for commit in recent:
        if carries_marker(commit.commit.message, request_id):
            return str(commit.sha)
    return None


def branch_head(repo: Repository, branch: str) -> str:
    return str(repo.get_git_ref(f"heads/{branch}").object.sha)


def create_commit(repo: Repository, parent_sha: str, files: dict[str, tuple[bytes, str]], message: str) -> str:
    """A commit on top of `parent_sha` with `files` (path → (content, git mode)); returns its sha.
    Nothing points at it yet: moving a branch to it is the caller's step."""
    parent = repo.get_git_commit(parent_sha)
    elements = []
    for path, (content, mode) in sorted(files.items()):
        blob = repo.create_git_blob(base64.b64encode(content).decode(), "base64")
        elements.append(InputGitTreeElement(path, mode, "blob", sha=blob.sha))
    tree = repo.create_git_tree(elements, base_tree=repo.get_git_tree(parent.tree.sha))
    return str(repo.create_git_commit(message, tree, [parent]).sha)


def move_branch(repo: Repository, branch: str, sha: str) -> None:
    """Fast-forward `branch` to `sha`; GitHub refuses (422) when the branch moved meanwhile."""
    repo.get_git_ref(f"heads/{branch}").edit(sha, force=False)


def is_not_fast_forward(error: GithubException) -> bool:
    data = error.data if isinstance(error.data, dict) else {}
    return error.status == 422 and "fast forward" in str(data.get("message", "")).lower()


def open_pull_request(repo: Repository, branch: str, sha: str, base: str, title: str, body: str) -> str:
    """A pull request of `branch` (made at `sha` unless it exists) into `base`; its URL. Repeating
    it finds the branch and the pull request made the first time."""
    try:
        repo.create_git_ref(f"refs/heads/{branch}", sha)
    except GithubException as error:
        if error.status != 422:  # 422: "Reference already exists" (a retried attempt made it)
            raise
    owner = repo.owner.login
    for pull in repo.get_pulls(state="open", head=f"{owner}:{branch}", base=base):
        return str(pull.html_url)
    return str(repo.create_pull(title=title, body=body, base=base, head=branch).html_url)


def post_reply(repo: Repository, number: int, request_id: str, body: str, reply_to: int | None) -> int:
    """The request's one reply: edited in place when an earlier attempt posted it; in the inline
    thread of `reply_to` when given, else on the conversation. Returns the comment id."""
    pr = repo.get_pull(number)
    if reply_to is not None:
        for comment in pr.get_review_comments():
            if marker_in(comment.body or "") == request_id:
                comment.edit(body)
                return int(comment.id)
        try:
            return int(pr.create_review_comment_reply(reply_to, body).id)
        except UnknownObjectException:
            pass  # the thread is gone: answer on the conversation instead
    for issue_comment in pr.get_issue_comments():
        if marker_in(issue_comment.body or "") == request_id:
            issue_comment.edit(body)
            return int(issue_comment.id)
    return int(pr.create_issue_comment(body).id)
