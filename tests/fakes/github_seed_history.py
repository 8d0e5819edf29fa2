"""Seeding content-based history in the GitHub fake: commits made of file contents (so compare,
commits and pull requests show real diffs), pull requests opened from branches, force-pushes and
commits GitHub has garbage-collected.

    gh.add_repo("acme/api", files={"app.py": "x = 1\\n"})
    head = gh.commit_changes("acme/api", {"app.py": "x = 2\\n"}, branch="fix")
    number = gh.open_pull("acme/api", title="Fix x", head_ref="fix")
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tests.fakes.github_graph import commits_between, merge_base, move_branch, new_commit, range_files
from tests.fakes.github_seed_pulls import PullSeeding
from tests.fakes.github_state import PullRecord, now_iso


class HistorySeeding(PullSeeding):
    """Commits with trees on top of `PullSeeding`."""

    def commit_changes(
        self,
        full_name: str,
        changes: Mapping[str, str | bytes | None],
        *,
        branch: str | None = None,
        message: str = "Change",
        parents: Sequence[str] | None = None,
        author_login: str | None = "octocat",
        author_name: str = "The Octocat",
        author_email: str = "octocat@example.com",
        date: str | None = None,
        sha: str | None = None,
    ) -> str:
        """Commit `changes` (path -> new content, None deletes) on top of the parent's tree and
        move `branch` (default branch if None) to it; a new branch starts at the default branch's
        head. `parents` overrides the parent (the old head), which makes this a force-push when
        the old head is not among them. Every open pull request whose head is the branch moves
        with it. Returns the sha (git's own, unless `sha` is given)."""
        with self._lock:
            repo = self._repo(full_name)
            branch = branch or repo.default_branch
            head = repo.branches.get(branch) or repo.branches[repo.default_branch]
            chosen = list(parents) if parents is not None else [head]
            tree = dict(repo.tree_at(chosen[0]) or {}) if chosen else {}
            for path, content in changes.items():
                if content is None:
                    tree.pop(path.strip("/"), None)
                else:
                    tree[path.strip("/")] = content.encode() if isinstance(content, str) else content
            author = (author_login, author_name, author_email)
            record = new_commit(repo, tree, chosen, message=message, author=author, date=date or now_iso(), sha=sha)
            move_branch(self.all_repos(), repo, branch, record.sha)
            return record.sha

    def open_pull(
        self,
        full_name: str,
        number: int | None = None,
        *,
        title: str,
        head_ref: str,
        base_ref: str | None = None,
        body: str | None = "",
        user_login: str = "octocat",
        draft: bool = False,
        head_repo: str | None = None,
        maintainer_can_modify: bool = False,
        labels: Sequence[str] = (),
    ) -> int:
        """Open a pull request from branch `head_ref` (of the fork `head_repo`, if given) into
        `base_ref`; its commits and files are worked out from the history, as GitHub does, and
        follow later pushes to the branch. Returns its number (the next free one if None)."""
        with self._lock:
            repo = self._repo(full_name)
            holder = self._repo(head_repo) if head_repo else repo
            base_ref = base_ref or repo.default_branch
            base_sha, head_sha = repo.branches[base_ref], holder.branches[head_ref]
            number = number or max(repo.pulls, default=0) + 1
            now = now_iso()
            repo.pulls[number] = PullRecord(
                number=number,
                title=title,
                body=body,
                head_ref=head_ref,
                head_sha=head_sha,
                base_ref=base_ref,
                base_sha=base_sha,
                files=range_files(repo, merge_base(repo, base_sha, head_sha), head_sha),
                draft=draft,
                state="open",
                user_login=user_login,
                commits=commits_between(repo, base_sha, head_sha),
                created_at=now,
                updated_at=now,
                labels=list(labels),
                head_repo=holder.full_name if head_repo else None,
                maintainer_can_modify=maintainer_can_modify,
                content_based=True,
            )
            return number

    def forget_commit(self, full_name: str, sha: str) -> None:
        """Make GitHub forget a commit no branch reaches any more, as its garbage collection does
        some time after a force-push (until then GitHub still serves it): compare then answers
        404 and the commits API 422 for it."""
        with self._lock:
            repo = self._repo(full_name)
            if sha in repo.branches.values():
                raise ValueError(f"{sha} is the head of a branch: force-push the branch first")
            repo.commits.pop(sha, None)
            repo.files.pop(sha, None)

    def tree_of(self, full_name: str, ref: str | None = None) -> dict[str, bytes]:
        """Every file at `ref` (default branch if None), for assertions."""
        with self._lock:
            return dict(self._repo(full_name).tree_at(ref) or {})
