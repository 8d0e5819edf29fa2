"""Which files are worth indexing: not credentials, binaries, vendored or generated, not huge."""

from __future__ import annotations

import codecs
import posixpath

from domain.secrets import secret_file_reason

DEFAULT_MAX_BYTES = 512 * 1024

# Directory names whose contents are third-party or produced by a build.
VENDORED_DIRS = frozenset({"node_modules", "vendor", "bower_components", ".venv", "venv"})
GENERATED_DIRS = frozenset(
    {
        "dist",
        "build",
        "out",
        "coverage",
        ".next",
        ".nuxt",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".tox",
        ".gradle",
        ".dart_tool",
    }
)
LOCKFILES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "composer.lock",
        "poetry.lock",
        "pipfile.lock",
        "uv.lock",
        "cargo.lock",
        "gemfile.lock",
        "go.sum",
        "pubspec.lock",
        "podfile.lock",
        "bun.lockb",
    }
)
_GENERATED_SUFFIXES = (".min.js", ".min.css", ".map", ".min.mjs", ".bundle.js", ".pyc")
# Known binary formats, skipped before their bytes are even looked at.
_BINARY_SUFFIXES = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".ico",
        ".bmp",
        ".pdf",
        ".zip",
        ".gz",
        ".tgz",
        ".bz2",
        ".xz",
        ".7z",
        ".jar",
        ".war",
        ".class",
        ".so",
        ".dylib",
        ".dll",
        ".exe",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".mp3",
        ".mp4",
        ".mov",
        ".wav",
        ".sqlite",
        ".db",
    }
)


def excluded_path_reason(path: str) -> str | None:
    """Why a repository path is never indexed (credentials, vendored, generated, lockfile, ...), or None."""
    secret = secret_file_reason(path)
    if secret is not None:
        return secret
    parts = path.strip("/").split("/")
    directories, name = parts[:-1], parts[-1].lower()
    if ".git" in directories:
        return "inside .git/"
    for directory in directories:
        if directory in VENDORED_DIRS:
            return f"vendored path ({directory}/)"
        if directory in GENERATED_DIRS:
            return f"generated path ({directory}/)"
    if name in LOCKFILES:
        return f"lockfile ({name})"
    if name.endswith(_GENERATED_SUFFIXES):
        return "minified or generated file"
    if posixpath.splitext(name)[1] in _BINARY_SUFFIXES:
        return "binary file type"
    return None


def content_reason(head_bytes: bytes, complete: bool = False) -> str | None:
    """Why bytes do not look like UTF-8 text, or None when they do (`complete`: the bytes are
    the whole file, not just its head)."""
    if b"\x00" in head_bytes:
        return "binary (NUL byte)"
    # An incremental decoder tolerates a multi-byte character cut off at the end of the head.
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head_bytes, final=complete)
    except UnicodeDecodeError:
        return "not UTF-8 text"
    return None


def should_index(
    path: str, size: int, head_bytes: bytes, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bool, str | None]:
    """Decide whether to index a file: (True, None), or (False, the reason it is skipped).

    `head_bytes` is the start of the file (a few KiB is enough; a service-account key is known
    by its content); .gitignore is not consulted because files are listed through git, which
    already leaves ignored files out.
    """
    reason = excluded_path_reason(path) or secret_file_reason(path, head_bytes)
    if reason is None and size > max_bytes:
        reason = f"too large ({size} bytes > {max_bytes})"
    if reason is None:
        reason = content_reason(head_bytes, complete=len(head_bytes) >= size)
    return reason is None, reason
