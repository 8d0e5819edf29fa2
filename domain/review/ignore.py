"""Which changed files a review leaves out: lockfiles, generated, vendored and minified output."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import PurePosixPath

from domain.globs import glob_match

LOCKFILES = frozenset(
    {
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "composer.lock",
        "poetry.lock",
        "Pipfile.lock",
        "Cargo.lock",
        "go.sum",
        "Gemfile.lock",
        "uv.lock",
        "npm-shrinkwrap.json",
    }
)
GENERATED_DIRS = frozenset({"node_modules", "vendor", "dist", "build", "out", "coverage", ".next", "__snapshots__"})
GENERATED_GLOBS = ("*.min.js", "*.min.css", "*.map", "*.pb.go", "*_pb2.py", "*.generated.*", "*.snap")


def ignore_reason(path: str, extra_globs: tuple[str, ...] = ()) -> str | None:
    """Why `path` is left out of the review, or None when it is reviewed."""
    parts = PurePosixPath(path).parts
    name = parts[-1] if parts else path
    if name in LOCKFILES:
        return "lockfile"
    vendored = next((part for part in parts[:-1] if part in GENERATED_DIRS), None)
    if vendored:
        return f"generated or vendored ({vendored}/)"
    if any(fnmatch(name, glob) for glob in GENERATED_GLOBS):
        return "generated or minified"
    if any(glob_match(glob, path) for glob in extra_globs):
        return "matches a configured ignore pattern"
    return None
