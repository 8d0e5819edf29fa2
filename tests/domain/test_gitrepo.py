"""Local git on real repositories built in tmp_path."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from clients.git import (
    Change,
    GitError,
    changes_between,
    diff_text,
    ensure_clone,
    fetch,
    head_commit,
    list_files,
    list_tree,
    read_file,
    run_git,
)
from domain.chunking import should_index

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def write(repo: Path, files: dict[str, str | bytes]) -> None:
    for path, content in files.items():
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    return path


LOGO = bytes(range(256)) * 4


def seed(repo: Path) -> str:
    write(
        repo,
        {
            ".gitignore": "secrets.env\n",
            "src/app.ts": "export const a = 1;\n",
            "src/old_name.ts": "export function keep() {\n  return 'same content for rename detection';\n}\n",
            "src/gone.ts": "export const gone = true;\n",
            "dist/main.js": "var a=1;\n",
            "assets/logo.png": LOGO,
            "secrets.env": "TOKEN=never-tracked\n",
        },
    )
    return commit(repo, "first")


def test_list_files_honours_gitignore_and_lists_committed_dist(repo: Path) -> None:
    first = seed(repo)
    files = list_files(repo, first)
    assert files == [".gitignore", "assets/logo.png", "dist/main.js", "src/app.ts", "src/gone.ts", "src/old_name.ts"]
    indexed = [p for p in files if should_index(p, 100, read_file(repo, first, p)[:1024])[0]]
    assert indexed == [".gitignore", "src/app.ts", "src/gone.ts", "src/old_name.ts"]
    sizes = {entry.path: entry.size for entry in list_tree(repo, first)}
    assert sizes["assets/logo.png"] == len(LOGO)


def test_read_file_returns_exact_bytes(repo: Path) -> None:
    first = seed(repo)
    assert read_file(repo, first, "assets/logo.png") == LOGO
    assert read_file(repo, first, "src/app.ts") == b"export const a = 1;\n"
    with pytest.raises(GitError, match=r"src/missing\.ts"):
        read_file(repo, first, "src/missing.ts")


def test_changes_between_commits(repo: Path) -> None:
    first = seed(repo)
    write(repo, {"src/app.ts": "export const a = 2;\n", "src/new file.ts": "export const n = 1;\n"})
    (repo / "src/gone.ts").unlink()
    git(repo, "mv", "src/old_name.ts", "src/new_name.ts")
    second = commit(repo, "second")

    changes = changes_between(repo, first, second)
    assert sorted(changes, key=lambda c: c.path) == [
        Change("modified", "src/app.ts"),
        Change("deleted", "src/gone.ts"),
        Change("added", "src/new file.ts"),
        Change("renamed", "src/new_name.ts", "src/old_name.ts"),
    ]
    assert changes_between(repo, second, second) == []
    from_nothing = changes_between(repo, None, first)
    assert {c.status for c in from_nothing} == {"added"} and len(from_nothing) == 6


def test_head_commit_and_diff_text(repo: Path) -> None:
    first = seed(repo)
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, {"src/app.ts": "export const a = 3;\n"})
    feature = commit(repo, "feature change")
    git(repo, "checkout", "-q", "main")
    write(repo, {"src/gone.ts": "export const gone = false;\n"})
    commit(repo, "main moved on")

    assert head_commit(repo, "feature") == feature
    assert head_commit(repo, first[:10]) == first
    diff = diff_text(repo, "main", "feature")
    assert "diff --git a/src/app.ts b/src/app.ts" in diff
    assert "+export const a = 3;" in diff
    assert "gone.ts" not in diff  # only what the branch changed since its merge base
    with pytest.raises(GitError, match="refusing"):
        head_commit(repo, "--output=/tmp/x")
    with pytest.raises(GitError, match="failed"):
        head_commit(repo, "no-such-branch")


def make_remote(tmp_path: Path) -> tuple[Path, Path]:
    """A bare "remote" and a working clone that pushes to it."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    work = tmp_path / "pusher"
    git(tmp_path, "clone", "-q", str(remote), str(work))
    write(work, {"README.md": "hello\n"})
    commit(work, "initial")
    git(work, "push", "-q", "origin", "main")
    return remote, work


