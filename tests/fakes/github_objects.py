"""Git objects for the GitHub fake: blob, tree and commit ids computed the way git computes them,
so a tree the test seeds has the sha `git` would give it, and a tree posted through the API gets
the same sha as the same files reached by any other way.

Trees are kept flat (path -> bytes); a directory's tree is the files under it. Every file is a
regular file (mode 100644): the fake does not keep modes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
BLOB_MODE, TREE_MODE = "100644", "040000"


def _object_sha(kind: str, payload: bytes) -> str:
    return hashlib.sha1(b"%s %d\0" % (kind.encode(), len(payload)) + payload).hexdigest()


def blob_sha(data: bytes) -> str:
    """The git blob id of `data`."""
    return _object_sha("blob", data)


def subtree(files: Mapping[str, bytes], directory: str) -> dict[str, bytes]:
    """The files under `directory`, with paths relative to it ("" is the whole tree)."""
    if not directory:
        return dict(files)
    prefix = directory.rstrip("/") + "/"
    return {path[len(prefix) :]: data for path, data in files.items() if path.startswith(prefix)}


def _children(files: Mapping[str, bytes]) -> tuple[dict[str, bytes], set[str]]:
    """The files directly in the tree, and the names of its subdirectories."""
    blobs: dict[str, bytes] = {}
    directories: set[str] = set()
    for path, data in files.items():
        head, slash, _ = path.partition("/")
        if slash:
            directories.add(head)
        else:
            blobs[head] = data
    return blobs, directories


def tree_sha(files: Mapping[str, bytes]) -> str:
    """The git tree id of the flat `files` (path -> bytes), subtrees included."""
    blobs, directories = _children(files)
    rows = [(name, BLOB_MODE.lstrip("0"), blob_sha(data)) for name, data in blobs.items()]
    rows += [(name, TREE_MODE.lstrip("0"), tree_sha(subtree(files, name))) for name in directories]
    # git sorts entries by name, a directory's name counting as if it ended with "/"
    rows.sort(key=lambda row: row[0] + ("/" if row[1] == TREE_MODE.lstrip("0") else ""))
    payload = b"".join(f"{mode} {name}".encode() + b"\0" + bytes.fromhex(sha) for name, mode, sha in rows)
    return _object_sha("tree", payload)


def every_tree(files: Mapping[str, bytes]) -> dict[str, dict[str, bytes]]:
    """The tree and each of its subtrees, by sha."""
    found = {tree_sha(files): dict(files)}
    for directory in {path.rsplit("/", 1)[0] for path in files if "/" in path}:
        parts = directory.split("/")
        for depth in range(1, len(parts) + 1):
            inner = subtree(files, "/".join(parts[:depth]))
            found[tree_sha(inner)] = inner
    return found


def tree_entries(files: Mapping[str, bytes], *, recursive: bool, git_url: str) -> list[dict[str, Any]]:
    """A tree's `tree` array as GitHub lists it (`git_url` is ".../repos/{o}/{r}/git")."""
    entries: dict[str, dict[str, Any]] = {}
    for path, data in files.items():
        parts = path.split("/")
        directories = ["/".join(parts[:depth]) for depth in range(1, len(parts))]
        for directory in directories if recursive else directories[:1]:
            sha = tree_sha(subtree(files, directory))
            entry = {"path": directory, "mode": TREE_MODE, "type": "tree", "sha": sha}
            entries.setdefault(directory, entry | {"url": f"{git_url}/trees/{sha}"})
        if recursive or not directories:
            sha = blob_sha(data)
            entries[path] = {
                "path": path,
                "mode": BLOB_MODE,
                "type": "blob",
                "sha": sha,
                "size": len(data),
                "url": f"{git_url}/blobs/{sha}",
            }
    return [entries[key] for key in sorted(entries)]


def commit_sha(tree: str, parents: list[str], author: str, committer: str, message: str) -> str:
    """The git commit id; `author`/`committer` are "Name <email> <epoch> +0000"."""
    lines = [f"tree {tree}", *(f"parent {p}" for p in parents), f"author {author}", f"committer {committer}"]
    return _object_sha("commit", ("\n".join(lines) + "\n\n" + message).encode())
