"""What kind of file a path is, so the review spends its budget on source code first."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Literal

FileKind = Literal["source", "config", "test", "docs", "generated"]

_LOCK_FILES = frozenset(
    {
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "poetry.lock",
        "uv.lock",
        "Pipfile.lock",
        "Cargo.lock",
        "composer.lock",
        "Gemfile.lock",
        "go.sum",
        "bun.lockb",
    }
)
_GENERATED_DIRS = frozenset({"dist", "build", "vendor", "node_modules", "__snapshots__"})
_GENERATED_SUFFIXES = (".min.js", ".min.css", ".map", ".snap", ".pb.go", "_pb2.py", ".lock")

_TEST_DIRS = frozenset({"test", "tests", "__tests__", "spec", "specs", "e2e", "testdata"})
_TEST_NAME = re.compile(
    r"(^test_.*\.py$)|(_test\.(py|go|rb|php)$)|(\.(test|spec)\.[cm]?[jt]sx?$)|(Tests?\.(php|java|kt|cs)$)"
)

_DOC_DIRS = frozenset({"docs", "doc", "documentation"})
_DOC_SUFFIXES = (".md", ".mdx", ".rst", ".txt", ".adoc")
_DOC_NAMES = frozenset({"LICENSE", "LICENCE", "CHANGELOG", "AUTHORS", "NOTICE"})

_CONFIG_SUFFIXES = (".json", ".yml", ".yaml", ".toml", ".ini", ".cfg", ".conf", ".env", ".xml")
_CONFIG_NAMES = frozenset({"Dockerfile", "Makefile", ".gitignore", ".dockerignore", "Procfile", "CODEOWNERS"})


def file_kind(path: str) -> FileKind:
    """Classify a repository path by its name and folders (no content is read)."""
    pure = PurePosixPath(path)
    folders = set(pure.parts[:-1])
    name = pure.name
    if name in _LOCK_FILES or folders & _GENERATED_DIRS or name.endswith(_GENERATED_SUFFIXES):
        return "generated"
    if folders & _TEST_DIRS or _TEST_NAME.search(name):
        return "test"
    if folders & _DOC_DIRS or name.endswith(_DOC_SUFFIXES) or pure.stem.upper() in _DOC_NAMES:
        return "docs"
    if name in _CONFIG_NAMES or name.endswith(_CONFIG_SUFFIXES):
        return "config"
    return "source"
