"""GitHub REST v3 JSON shapes of the git database (blobs, trees, commits, refs) and of a
comparison of two commits. URLs point back at the fake, as in `github_shapes`.
"""

from __future__ import annotations

import base64
from typing import Any

from tests.fakes.github_objects import tree_entries, tree_sha
from tests.fakes.github_shapes_items import commit, file_entry
from tests.fakes.github_state import CommitRecord, RepoRecord, stable_id


def _git(base: str, repo: RepoRecord) -> str:
    return f"{base}/repos/{repo.full_name}/git"


def blob(base: str, repo: RepoRecord, sha: str, data: bytes) -> dict[str, Any]:
    encoded = base64.b64encode(data).decode()
    return {
        "sha": sha,
        "node_id": f"B_{sha[:12]}",
        "size": len(data),
        "url": f"{_git(base, repo)}/blobs/{sha}",
        "content": "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)),
        "encoding": "base64",
    }


def tree(base: str, repo: RepoRecord, files: dict[str, bytes], *, recursive: bool) -> dict[str, Any]:
    sha = tree_sha(files)
    return {
        "sha": sha,
        "url": f"{_git(base, repo)}/trees/{sha}",
        "tree": tree_entries(files, recursive=recursive, git_url=_git(base, repo)),
        "truncated": False,
    }


def git_commit(base: str, repo: RepoRecord, c: CommitRecord) -> dict[str, Any]:
    """A commit as the git database API shows it (`GET/POST .../git/commits`)."""
    person = {"name": c.author_name, "email": c.author_email, "date": c.date}
    tree_id = tree_sha(repo.tree_at(c.sha) or {})
    return {
        "sha": c.sha,
        "node_id": f"C_{c.sha[:12]}",
        "url": f"{_git(base, repo)}/commits/{c.sha}",
        "html_url": f"{base}/{repo.full_name}/commit/{c.sha}",
        "author": person,
        "committer": person,
        "tree": {"sha": tree_id, "url": f"{_git(base, repo)}/trees/{tree_id}"},
        "message": c.message,
        "parents": [
            {"sha": p, "url": f"{_git(base, repo)}/commits/{p}", "html_url": f"{base}/{repo.full_name}/commit/{p}"}
            for p in c.parents
        ],
        "verification": {
            "verified": False,
            "reason": "unsigned",
            "signature": None,
            "payload": None,
            "verified_at": None,
        },
    }


def ref(base: str, repo: RepoRecord, name: str, sha: str) -> dict[str, Any]:
    """A reference; `name` is its full name ("refs/heads/main")."""
    return {
        "ref": name,
        "node_id": f"REF_{stable_id(repo.full_name + name)}",
        "url": f"{_git(base, repo)}/{name}",
        "object": {"sha": sha, "type": "commit", "url": f"{_git(base, repo)}/commits/{sha}"},
    }


def comparison(
    base: str,
    repo: RepoRecord,
    spec: tuple[str, str],
    shas: tuple[str, str, str | None],
    counts: tuple[int, int, str],
    commits: list[str],
    files: list[dict[str, Any]] | None,
) -> dict[str, Any]:
    """`GET .../compare/{base}...{head}`: `spec` is the refs as asked, `shas` the base, head and
    merge-base commits, `counts` (ahead_by, behind_by, status); `files` None leaves them out
    (pages after the first)."""
    asked = f"{spec[0]}...{spec[1]}"
    base_sha, head_sha, merge_sha = shas
    ahead, behind, status = counts
    shaped: dict[str, Any] = {
        "url": f"{base}/repos/{repo.full_name}/compare/{asked}",
        "html_url": f"{base}/{repo.full_name}/compare/{asked}",
        "permalink_url": f"{base}/{repo.full_name}/compare/{repo.owner}:{base_sha[:7]}...{repo.owner}:{head_sha[:7]}",
        "diff_url": f"{base}/{repo.full_name}/compare/{asked}.diff",
        "patch_url": f"{base}/{repo.full_name}/compare/{asked}.patch",
        "base_commit": commit(base, repo, repo.commits[base_sha], detail=False),
        "merge_base_commit": commit(base, repo, repo.commits[merge_sha], detail=False) if merge_sha else None,
        "status": status,
        "ahead_by": ahead,
        "behind_by": behind,
        "total_commits": ahead,
        "commits": [commit(base, repo, repo.commits[sha], detail=False) for sha in commits],
    }
    if files is not None:
        shaped["files"] = [file_entry(base, repo, head_sha, f) for f in files]
    return shaped
