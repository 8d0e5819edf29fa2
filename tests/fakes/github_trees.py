"""GitHub fake: git blobs and trees, read and written.

`GET .../git/trees/{sha}[?recursive=1]` (by tree sha, or by a branch or commit, as GitHub
accepts), `POST .../git/trees` (with `base_tree`; an entry with `sha: null` deletes, and
deleting a path the tree does not hold is GitHub's 422 "GitRPC::BadObjectState"),
`GET/POST .../git/blobs`. Tree and blob shas are git's own (see `github_objects`).

Kept callable on its own (`register_tree_routes`, idempotent) because discovery tests register
it on a bare `FakeGitHub`; `FakeGitHub` registers it itself too.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from tests.fakes import github_shapes_git as git_shapes
from tests.fakes.github_objects import blob_sha, every_tree
from tests.fakes.github_state import RepoRecord
from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

GIT = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/git"
TREE = GIT + r"/trees/(?P<sha>.+)"
TREES_DOCS = "https://docs.github.com/rest/git/trees#create-a-tree"
BLOBS_DOCS = "https://docs.github.com/rest/git/blobs#create-a-blob"


def register_tree_routes(fake: FakeGitHub) -> None:
    """Serve the git trees and blobs API from the fake's state (idempotent per fake)."""
    if getattr(fake, "_tree_routes", False):
        return
    fake.route("GET", TREE, lambda request, params: _get_tree(fake, request, params))
    fake.route("POST", GIT + "/trees", lambda request, params: _create_tree(fake, request, params))
    fake.route("GET", GIT + r"/blobs/(?P<sha>[0-9a-fA-F]+)", lambda request, params: _get_blob(fake, params))
    fake.route("POST", GIT + "/blobs", lambda request, params: _create_blob(fake, request, params))
    fake._tree_routes = True  # type: ignore[attr-defined]


def find_tree(repo: RepoRecord, sha: str) -> dict[str, bytes] | None:
    """The files of the tree `sha`: one made through the API, or any commit's tree or subtree."""
    if sha in repo.trees:
        return repo.trees[sha]
    for commit in list(repo.commits):
        found = every_tree(repo.tree_at(commit) or {}).get(sha)
        if found is not None:
            return found
    return None


def find_blob(repo: RepoRecord, sha: str) -> bytes | None:
    """The bytes of blob `sha`, wherever the repository holds them."""
    if sha in repo.blobs:
        return repo.blobs[sha]
    trees = [*repo.trees.values(), *repo.files.values()]
    trees += [c.tree for c in repo.commits.values() if c.tree is not None]
    return next((data for tree in trees for data in tree.values() if blob_sha(data) == sha), None)


def _get_tree(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    files = find_tree(repo, p["sha"])
    if files is None:
        files = repo.tree_at(p["sha"])  # GitHub also takes a branch or commit here
    if files is None:
        return fake.error_reply(404, "Not Found")
    recursive = request.param("recursive") not in (None, "", "0", "false")
    return Reply(200, git_shapes.tree(fake.url, repo, files, recursive=recursive))


def _bad_object(fake: FakeGitHub) -> Reply:
    return fake.error_reply(422, "GitRPC::BadObjectState", documentation_url=TREES_DOCS)


def _create_tree(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    spec: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
    entries = spec.get("tree")
    if not isinstance(entries, list):
        return fake.error_reply(422, 'Invalid request.\n\n"tree" wasn\'t supplied.', documentation_url=TREES_DOCS)
    base = find_tree(repo, spec["base_tree"]) if spec.get("base_tree") else {}
    if base is None:
        return _bad_object(fake)
    files = dict(base)
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not _apply(repo, files, entry):
            return _bad_object(fake)
    for sha, tree in every_tree(files).items():
        repo.trees[sha] = tree
    return Reply(201, git_shapes.tree(fake.url, repo, files, recursive=False))


def _apply(repo: RepoRecord, files: dict[str, bytes], entry: dict[str, Any]) -> bool:
    """Apply one tree entry to `files`; False for what GitHub refuses."""
    path = entry["path"].strip("/")
    if "sha" in entry and entry["sha"] is None and "content" not in entry:
        doomed = [p for p in files if p == path or p.startswith(path + "/")]
        for gone in doomed:
            del files[gone]
        return bool(doomed)  # deleting what is not there: GitRPC::BadObjectState
    if isinstance(entry.get("content"), str):
        files[path] = entry["content"].encode()
        return True
    if entry.get("type") == "tree":
        inner = find_tree(repo, str(entry.get("sha")))
        if inner is None:
            return False
        for gone in [p for p in files if p.startswith(path + "/")]:
            del files[gone]
        files.update({f"{path}/{name}": data for name, data in inner.items()})
        return True
    data = find_blob(repo, str(entry.get("sha")))
    if data is None:
        return False
    files[path] = data
    return True


def _get_blob(fake: FakeGitHub, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    data = find_blob(repo, p["sha"].lower()) if repo else None
    if repo is None or data is None:
        return fake.error_reply(404)
    return Reply(200, git_shapes.blob(fake.url, repo, p["sha"].lower(), data))


def _create_blob(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    spec: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
    content, encoding = spec.get("content"), spec.get("encoding", "utf-8")
    if not isinstance(content, str):
        return fake.error_reply(422, 'Invalid request.\n\n"content" wasn\'t supplied.', documentation_url=BLOBS_DOCS)
    if encoding not in ("utf-8", "base64"):
        return fake.validation_failed(
            {"resource": "Blob", "code": "invalid", "field": "encoding"}, documentation_url=BLOBS_DOCS
        )
    try:
        data = base64.b64decode(content, validate=False) if encoding == "base64" else content.encode()
    except binascii.Error:
        return fake.validation_failed({"resource": "Blob", "code": "invalid", "field": "content"})
    sha = blob_sha(data)
    repo.blobs[sha] = data
    return Reply(201, {"sha": sha, "url": f"{fake.url}/repos/{repo.full_name}/git/blobs/{sha}"})
