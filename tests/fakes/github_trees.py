"""GitHub fake: the git trees route (`GET /repos/{owner}/{repo}/git/trees/{sha}[?recursive=1]`),
which discovery uses to list a repository's paths without cloning it.

Added by the indexing work (issue 5) as a module of its own, so the fake's other route modules stay
untouched: call `register_tree_routes(fake)` on a `FakeGitHub` before using it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

TREE = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/git/trees/(?P<sha>.+)"


def register_tree_routes(fake: FakeGitHub) -> None:
    """Serve the git trees API from the files seeded on the fake (idempotent per fake)."""
    if getattr(fake, "_tree_routes", False):
        return
    fake.route("GET", TREE, lambda request, params: _get_tree(fake, request, params))
    fake._tree_routes = True  # type: ignore[attr-defined]


def _blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _get_tree(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    keys = repo.resolve_ref(p["sha"])
    if keys is None:
        return fake.error_reply(404, "Not Found")
    files: dict[str, bytes] = {}
    for key in reversed(keys):  # the ref as named wins, as in the contents route
        files.update(repo.files.get(key, {}))
    recursive = request.param("recursive") not in (None, "", "0", "false")
    base = f"{fake.url}/repos/{repo.full_name}/git"
    entries = _entries(files, recursive)
    for entry in entries:
        entry["url"] = f"{base}/{'blobs' if entry['type'] == 'blob' else 'trees'}/{entry['sha']}"
    body = {"sha": p["sha"], "url": f"{base}/trees/{p['sha']}", "tree": entries, "truncated": False}
    return Reply(200, body)


def _entries(files: dict[str, bytes], recursive: bool) -> list[dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for path, data in files.items():
        parts = path.split("/")
        directories = ["/".join(parts[:depth]) for depth in range(1, len(parts))]
        for directory in directories if recursive else directories[:1]:
            sha = hashlib.sha1(directory.encode()).hexdigest()
            entries.setdefault(directory, {"path": directory, "mode": "040000", "type": "tree", "sha": sha})
        if recursive or not directories:
            entries[path] = {"path": path, "mode": "100644", "type": "blob", "sha": _blob_sha(data), "size": len(data)}
    return [entries[key] for key in sorted(entries)]
