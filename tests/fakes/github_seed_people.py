"""Seeding people and what they did in the GitHub fake (users, collaborators with roles, comments
by others, reactions), and the faults and timing a test aims at one pull request: the next
review refused, or the head moving just before a chosen request.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from tests.fakes.github_review import REVIEWS_DOCS, new_comment, new_reply, place, store_standalone
from tests.fakes.github_seed_history import HistorySeeding
from tests.fakes.github_shapes_items import issue_comment, review, review_comment
from tests.fakes.github_shapes_social import REACTIONS, ROLE_PERMISSIONS, reaction
from tests.fakes.github_state import CommentRecord, ReactionRecord, fake_sha, next_id, now_iso

OFF_DIFF = (
    "Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"
)
_moves = itertools.count(1)


class PeopleSeeding(HistorySeeding):
    """People, comments, reactions and pull-request-scoped faults on top of `HistorySeeding`."""

    bot_login: str  # set by FakeGitHub

    def __init__(self, *, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self._users: set[str] = set()

    # -- people ------------------------------------------------------------------------------
    def add_user(self, login: str) -> None:
        """A GitHub user who exists but has no role on any repository."""
        with self._lock:
            self._users.add(login.lower())

    def add_collaborator(self, full_name: str, login: str, role: str = "write") -> None:
        """Give `login` a `role` on the repository: admin, maintain, write, triage or read."""
        if role not in ROLE_PERMISSIONS:
            raise ValueError(f"role must be one of {sorted(ROLE_PERMISSIONS)}")
        with self._lock:
            self._repo(full_name).collaborators[login.lower()] = role
            self._users.add(login.lower())

    def user_exists(self, login: str) -> bool:
        """Whether GitHub knows `login`: seeded, a collaborator, an owner, the bot, or the author of
        something seeded."""
        wanted = login.lower()
        with self._lock:
            known = {*self._users, self.bot_login.lower()}
            for repo in self._repos.values():
                known |= {repo.owner.lower(), *repo.collaborators}
                known |= {pr.user_login.lower() for pr in repo.pulls.values()}
                comments = itertools.chain(*repo.issue_comments.values(), *repo.review_comments.values())
                known |= {c.user_login.lower() for c in comments}
            return wanted in known

    # -- comments and reactions by others ------------------------------------------------------
    def add_issue_comment(
        self,
        full_name: str,
        number: int,
        body: str,
        *,
        user_login: str = "octocat",
        author_association: str | None = None,
        created_at: str | None = None,
    ) -> int:
        """A conversation comment by someone on a pull request (a command to the bot, say);
        `author_association` is worked out from the repository when None. Returns its id."""
        with self._lock:
            self.pull_record(full_name, number)
            created = created_at or now_iso()
            comment = CommentRecord(next_id(), number, body, user_login, created, created)
            comment.author_association = author_association
            self._repo(full_name).issue_comments.setdefault(number, []).append(comment)
            return comment.id

    def add_review_comment(
        self,
        full_name: str,
        number: int,
        body: str,
        *,
        path: str | None = None,
        line: int | None = None,
        side: str = "RIGHT",
        start_line: int | None = None,
        start_side: str | None = None,
        commit_id: str | None = None,
        in_reply_to: int | None = None,
        user_login: str = "octocat",
        author_association: str | None = None,
    ) -> int:
        """An inline comment by someone (placed on the diff like a posted one, without refusing
        lines off the diff), or with `in_reply_to` a reply in that thread. Returns its id."""
        with self._lock:
            repo, pr = self._repo(full_name), self.pull_record(full_name, number)
            if in_reply_to is not None:
                parent = repo.find_review_comment(in_reply_to)
                if parent is None:
                    raise KeyError(f"no review comment {in_reply_to}")
                comment = new_reply(user_login, parent, body)
            else:
                commit = commit_id or pr.head_sha
                spec = {"path": path, "line": line, "side": side, "start_line": start_line, "start_side": start_side}
                placement = place(pr.files_at(commit), spec, strict=False)
                comment = new_comment(user_login, number, {"body": body}, placement, commit)
            comment.author_association = author_association
            return store_standalone(repo, pr, comment).id

    def add_reaction(self, full_name: str, comment_id: int, content: str, *, user_login: str = "octocat") -> int:
        """Someone's reaction ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket",
        "eyes") on an issue comment or a review comment. Returns its id."""
        if content not in REACTIONS:
            raise ValueError(f"content must be one of {REACTIONS}")
        with self._lock:
            repo = self._repo(full_name)
            if repo.find_issue_comment(comment_id) is None and repo.find_review_comment(comment_id) is None:
                raise KeyError(f"no comment {comment_id} in {full_name}")
            record = ReactionRecord(next_id(), content, user_login, now_iso())
            repo.reactions.setdefault(comment_id, []).append(record)
            self._users.add(user_login.lower())
            return record.id

    # -- readers for assertions --------------------------------------------------------------
    def issue_comments(self, full_name: str, number: int) -> list[dict[str, Any]]:
        """Issue comments on a pull request, as the API would list them."""
        with self._lock:
            repo = self.repo_record(full_name)
            comments = repo.issue_comments.get(number, []) if repo else []
            return [issue_comment(self._base(), repo, c) for c in comments if repo]

    def review_comments(self, full_name: str, number: int) -> list[dict[str, Any]]:
        """Inline review comments on a pull request (path, line, side, commit_id, body...)."""
        with self._lock:
            repo = self.repo_record(full_name)
            comments = repo.review_comments.get(number, []) if repo else []
            return [review_comment(self._base(), repo, c) for c in comments if repo]

    def reviews(self, full_name: str, number: int) -> list[dict[str, Any]]:
        """Reviews submitted on a pull request."""
        with self._lock:
            repo = self.repo_record(full_name)
            found = repo.reviews.get(number, []) if repo else []
            return [review(self._base(), repo, r) for r in found if repo]

    def reactions(self, full_name: str, comment_id: int) -> list[dict[str, Any]]:
        """Reactions on a comment, as the API would list them."""
        with self._lock:
            found = self._repo(full_name).reactions.get(comment_id, [])
            return [reaction(self._base(), r) for r in found]

    # -- faults and timing aimed at one pull request -------------------------------------------
    def fail_next_review(
        self, full_name: str, number: int, *, status: int = 422, errors: Iterable[object] | None = None, times: int = 1
    ) -> None:
        """Refuse the next `times` reviews posted on this pull request with `status`, before any
        is stored. A 422 is GitHub's "Unprocessable Entity" with `errors` (default: the sentence
        for a line off the diff); a 404 is "Not Found" (a pull request gone or out of reach)."""
        body = {**self.error_reply(status).body, "documentation_url": REVIEWS_DOCS}
        if status == 422:
            listed = list(errors) if errors is not None else [OFF_DIFF]
            body = {
                "message": "Unprocessable Entity",
                "errors": listed,
                "documentation_url": REVIEWS_DOCS,
                "status": "422",
            }
        self.faults.push(
            status=status, body=body, times=times, method="POST", path=self._reviews_path(full_name, number)
        )

    def move_head_before(
        self,
        full_name: str,
        number: int,
        *,
        changes: Mapping[str, str | bytes | None] | None = None,
        head_sha: str | None = None,
        files: Iterable[Mapping[str, Any]] | None = None,
        method: str = "POST",
        path: str | None = None,
    ) -> None:
        """Push a new head to the pull request just before the next `method` request whose path
        matches the regex `path` (default: posting a review on it), so the client acted on a head
        that is no longer current. With `changes` the push is a content commit on the head branch
        (`commit_changes`); otherwise `head_sha`/`files` are pushed as `push_to_pull` does."""

        def push() -> None:
            if changes is not None:
                repo, pr = self._repo(full_name), self.pull_record(full_name, number)
                holder = self.head_repo_of(repo, pr).full_name
                self.commit_changes(holder, changes, branch=pr.head_ref, message="Push while the review was written")
            else:
                sha = head_sha or fake_sha(full_name, number, "moved", next(_moves))
                self.push_to_pull(full_name, number, sha, files=files)

        self.triggers.before(push, method=method, path=path or self._reviews_path(full_name, number))

    def _reviews_path(self, full_name: str, number: int) -> str:
        owner, name = full_name.split("/", 1)
        return rf"^/repos/{re.escape(owner)}/{re.escape(name)}/pulls/{number}/reviews$"
