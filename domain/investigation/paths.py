"""Path helpers shared by grounding and the deterministic sections: globs, noise, entry points.

Globs follow gitignore habits because that is what people write in `file_hints`: a pattern
without a slash matches a file name at any depth (`docker-compose*.yml`), `**` crosses folders,
`*` stays inside one folder and `{a,b}` means either.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

from domain.globs import glob_match as match_glob

# Folders whose files are vendored, generated or tooling state: never evidence of the design.
NOISE_DIRS = frozenset(
    {
        ".git",
        "node_modules",
        "vendor",
        "dist",
        "build",
        "out",
        "coverage",
        "__pycache__",
        ".venv",
        "venv",
        ".next",
        ".nuxt",
        ".turbo",
        ".cache",
        ".idea",
        ".vscode",
        "bower_components",
        ".terraform",
    }
)
LOCK_FILES = frozenset(
    {
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "composer.lock",
        "poetry.lock",
        "Pipfile.lock",
        "go.sum",
        "uv.lock",
        "Cargo.lock",
    }
)
BINARY_SUFFIXES = frozenset(
    {
        *(".png", ".jpg", ".jpeg", ".gif", ".ico", ".svg", ".webp", ".pdf", ".zip", ".gz", ".tgz"),
        *(".jar", ".war", ".woff", ".woff2", ".ttf", ".eot", ".mp3", ".mp4", ".mov", ".so", ".dll"),
        *(".dylib", ".exe", ".bin", ".class", ".pyc", ".lock", ".map"),
    }
)
SOURCE_SUFFIXES = frozenset([".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".py", ".php", ".go"])

# Conventional start-up files, most telling first; used when the profile names none.
ENTRY_POINT_PATTERNS: tuple[str, ...] = (
    "src/main.ts",
    "src/main.js",
    "main.ts",
    "src/index.ts",
    "src/index.js",
    "src/index.tsx",
    "src/index.jsx",
    "src/main.tsx",
    "src/App.tsx",
    "src/App.jsx",
    "index.ts",
    "index.js",
    "server.ts",
    "server.js",
    "app.ts",
    "app.js",
    "src/server.ts",
    "src/server.js",
    "src/app.ts",
    "src/app.js",
    "main.py",
    "app.py",
    "manage.py",
    "wsgi.py",
    "asgi.py",
    "**/main.py",
    "**/app.py",
    "public/index.php",
    "index.php",
    "artisan",
    "main.go",
    "cmd/*/main.go",
    "App.tsx",
    "App.js",
    "lib/main.dart",
)


def glob_match(path: str, pattern: str) -> bool:
    """True when `path` (posix, relative to the repository root) matches `pattern`."""
    return match_glob(pattern, path)


def is_noise(path: str) -> bool:
    """Vendored, generated, lock or binary files: never shown to a step, never scanned."""
    pure = PurePosixPath(path)
    if any(part in NOISE_DIRS for part in pure.parts[:-1]):
        return True
    if pure.name in LOCK_FILES or pure.name.endswith((".min.js", ".min.css")):
        return True
    return pure.suffix.lower() in BINARY_SUFFIXES


def is_test_path(path: str) -> bool:
    """Tests publish to topics and call routes too; detections from them would mislead."""
    pure = PurePosixPath(path)
    folders = {part.lower() for part in pure.parts[:-1]}
    if folders & {"test", "tests", "__tests__", "spec", "e2e", "__mocks__", "fixtures"}:
        return True
    name = pure.name.lower()
    return ".spec." in name or ".test." in name or name.startswith("test_")


def guess_entry_points(paths: Iterable[str]) -> list[str]:
    """Conventional entry points present in `paths`, in the order of ENTRY_POINT_PATTERNS."""
    candidates = sorted((p for p in paths if not is_noise(p) and not is_test_path(p)), key=depth_key)
    found: list[str] = []
    for pattern in ENTRY_POINT_PATTERNS:
        for path in candidates:
            if path not in found and glob_match(path, pattern) and _anchored(path, pattern):
                found.append(path)
    return found


def _anchored(path: str, pattern: str) -> bool:
    # Slash-less entry patterns mean "at the root", unlike hints: a nested index.js is no entry.
    return "/" in pattern or "/" not in path


def depth_key(path: str) -> tuple[int, str]:
    """Shallow files first, then by path: the order a reader meets a repository in."""
    return (path.count("/"), path)
