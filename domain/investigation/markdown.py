"""Small Markdown helpers: safe code fences, numbered listings, heading levels."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_LANGUAGES = {
    ".ts": "ts",
    ".tsx": "tsx",
    ".js": "js",
    ".jsx": "jsx",
    ".mjs": "js",
    ".cjs": "js",
    ".py": "python",
    ".php": "php",
    ".go": "go",
    ".json": "json",
    ".yml": "yaml",
    ".yaml": "yaml",
    ".toml": "toml",
    ".md": "markdown",
    ".sql": "sql",
    ".tf": "hcl",
    ".sh": "bash",
    ".dart": "dart",
}
_HEADING = re.compile(r"^(#{1,6})(\s+\S.*)$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def language_of(path: str) -> str:
    """The fence language for a file name; "text" when unknown."""
    name = PurePosixPath(path).name
    if name.startswith("Dockerfile"):
        return "dockerfile"
    return _LANGUAGES.get(PurePosixPath(path).suffix.lower(), "text")


def fenced(body: str, language: str = "text") -> str:
    """`body` in a code fence longer than any backtick run inside it, so it cannot break out."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body.rstrip(chr(10))}\n{fence}"


def numbered(text: str) -> str:
    """Lines prefixed with right-aligned 1-based numbers and " | ", for `path:line` citations."""
    lines = text.splitlines() or [""]
    width = len(str(len(lines)))
    return "\n".join(f"{n:>{width}} | {line}" for n, line in enumerate(lines, start=1))


def shift_headings(text: str, top_level: int) -> str:
    """Move every heading outside code fences so the highest one sits at `top_level` (max 6)."""
    levels = [len(m.group(1)) for m in _headings(text)]
    if not levels:
        return text
    delta = top_level - min(levels)
    out: list[str] = []
    in_fence: str | None = None
    for line in text.splitlines():
        in_fence, is_code = _track_fence(line, in_fence)
        match = None if is_code else _HEADING.match(line)
        if match:
            level = min(6, max(1, len(match.group(1)) + delta))
            line = "#" * level + match.group(2)
        out.append(line)
    return "\n".join(out)


def _headings(text: str) -> list[re.Match[str]]:
    found: list[re.Match[str]] = []
    in_fence: str | None = None
    for line in text.splitlines():
        in_fence, is_code = _track_fence(line, in_fence)
        if not is_code and (match := _HEADING.match(line)):
            found.append(match)
    return found


def _track_fence(line: str, in_fence: str | None) -> tuple[str | None, bool]:
    """(fence still open after this line, whether this line is code or a fence marker)."""
    match = _FENCE.match(line)
    if in_fence is None:
        return (match.group(1), True) if match else (None, False)
    if match and match.group(1)[0] == in_fence[0] and len(match.group(1)) >= len(in_fence):
        return None, True
    return in_fence, True
