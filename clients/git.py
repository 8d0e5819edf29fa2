"""Local git through the `git` command: listing and reading files at a commit, changes between
commits, and a cached bare clone per remote.

Every call passes commits and paths as separate arguments (never through a shell), refuses
revisions that look like options, and raises GitError with git's own message on failure.
Credentials are handed to git per call through environment variables, so they never reach the
command line, the clone's config, the remote URL or an error message.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

logger = logging.getLogger(__name__)

ChangeStatus = Literal["added", "modified", "deleted", "renamed"]
DEFAULT_TIMEOUT = 120.0
NETWORK_TIMEOUT = 900.0

_STATUS: dict[str, ChangeStatus] = {"A": "added", "M": "modified", "T": "modified", "D": "deleted"}
_LS_TREE_LINE = re.compile(r"^(\d+) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)$", re.DOTALL)
_SYMLINK_MODE = "120000"
# Inherited variables that would make git print request headers (and so the token).
_TRACE_VARIABLES = ("GIT_TRACE", "GIT_TRACE_CURL", "GIT_CURL_VERBOSE", "GIT_TRACE_PACKET")


class GitError(RuntimeError):
    """A git command failed; the message holds the command and git's stderr."""


@dataclass(frozen=True)
class Change:
    """One file changed between two commits; `old_path` is set for renames only."""

    status: ChangeStatus
    path: str
    old_path: str | None = None


@dataclass(frozen=True)
class TreeEntry:
    """A file in a commit's tree: its path, size in bytes and git mode."""

    path: str
    size: int
    mode: str


def _check_revision(revision: str) -> str:
    if not revision or revision.startswith("-") or "\x00" in revision:
        raise GitError(f"refusing revision {revision!r}")
    return revision


def _auth_env(token: str | None) -> dict[str, str]:
    if not token:
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    # GIT_CONFIG_COUNT (git >= 2.31) sets config for this process only, out of sight of `ps`.
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.extraHeader",
        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
    }


def _redact(text: str, token: str | None) -> str:
    if not token:
        return text
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return text.replace(token, "***").replace(basic, "***")


def run_git(
    args: list[str],
    cwd: Path | str | None = None,
    *,
    token: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> bytes:
    """Run git with arguments and return its stdout; raise GitError with stderr on failure."""
    env = {k: v for k, v in os.environ.items() if k not in _TRACE_VARIABLES}
    env.update({"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", **_auth_env(token)})
    command = ["git", *args]
    try:
        result = subprocess.run(command, cwd=cwd, env=env, input=b"", capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {' '.join(args[:2])} timed out after {timeout:.0f}s") from exc
    except OSError as exc:
        raise GitError(f"could not run git: {exc}") from exc
    if result.returncode != 0:
        stderr = _redact(result.stderr.decode("utf-8", "replace").strip(), token)
        raise GitError(f"git {' '.join(args)} failed ({result.returncode}): {stderr}")
    return result.stdout


def list_tree(repo_dir: Path | str, commit: str) -> list[TreeEntry]:
    """Regular files (no submodules, no symlinks) tracked at a commit, with sizes, by path."""
    out = run_git(["ls-tree", "-r", "-l", "-z", "--full-tree", _check_revision(commit)], repo_dir)
    entries = []
    for record in out.decode("utf-8", "surrogateescape").split("\x00"):
        match = _LS_TREE_LINE.match(record)
        if match is None:
            continue
        mode, kind, _sha, size, path = match.groups()
        if kind == "blob" and mode != _SYMLINK_MODE:
            entries.append(TreeEntry(path, int(size), mode))
    return sorted(entries, key=lambda entry: entry.path)


def list_files(repo_dir: Path | str, commit: str) -> list[str]:
    """Paths of the files tracked at a commit (so .gitignore'd files never appear), sorted."""
    return [entry.path for entry in list_tree(repo_dir, commit)]


def read_file(repo_dir: Path | str, commit: str, path: str) -> bytes:
    """The bytes of one file at a commit."""
    return run_git(["cat-file", "blob", f"{_check_revision(commit)}:{path}"], repo_dir)


def head_commit(repo_dir: Path | str, ref: str) -> str:
    """The full commit id a ref (branch, tag, sha, HEAD) points at."""
    out = run_git(["rev-parse", "--verify", "--end-of-options", f"{_check_revision(ref)}^{{commit}}"], repo_dir)
    return out.decode().strip()


def _empty_tree(repo_dir: Path | str) -> str:
    # Computed rather than hard-coded: SHA-256 repositories have a different empty tree id.
    return run_git(["hash-object", "-t", "tree", "--stdin"], repo_dir).decode().strip()


def changes_between(repo_dir: Path | str, old: str | None, new: str) -> list[Change]:
    """Files added, modified, deleted or renamed from `old` to `new` (None: from nothing)."""
    base = _check_revision(old) if old else _empty_tree(repo_dir)
    out = run_git(["diff", "--name-status", "-M", "-z", "--no-ext-diff", base, _check_revision(new), "--"], repo_dir)
    return _parse_name_status(out.decode("utf-8", "surrogateescape").split("\x00"))


def _parse_name_status(fields: list[str]) -> list[Change]:
    # -z output: "M", path | "R100", old path, new path | "C75", source path, new path.
    changes: list[Change] = []
    i = 0
    while i + 1 < len(fields):
        code = fields[i][:1]
        if code in ("R", "C"):
            old_path, path = fields[i + 1], fields[i + 2]
            changes.append(Change("renamed", path, old_path) if code == "R" else Change("added", path))
            i += 3
        elif code in _STATUS:
            changes.append(Change(_STATUS[code], fields[i + 1]))
            i += 2
        else:
            raise GitError(f"unexpected git diff status {fields[i]!r}")
    return changes


def diff_text(repo_dir: Path | str, base: str, head: str) -> str:
    """The unified diff a pull request shows: what `head` changed since its merge base with
    `base` (`git diff base...head`), with a/ b/ prefixes whatever the user's git config says."""
    args = ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "--src-prefix=a/", "--dst-prefix=b/"]
    out = run_git([*args, f"{_check_revision(base)}...{_check_revision(head)}", "--"], repo_dir)
    return out.decode("utf-8", "replace")


_TRANSPORT_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")
_PASSWORD_IN_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/@]*:[^/@]*@")


