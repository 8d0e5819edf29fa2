"""The commit graph of a fake repository: resolving refs, ancestry, merge bases, the commits and
files between two commits, new commits with their trees, and moving a branch (which moves the
head of every open pull request that branch is the head of, as a push does on GitHub).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

from tests.fakes.github_objects import commit_sha, tree_sha
from tests.fakes.github_state import CommitRecord, PullRecord, RepoRecord, later_than, parse_iso
from tests.fakes.github_textdiff import diff_trees


def resolve_commit(repo: RepoRecord, ref: str) -> str | None:
    """The sha a branch name, full sha or unique abbreviation (7+ hex digits) names."""
    if ref in repo.branches:
        return repo.branches[ref]
    if ref in repo.commits:
        return ref
    matches = [sha for sha in repo.commits if sha.startswith(ref.lower())] if len(ref) >= 7 else []
    return matches[0] if len(matches) == 1 else None


def ancestors(repo: RepoRecord, sha: str) -> set[str]:
    """`sha` and every commit reachable from it through known parents."""
    seen: set[str] = set()
    frontier = [sha]
    while frontier:
        current = frontier.pop()
        if current in seen or current not in repo.commits:
            continue
        seen.add(current)
        frontier.extend(repo.commits[current].parents)
    return seen


def merge_base(repo: RepoRecord, base: str, head: str) -> str | None:
    """The common ancestor of `base` and `head` nearest to `head` (None for unrelated histories);
    git's answer for every history without criss-cross merges."""
    reachable = ancestors(repo, base)
    return next((sha for sha in _breadth_first(repo, head) if sha in reachable), None)


def _breadth_first(repo: RepoRecord, start: str) -> list[str]:
    order: list[str] = []
    seen: set[str] = set()
    frontier = deque([start])
    while frontier:
        sha = frontier.popleft()
        if sha in seen or sha not in repo.commits:
            continue
        seen.add(sha)
        order.append(sha)
        frontier.extend(repo.commits[sha].parents)
    return order


def commits_between(repo: RepoRecord, base: str, head: str) -> list[str]:
    """Commits reachable from `head` but not from `base`, parents before children (the order
    GitHub lists a comparison's or a pull request's commits in)."""
    excluded = ancestors(repo, base)
    ordered: list[str] = []
    placed: set[str] = set()
    stack: list[tuple[str, bool]] = [(head, False)]
    while stack:  # depth-first, each commit placed after its parents (no recursion limit)
        sha, parents_done = stack.pop()
        if parents_done:
            if sha not in placed:
                placed.add(sha)
                ordered.append(sha)
            continue
        if sha in excluded or sha in placed or sha not in repo.commits:
            continue
        stack.append((sha, True))
        stack.extend((parent, False) for parent in reversed(repo.commits[sha].parents))
    return ordered


def range_files(repo: RepoRecord, base: str | None, head: str) -> list[dict[str, Any]]:
    """The files changed from `base` (a merge base) to `head`: a real diff of the two trees when
    `head`'s tree is known, otherwise the `files` seeded on the commits in between (newest wins)."""
    commit = repo.commits[head]
    if commit.tree is not None:
        return diff_trees((repo.tree_at(base) or {}) if base else {}, repo.tree_at(head) or {})
    merged: dict[str, dict[str, Any]] = {}
    for sha in commits_between(repo, base, head) if base else [head]:
        merged.update({entry["filename"]: entry for entry in repo.commits[sha].files})
    return list(merged.values())


def new_commit(
    repo: RepoRecord,
    tree: dict[str, bytes],
    parents: list[str],
    *,
    message: str,
    author: tuple[str | None, str, str],
    date: str,
    sha: str | None = None,
) -> CommitRecord:
    """Store a commit with a known tree; its `files` are the diff from its first parent."""
    login, name, email = author
    if sha is None:
        person = f"{name} <{email}> {int(parse_iso(date).timestamp())} +0000"
        sha = commit_sha(tree_sha(tree), parents, person, person, message)
    before = (repo.tree_at(parents[0]) or {}) if parents else {}
    record = CommitRecord(sha, message, login, name, email, date, list(parents), diff_trees(before, tree), dict(tree))
    repo.commits[sha] = record
    return record


def move_branch(repos: Iterable[RepoRecord], repo: RepoRecord, branch: str, sha: str) -> None:
    """Point `branch` of `repo` at `sha`, and move the head of each open pull request (in any
    repository, for a fork) whose head is that branch."""
    repo.branches[branch] = sha
    repo.history.setdefault(branch, []).append(sha)
    for holder in repos:
        for pr in holder.pulls.values():
            head_repo = (pr.head_repo or holder.full_name).lower()
            if pr.state == "open" and pr.head_ref == branch and head_repo == repo.full_name.lower():
                move_pull_head(holder, pr, sha)


def move_pull_head(repo: RepoRecord, pr: PullRecord, sha: str) -> None:
    """A new head for `pr`: its commits and files follow, the old files stay for reviews that
    still name the old head."""
    if sha == pr.head_sha:
        return
    pr.files_by_head[pr.head_sha] = pr.files
    base = repo.branches.get(pr.base_ref, pr.base_sha)
    fast_forward = pr.head_sha in ancestors(repo, sha)
    added = commits_between(repo, pr.head_sha, sha)
    pr.commits = pr.commits + added if fast_forward else commits_between(repo, base, sha)
    if pr.content_based:
        pr.files = range_files(repo, merge_base(repo, base, sha) or base, sha)
    else:
        merged = {entry["filename"]: entry for entry in pr.files if fast_forward}
        for commit in pr.commits if not fast_forward else added:
            merged.update({entry["filename"]: entry for entry in repo.commits[commit].files})
        pr.files = list(merged.values())
    pr.head_sha = sha
    pr.updated_at = later_than(pr.updated_at)


def comparison_status(ahead: int, behind: int) -> str:
    """GitHub's `status` of a comparison."""
    if ahead and behind:
        return "diverged"
    return "ahead" if ahead else "behind" if behind else "identical"
