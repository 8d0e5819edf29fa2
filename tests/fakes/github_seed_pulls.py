"""Seeding pull requests in the GitHub fake: from hand-made `files` entries, from a fork, pushes
that move the head, and locked conversations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tests.fakes.github_seed import GitHubSeeding, file_defaults
from tests.fakes.github_state import PullRecord, RepoRecord, fake_sha, later_than, now_iso

LOCK_REASONS = ("off-topic", "too heated", "resolved", "spam")


class PullSeeding(GitHubSeeding):
    """Pull requests on top of `GitHubSeeding`'s repositories."""

    def add_pull(
        self,
        full_name: str,
        number: int,
        *,
        title: str,
        head_ref: str,
        head_sha: str,
        body: str | None = "",
        base_ref: str | None = None,
        base_sha: str | None = None,
        files: Iterable[Mapping[str, Any]] = (),
        draft: bool = False,
        state: str = "open",
        user_login: str = "octocat",
        commits: Sequence[str] | None = None,
        labels: Sequence[str] = (),
        created_at: str | None = None,
        updated_at: str | None = None,
        merged: bool = False,
        head_repo: str | None = None,
        maintainer_can_modify: bool = False,
    ) -> None:
        """Add a pull request; `files` are GitHub `files` entries (see `files_from_unified_diff`).
        The head branch is created at `head_sha`, in the fork `head_repo` when given (made if
        new: `fork: true`, sharing this repository's commits as a fork network does); `commits`
        defaults to just the head."""
        with self._lock:
            repo = self._repo(full_name)
            base_ref = base_ref or repo.default_branch
            base_sha = base_sha or repo.branches.get(base_ref) or fake_sha(full_name, base_ref)
            shas = list(commits) if commits is not None else [head_sha]
            entries = [file_defaults(f) for f in files]
            for index, sha in enumerate(shas):
                if sha not in repo.commits:
                    parent = [shas[index - 1]] if index else [base_sha]
                    self._put_commit(repo, sha, title, branch=None, parents=parent)
            repo.commits[head_sha].files = entries
            holder = self._fork(repo, head_repo) if head_repo else repo
            holder.branches[head_ref] = head_sha
            created = created_at or now_iso()
            repo.pulls[number] = PullRecord(
                number=number,
                title=title,
                body=body,
                head_ref=head_ref,
                head_sha=head_sha,
                base_ref=base_ref,
                base_sha=base_sha,
                files=entries,
                draft=draft,
                state=state,
                user_login=user_login,
                commits=shas,
                created_at=created,
                updated_at=updated_at or created,
                merged=merged,
                labels=list(labels),
                head_repo=holder.full_name if head_repo else None,
                maintainer_can_modify=maintainer_can_modify,
            )

    def push_to_pull(
        self,
        full_name: str,
        number: int,
        head_sha: str,
        *,
        files: Iterable[Mapping[str, Any]] | None = None,
    ) -> None:
        """A new head for a pull request (a `synchronize`): one more commit, new files (the old
        ones stay for reviews that still name the old head)."""
        with self._lock:
            repo = self._repo(full_name)
            pr = repo.pulls[number]
            pr.files_by_head[pr.head_sha] = pr.files
            if files is not None:
                pr.files = [file_defaults(f) for f in files]
            commit = self._put_commit(repo, head_sha, pr.title, branch=None, parents=[pr.head_sha])
            commit.files = pr.files
            self.head_repo_of(repo, pr).branches[pr.head_ref] = head_sha
            pr.head_sha = head_sha
            pr.commits.append(head_sha)
            pr.updated_at = later_than(pr.updated_at)

    def lock_pull(self, full_name: str, number: int, reason: str | None = None) -> None:
        """Lock a pull request's conversation (`locked`, `active_lock_reason`); `reason` is one
        of GitHub's: "off-topic", "too heated", "resolved", "spam" (or None)."""
        if reason is not None and reason not in LOCK_REASONS:
            raise ValueError(f"lock reason must be one of {LOCK_REASONS}")
        with self._lock:
            pr = self.pull_record(full_name, number)
            pr.locked, pr.lock_reason = True, reason

    def unlock_pull(self, full_name: str, number: int) -> None:
        with self._lock:
            pr = self.pull_record(full_name, number)
            pr.locked, pr.lock_reason = False, None

    def pull_record(self, full_name: str, number: int) -> PullRecord:
        """The stored pull request (KeyError if unknown)."""
        pr = self._repo(full_name).pulls.get(number)
        if pr is None:
            raise KeyError(f"no pull request {full_name}#{number}: add_pull it first")
        return pr

    def head_repo_of(self, repo: RepoRecord, pr: PullRecord) -> RepoRecord:
        """The repository the pull request's head branch lives in (a fork, or `repo`)."""
        return (self.repo_record(pr.head_repo) if pr.head_repo else None) or repo

    def add_fork(self, full_name: str, fork_full_name: str) -> None:
        """Fork `full_name` as `fork_full_name` (`fork: true`); its branches start at the
        upstream default branch, and pushes to them move pull requests opened from them."""
        with self._lock:
            self._fork(self._repo(full_name), fork_full_name)

    def all_repos(self) -> list[RepoRecord]:
        return list(self._repos.values())

    def _fork(self, upstream: RepoRecord, full_name: str) -> RepoRecord:
        """The fork `full_name` of `upstream`, made on first use. A fork network shares its git
        objects, so the fork shares the upstream's commits, files, trees and blobs."""
        existing = self.repo_record(full_name)
        if existing is not None:
            return existing
        owner, name = full_name.split("/", 1)
        fork = RepoRecord(
            owner=owner,
            name=name,
            default_branch=upstream.default_branch,
            language=upstream.language,
            fork=True,
            private=upstream.private,
            description=upstream.description,
            fork_of=upstream.full_name,
            commits=upstream.commits,
            files=upstream.files,
            trees=upstream.trees,
            blobs=upstream.blobs,
        )
        fork.branches[fork.default_branch] = upstream.branches[upstream.default_branch]
        self._repos[full_name.lower()] = fork
        return fork