@pytest.mark.parametrize("as_file_url", [False, True])
def test_ensure_clone_clones_once_then_fetches(tmp_path: Path, as_file_url: bool) -> None:
    remote, work = make_remote(tmp_path)
    url = remote.as_uri() if as_file_url else str(remote)
    cache = tmp_path / "cache"

    clone = ensure_clone(url, cache, token="ghs_secret")
    first = head_commit(clone, "main")
    assert list_files(clone, first) == ["README.md"]
    write(work, {"src/a.py": "x = 1\n"})
    second = commit(work, "second")
    git(work, "push", "-q", "origin", "main")

    assert ensure_clone(url, cache, token="ghs_secret") == clone
    assert head_commit(clone, "main") == second
    assert [p.name for p in cache.iterdir()] == [clone.name]
    config = (clone / "config").read_text()
    assert "ghs_secret" not in config and "extraHeader" not in config


def test_fetch_of_an_explicit_ref(tmp_path: Path) -> None:
    remote, work = make_remote(tmp_path)
    clone = ensure_clone(str(remote), tmp_path / "cache")
    git(work, "checkout", "-q", "-b", "pr")
    write(work, {"pr.txt": "change\n"})
    pr_head = commit(work, "pr")
    git(work, "push", "-q", "origin", "pr:refs/pull/7/head")
    fetch(clone, refspecs=["+refs/pull/7/head:refs/pull/7/head"])
    assert head_commit(clone, "refs/pull/7/head") == pr_head


def test_ensure_clone_replaces_an_invalid_cache(tmp_path: Path) -> None:
    remote, work = make_remote(tmp_path)
    (tmp_path / "other").mkdir()
    other, _ = make_remote(tmp_path / "other")
    cache = work / "cache"  # inside another work tree, so git would happily find *that* repo
    clone = ensure_clone(str(remote), cache)
    # Point the cached clone elsewhere, then corrupt it: both must be noticed, not trusted.
    git(clone, "config", "remote.origin.url", str(other))
    assert ensure_clone(str(remote), cache) == clone
    assert git(clone, "config", "--get", "remote.origin.url").strip() == str(remote)
    shutil.rmtree(clone)
    clone.mkdir()
    (clone / "junk.txt").write_text("not a repository")
    clone = ensure_clone(str(remote), cache)
    assert list_files(clone, head_commit(clone, "main")) == ["README.md"]
    assert not (clone / "junk.txt").exists()


def test_the_token_reaches_git_as_per_call_config_only(tmp_path: Path) -> None:
    header = run_git(["config", "--get", "http.extraHeader"], tmp_path, token="ghs_abc").decode().strip()
    assert header == "Authorization: Basic " + base64.b64encode(b"x-access-token:ghs_abc").decode()
    with pytest.raises(GitError):  # nothing persists to the next call
        run_git(["config", "--get", "http.extraHeader"], tmp_path)


def test_clone_errors_are_clear_and_never_leak_the_token(tmp_path: Path) -> None:
    with pytest.raises(GitError) as failure:
        ensure_clone(str(tmp_path / "missing.git"), tmp_path / "cache", token="ghs_topsecret")
    assert "clone" in str(failure.value) and "ghs_topsecret" not in str(failure.value)
    with pytest.raises(GitError, match="credentials"):
        ensure_clone("https://user:pw@example.invalid/o/r.git", tmp_path / "cache")
    with pytest.raises(GitError, match="refusing"):
        ensure_clone("ext::sh -c touch% /tmp/pwned", tmp_path / "cache")
    assert [p for p in (tmp_path / "cache").iterdir()] == []