def _normalise_url(url: str) -> str:
    if not url or url.startswith("-") or _TRANSPORT_PREFIX.match(url):
        raise GitError(f"refusing repository URL {url!r}")
    if _PASSWORD_IN_URL.match(url):
        raise GitError("credentials in the repository URL are not allowed; pass token= instead")
    if "://" not in url and Path(url).exists():
        return str(Path(url).resolve())  # git records local remotes as absolute paths
    return url


def _cache_name(url: str) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", url.split("://", 1)[-1].removesuffix(".git"))
    return f"{readable.strip('_')[-60:]}-{hashlib.sha256(url.encode()).hexdigest()[:12]}"


def _is_valid_clone(target: Path, url: str) -> bool:
    """A bare repository of its own (not a folder inside another one) whose origin is `url`."""
    try:
        git_dir = run_git(["rev-parse", "--absolute-git-dir"], target).decode().strip()
        origin = run_git(["config", "--get", "remote.origin.url"], target).decode().strip()
    except GitError:
        return False
    return Path(git_dir).resolve() == target.resolve() and origin == url


def fetch(
    repo_dir: Path,
    *,
    token: str | None = None,
    refspecs: list[str] | None = None,
    timeout: float = NETWORK_TIMEOUT,
) -> None:
    """Update a cached clone from origin: all branches and tags, or just `refspecs`
    (e.g. "+refs/pull/7/head:refs/pull/7/head" for a pull request from a fork)."""
    extra = refspecs or []
    for spec in extra:
        _check_revision(spec.lstrip("+"))
    # Prune only on a full update: with explicit refspecs it would touch nothing useful.
    args = ["fetch", "--quiet", *([] if extra else ["--prune"]), "origin", *extra]
    run_git(args, repo_dir, token=token, timeout=timeout)


def _clone(url: str, target: Path, token: str | None, timeout: float) -> None:
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.tmp-"))
    try:
        run_git(["clone", "--bare", "--quiet", "--", url, str(temporary)], token=token, timeout=timeout)
        # A bare clone has no fetch refspec; set one so later fetches update branches and tags.
        for spec in ("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"):
            run_git(["config", "--add", "remote.origin.fetch", spec], temporary)
        temporary.rename(target)
    except OSError:
        # Another worker finished the same clone first; its copy is checked by the caller.
        logger.info("clone of %s already in place at %s", url, target)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def ensure_clone(url: str, cache_dir: Path, *, token: str | None = None, timeout: float = NETWORK_TIMEOUT) -> Path:
    """A bare clone of `url` under `cache_dir`, cloned the first time and fetched after.

    An existing folder is verified (a repository of its own, with `url` as origin) and cloned
    afresh when it is not. `token` authenticates HTTPS for this call only and is stored nowhere.
    """
    url = _normalise_url(url)
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / _cache_name(url)
    if target.exists() and not _is_valid_clone(target, url):
        logger.warning("discarding cached clone %s: not a valid clone of %s", target, url)
        shutil.rmtree(target)
    if target.exists():
        fetch(target, token=token, timeout=timeout)
        return target
    logger.info("cloning %s into %s", url, target)
    _clone(url, target, token, timeout)
    if not _is_valid_clone(target, url):
        raise GitError(f"clone of {url} at {target} is not usable")
    return target
