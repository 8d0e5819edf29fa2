"""Which language a path holds, and the offline tree-sitter grammar to parse it with."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import cache
from typing import Any

from tree_sitter import Language, Parser

_BY_EXTENSION: dict[str, str] = {
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "typescript",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".py": "python",
    ".pyi": "python",
    ".php": "php",
    ".json": "json",
    ".go": "go",
    ".java": "java",
    ".kt": "kotlin",
    ".kts": "kotlin",
    ".scala": "scala",
    ".rb": "ruby",
    ".rs": "rust",
    ".cs": "csharp",
    ".swift": "swift",
    ".m": "objective-c",
    ".dart": "dart",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".hpp": "cpp",
    ".ex": "elixir",
    ".exs": "elixir",
    ".sql": "sql",
    ".sh": "shell",
    ".bash": "shell",
    ".tf": "hcl",
    ".hcl": "hcl",
    ".vue": "vue",
    ".svelte": "svelte",
    ".html": "html",
    ".css": "css",
    ".scss": "scss",
    ".less": "less",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".xml": "xml",
    ".md": "markdown",
    ".graphql": "graphql",
    ".proto": "protobuf",
}

_BY_NAME: dict[str, str] = {
    "dockerfile": "dockerfile",
    "makefile": "make",
    "gemfile": "ruby",
    "rakefile": "ruby",
    "artisan": "php",
}

# Languages that are code rather than data or prose; repository profiles count only these.
PROGRAMMING_LANGUAGES = frozenset(
    {
        "typescript",
        "javascript",
        "python",
        "php",
        "go",
        "java",
        "kotlin",
        "scala",
        "ruby",
        "rust",
        "csharp",
        "swift",
        "objective-c",
        "dart",
        "c",
        "cpp",
        "elixir",
        "shell",
        "hcl",
        "vue",
        "svelte",
    }
)


def language_for_path(path: str) -> str:
    """The language name for a path ("typescript", "python", ...), "text" when unknown."""
    name = posixpath.basename(path).lower()
    if name in _BY_NAME or name.startswith("dockerfile"):
        return _BY_NAME.get(name, "dockerfile")
    return _BY_EXTENSION.get(posixpath.splitext(name)[1], "text")


def _grammar_loaders() -> dict[str, Callable[[], Any]]:
    # Imported here so a missing grammar package only disables syntax-aware chunking.
    import tree_sitter_javascript
    import tree_sitter_json
    import tree_sitter_php
    import tree_sitter_python
    import tree_sitter_typescript

    return {
        "typescript": tree_sitter_typescript.language_typescript,
        "tsx": tree_sitter_typescript.language_tsx,
        "javascript": tree_sitter_javascript.language,
        "python": tree_sitter_python.language,
        "php": tree_sitter_php.language_php,
        "json": tree_sitter_json.language,
    }


def grammar_for_path(path: str) -> str | None:
    """The grammar that parses a path (tsx differs from typescript), None if there is none."""
    if path.lower().endswith(".tsx"):
        return "tsx"
    language = language_for_path(path)
    return language if language in {"typescript", "javascript", "python", "php", "json"} else None


@cache
def _language(grammar: str) -> Language:
    return Language(_grammar_loaders()[grammar]())


def new_parser(grammar: str) -> Parser:
    """A fresh parser (parsers are not thread-safe; the compiled grammar is shared)."""
    return Parser(_language(grammar))
