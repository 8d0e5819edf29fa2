"""Seeding the GitHub fake: repositories, branches, commits, files and packages (pull requests
in `github_seed_pulls`, content-based history in `github_seed_history`).

All seeding happens under the server lock, so a test may seed while a client is reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tests.fakes.github_state import (
    CommitRecord,
    PackageRecord,
    RepoRecord,
    fake_sha,
    next_id,
    now_iso,
)
from tests.fakes.http import FakeServer

_EPOCH = "2024-01-01T00:00:00Z"


class GitHubSeeding(FakeServer):
    """The state half of `FakeGitHub`: what a test seeds and the routes serve."""

    def __init__(self, *, seed: int = 0) -> None:
        super().__init__(seed=seed)
        self._repos: dict[str, RepoRecord] = {}
        self._orgs: set[str] = set()
        self._packages: dict[tuple[str, str, str], PackageRecord] = {}

    def _base(self) -> str:
        """The URL JSON shapes point at (a placeholder before the server listens)."""
        return self.url if self._server is not None else "http://127.0.0.1:0"

    def repo_record(self, full_name: str) -> RepoRecord | None:
        """The stored repository (case-insensitive, as GitHub's names are)."""
        return self._repos.get(full_name.lower())

    def repos_of(self, owner: str) -> list[RepoRecord]:
        return [r for r in self._repos.values() if r.owner.lower() == owner.lower()]

    def is_org(self, login: str) -> bool:
        return login.lower() in self._orgs

    def packages_of(self, org: str, package_type: str) -> list[PackageRecord]:
        return [p for (owner, kind, _), p in self._packages.items() if owner == org.lower() and kind == package_type]

    def package_record(self, org: str, package_type: str, name: str) -> PackageRecord | None:
        return self._packages.get((org.lower(), package_type, name))

    def add_repo(
        self,
        full_name: str,
        *,
        default_branch: str = "main",
        language: str | None = None,
        archived: bool = False,
        fork: bool = False,
        private: bool = False,
        head_sha: str | None = None,
        description: str | None = None,
        topics: Sequence[str] = (),
        files: Mapping[str, str | bytes] | None = None,
        clone_url: str | None = None,
    ) -> None:
        """Add a repository whose default branch points at `head_sha` (a made-up sha if None);
        its owner becomes an organisation. `files` are put on the default branch."""
        owner, name = full_name.split("/", 1)
        record = RepoRecord(
            owner=owner,
            name=name,
            default_branch=default_branch,
            language=language,
            archived=archived,
            fork=fork,
            private=private,
            description=description,
            topics=list(topics),
            clone_url=clone_url,
        )
        with self._lock:
            self._repos[full_name.lower()] = record
            self._orgs.add(owner.lower())
            sha = head_sha or fake_sha(full_name, default_branch)
            initial = self._put_commit(record, sha, "Initial commit", branch=default_branch, parents=[])
            initial.tree = {}  # known content: later commits can be diffed against it
            for path, content in (files or {}).items():
                self.add_file(full_name, path, content)

    def add_branch(self, full_name: str, name: str, sha: str | None = None) -> None:
        """Point branch `name` at `sha` (default: the default branch's head)."""
        with self._lock:
            repo = self._repo(full_name)
            sha = sha or repo.branches[repo.default_branch]
            if sha not in repo.commits:
                self._put_commit(repo, sha, f"Commit on {name}", branch=None, parents=[])
            repo.branches[name] = sha

    def add_commit(
        self,
        full_name: str,
        sha: str | None = None,
        *,
        message: str = "Change",
        branch: str | None = None,
        parents: Sequence[str] | None = None,
        date: str | None = None,
        author_login: str | None = "octocat",
        author_name: str = "The Octocat",
        author_email: str = "octocat@example.com",
        files: Iterable[Mapping[str, Any]] = (),
    ) -> str:
        """Add a commit on `branch` (default branch if None), moving the branch to it; its
        parent is the previous head unless `parents` is given. Returns the sha."""
        with self._lock:
            repo = self._repo(full_name)
            branch = branch or repo.default_branch
            sha = sha or fake_sha(full_name, branch, len(repo.commits))
            head = repo.branches.get(branch)
            record = self._put_commit(
                repo,
                sha,
                message,
                branch=branch,
                parents=list(parents) if parents is not None else ([head] if head else []),
                date=date or now_iso(),
                author=(author_login, author_name, author_email),
            )
            record.files = [file_defaults(f) for f in files]
            return sha

    def add_file(self, full_name: str, path: str, content: str | bytes, *, ref: str | None = None) -> None:
        """Store a file at `ref` (a branch or a sha; the default branch if None). On a branch
        whose head has a known tree, the file joins that tree."""
        data = content.encode() if isinstance(content, str) else content
        with self._lock:
            repo = self._repo(full_name)
            ref = ref or repo.default_branch
            repo.files.setdefault(ref, {})[path.strip("/")] = data
            head = repo.commits.get(repo.branches.get(ref, ""))
            if head is not None and head.tree is not None:
                head.tree[path.strip("/")] = data

    def add_package(
        self,
        org: str,
        name: str,
        *,
        versions: Sequence[str] = ("1.0.0",),
        package_type: str = "npm",
        repository: str | None = None,
    ) -> None:
        """Add an organisation package with versions, oldest first."""
        with self._lock:
            self._orgs.add(org.lower())
            rows = [(next_id(), v, f"2024-01-{i + 1:02d}T00:00:00Z") for i, v in enumerate(versions)]
            record = PackageRecord(org, name, package_type, rows, repository)
            self._packages[(org.lower(), package_type, name)] = record

    def _repo(self, full_name: str) -> RepoRecord:
        repo = self.repo_record(full_name)
        if repo is None:
            raise KeyError(f"no repository {full_name!r}: add_repo it first")
        return repo

    def _put_commit(
        self,
        repo: RepoRecord,
        sha: str,
        message: str,
        *,
        branch: str | None,
        parents: list[str],
        date: str | None = None,
        author: tuple[str | None, str, str] = ("octocat", "The Octocat", "octocat@example.com"),
    ) -> CommitRecord:
        login, name, email = author
        record = CommitRecord(sha, message, login, name, email, date or _EPOCH, parents)
        repo.commits[sha] = record
        if branch is not None:
            repo.branches[branch] = sha
            repo.history.setdefault(branch, []).append(sha)
        return record


def file_defaults(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Fill additions/deletions/changes/status from the patch when the test left them out."""
    shaped = dict(entry)
    patch = shaped.get("patch") or ""
    lines = patch.split("\n") if patch else []
    shaped.setdefault("status", "modified")
    shaped.setdefault("additions", sum(1 for x in lines if x.startswith("+")))
    shaped.setdefault("deletions", sum(1 for x in lines if x.startswith("-")))
    shaped.setdefault("changes", shaped["additions"] + shaped["deletions"])
    return shaped
