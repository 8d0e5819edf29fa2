"""GitHub REST v3 JSON shapes of the things inside a repository: files, commits, branches,
contents, comments, reviews and packages. URLs point back at the fake, as in `github_shapes`.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from tests.fakes.github_objects import tree_sha
from tests.fakes.github_shapes import user
from tests.fakes.github_shapes_social import association, reaction_rollup
from tests.fakes.github_state import (
    CommentRecord,
    CommitRecord,
    PackageRecord,
    RepoRecord,
    ReviewRecord,
)


def file_entry(base: str, record: RepoRecord, ref: str, entry: dict[str, Any]) -> dict[str, Any]:
    """A pull-request or commit `files` item, with the URLs GitHub adds."""
    name = entry["filename"]
    shaped = {
        "sha": entry.get("sha") or hashlib.sha1(name.encode()).hexdigest(),
        "filename": name,
        "status": entry.get("status", "modified"),
        "additions": entry.get("additions", 0),
        "deletions": entry.get("deletions", 0),
        "changes": entry.get("changes", entry.get("additions", 0) + entry.get("deletions", 0)),
        "blob_url": f"{base}/{record.full_name}/blob/{ref}/{name}",
        "raw_url": f"{base}/{record.full_name}/raw/{ref}/{name}",
        "contents_url": f"{base}/repos/{record.full_name}/contents/{name}?ref={ref}",
    }
    if entry.get("patch") is not None:
        shaped["patch"] = entry["patch"]
    if entry.get("previous_filename"):
        shaped["previous_filename"] = entry["previous_filename"]
    return shaped


def commit(base: str, record: RepoRecord, c: CommitRecord, *, detail: bool) -> dict[str, Any]:
    """A commit as `GET .../commits` lists it; `detail` adds `files` and `stats`."""
    url = f"{base}/repos/{record.full_name}/commits/{c.sha}"
    person = {"name": c.author_name, "email": c.author_email, "date": c.date}
    tree = tree_sha(record.tree_at(c.sha) or {})
    shaped: dict[str, Any] = {
        "sha": c.sha,
        "node_id": f"C_{c.sha[:12]}",
        "url": url,
        "html_url": f"{base}/{record.full_name}/commit/{c.sha}",
        "comments_url": f"{url}/comments",
        "commit": {
            "url": f"{base}/repos/{record.full_name}/git/commits/{c.sha}",
            "author": person,
            "committer": person,
            "message": c.message,
            "tree": {"sha": tree, "url": f"{base}/repos/{record.full_name}/git/trees/{tree}"},
            "comment_count": 0,
            "verification": {"verified": False, "reason": "unsigned", "signature": None},
        },
        "author": user(base, c.author_login) if c.author_login else None,
        "committer": user(base, c.author_login) if c.author_login else None,
        "parents": [{"sha": p, "url": f"{base}/repos/{record.full_name}/commits/{p}"} for p in c.parents],
    }
    if detail:
        adds = sum(int(f.get("additions", 0)) for f in c.files)
        dels = sum(int(f.get("deletions", 0)) for f in c.files)
        shaped["stats"] = {"total": adds + dels, "additions": adds, "deletions": dels}
        shaped["files"] = [file_entry(base, record, c.sha, f) for f in c.files]
    return shaped


def branch(base: str, record: RepoRecord, name: str) -> dict[str, Any]:
    head = record.commits[record.branches[name]]
    url = f"{base}/repos/{record.full_name}/branches/{name}"
    return {
        "name": name,
        "commit": commit(base, record, head, detail=False),
        "_links": {"self": url, "html": f"{base}/{record.full_name}/tree/{name}"},
        "protected": name == record.default_branch,
        "protection": {"enabled": False, "required_status_checks": None},
        "protection_url": f"{url}/protection",
    }


def content(base: str, record: RepoRecord, path: str, data: bytes | None, ref: str) -> dict:
    """A file (`data` given, base64 in 60-column lines as GitHub sends it) or directory entry."""
    name = path.rsplit("/", 1)[-1]
    url = f"{base}/repos/{record.full_name}/contents/{path}?ref={ref}"
    kind = "dir" if data is None else "file"
    blob = b"" if data is None else data
    sha = hashlib.sha1(b"blob %d\0" % len(blob) + blob).hexdigest()
    shaped: dict[str, Any] = {
        "type": kind,
        "name": name,
        "path": path,
        "sha": sha,
        "size": len(blob),
        "url": url,
        "html_url": f"{base}/{record.full_name}/blob/{ref}/{path}",
        "git_url": f"{base}/repos/{record.full_name}/git/blobs/{sha}",
        "download_url": None if data is None else f"{base}/{record.full_name}/raw/{ref}/{path}",
    }
    shaped["_links"] = {"self": url, "git": shaped["git_url"], "html": shaped["html_url"]}
    if data is not None:
        encoded = base64.b64encode(data).decode()
        shaped["encoding"] = "base64"
        shaped["content"] = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60))
    return shaped


def issue_comment(base: str, record: RepoRecord, c: CommentRecord) -> dict[str, Any]:
    url = f"{base}/repos/{record.full_name}/issues/comments/{c.id}"
    return {
        "url": url,
        "html_url": f"{base}/{record.full_name}/pull/{c.number}#issuecomment-{c.id}",
        "issue_url": f"{base}/repos/{record.full_name}/issues/{c.number}",
        "id": c.id,
        "node_id": f"IC_{c.id}",
        "user": user(base, c.user_login),
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "author_association": association(record, c.user_login, c.author_association),
        "body": c.body,
        "reactions": reaction_rollup(url, record.reactions.get(c.id, [])),
        "performed_via_github_app": None,
    }


def review_comment(base: str, record: RepoRecord, c: CommentRecord) -> dict[str, Any]:
    url = f"{base}/repos/{record.full_name}/pulls/comments/{c.id}"
    pull_url = f"{base}/repos/{record.full_name}/pulls/{c.number}"
    html = f"{base}/{record.full_name}/pull/{c.number}#discussion_r{c.id}"
    shaped = {
        "url": url,
        "pull_request_review_id": c.review_id,
        "id": c.id,
        "node_id": f"PRRC_{c.id}",
        "diff_hunk": c.diff_hunk,
        "path": c.path,
        "position": c.position,
        "original_position": c.position,
        "commit_id": c.commit_id,
        "original_commit_id": c.commit_id,
        "user": user(base, c.user_login),
        "body": c.body,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "html_url": html,
        "pull_request_url": pull_url,
        "author_association": association(record, c.user_login, c.author_association),
        "_links": {"self": {"href": url}, "html": {"href": html}, "pull_request": {"href": pull_url}},
        "start_line": c.start_line,
        "original_start_line": c.start_line,
        "start_side": c.start_side,
        "line": c.line,
        "original_line": c.line,
        "side": c.side,
        "subject_type": "line" if c.line is not None else "file",
        "reactions": reaction_rollup(url, record.reactions.get(c.id, [])),
    }
    if c.in_reply_to is not None:
        shaped["in_reply_to_id"] = c.in_reply_to
    return shaped


def review(base: str, record: RepoRecord, r: ReviewRecord) -> dict[str, Any]:
    pull_url = f"{base}/repos/{record.full_name}/pulls/{r.number}"
    html = f"{base}/{record.full_name}/pull/{r.number}#pullrequestreview-{r.id}"
    return {
        "id": r.id,
        "node_id": f"PRR_{r.id}",
        "user": user(base, r.user_login),
        "body": r.body,
        "state": r.state,
        "html_url": html,
        "pull_request_url": pull_url,
        "author_association": "NONE",
        "_links": {"html": {"href": html}, "pull_request": {"href": pull_url}},
        "submitted_at": r.submitted_at,
        "commit_id": r.commit_id,
    }


def package(base: str, p: PackageRecord) -> dict[str, Any]:
    url = f"{base}/orgs/{p.org}/packages/{p.package_type}/{p.name}"
    created = p.versions[0][2] if p.versions else "2024-01-01T00:00:00Z"
    updated = p.versions[-1][2] if p.versions else created
    return {
        "id": p.id,
        "name": p.name,
        "package_type": p.package_type,
        "owner": user(base, p.org, kind="Organization"),
        "version_count": len(p.versions),
        "visibility": "private",
        "url": url,
        "created_at": created,
        "updated_at": updated,
        "html_url": f"{base}/orgs/{p.org}/packages/{p.package_type}/package/{p.name}",
        "repository": None if p.repository is None else {"full_name": p.repository},
    }


def package_version(base: str, p: PackageRecord, version: tuple[int, str, str]) -> dict:
    version_id, name, created = version
    url = f"{base}/orgs/{p.org}/packages/{p.package_type}/{p.name}/versions/{version_id}"
    return {
        "id": version_id,
        "name": name,
        "url": url,
        "package_html_url": f"{base}/orgs/{p.org}/packages/{p.package_type}/package/{p.name}",
        "created_at": created,
        "updated_at": created,
        "html_url": f"{base}/orgs/{p.org}/packages/{p.package_type}/{p.name}/{version_id}",
        "metadata": {"package_type": p.package_type},
    }
