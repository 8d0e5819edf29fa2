"""Unified-diff parsing: `git diff` output and GitHub's per-file `patch` field.

Everything downstream (analyzers, house rules, review comments) speaks in new-side line numbers,
so every parsed line carries the old- and new-side numbers it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

LineKind = Literal["add", "del", "ctx"]
FileStatus = Literal["added", "modified", "deleted", "renamed"]
Language = Literal["typescript", "tsx", "javascript", "jsx", "php", "python", "sql", "json", "markdown", "other"]

_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$")
_EXTENSIONS: dict[str, Language] = {
    "ts": "typescript",
    "mts": "typescript",
    "cts": "typescript",
    "tsx": "tsx",
    "js": "javascript",
    "mjs": "javascript",
    "cjs": "javascript",
    "jsx": "jsx",
    "php": "php",
    "phtml": "php",
    "py": "python",
    "pyi": "python",
    "sql": "sql",
    "json": "json",
    "md": "markdown",
    "markdown": "markdown",
}
# GitHub's `files[].status` values mapped onto ours.
_GITHUB_STATUS: dict[str, FileStatus] = {
    "added": "added",
    "copied": "added",
    "removed": "deleted",
    "deleted": "deleted",
    "renamed": "renamed",
}
_C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


@dataclass(frozen=True)
class DiffLine:
    """One line of a hunk; `old_line` is None for additions, `new_line` None for deletions."""

    kind: LineKind
    text: str
    old_line: int | None
    new_line: int | None


@dataclass
class Hunk:
    """One `@@ ... @@` block; `header` is the whole `@@` line as written."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    header: str
    lines: list[DiffLine] = field(default_factory=list)

    @property
    def section(self) -> str:
        """The enclosing-scope hint git prints after the second `@@` (may be empty)."""
        match = _HUNK_HEADER.match(self.header)
        return match.group(5) if match else ""


@dataclass
class FileDiff:
    """The change to one file. `path` is the new path (the old one for deleted files)."""

    path: str
    old_path: str | None
    status: FileStatus
    hunks: list[Hunk] = field(default_factory=list)
    is_binary: bool = False

    def added_lines(self) -> dict[int, str]:
        """New-side line number → text, for added lines only."""
        return {
            line.new_line: line.text
            for hunk in self.hunks
            for line in hunk.lines
            if line.kind == "add" and line.new_line is not None
        }

    def new_side_lines(self) -> dict[int, str]:
        """New-side line number → text for every line the diff shows on the new side."""
        return {line.new_line: line.text for hunk in self.hunks for line in hunk.lines if line.new_line is not None}

    @property
    def language(self) -> Language:
        """Language guessed from the file extension."""
        return language_for_path(self.path)


def language_for_path(path: str) -> Language:
    """Language guessed from a path's extension ("other" when unknown)."""
    name = path.rsplit("/", 1)[-1]
    if "." not in name:
        return "other"
    return _EXTENSIONS.get(name.rsplit(".", 1)[-1].lower(), "other")


def parse_unified_diff(text: str) -> list[FileDiff]:
    """Parse `git diff` output (or a plain unified diff) into one FileDiff per file."""
    lines = _split_lines(text)
    files: list[FileDiff] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("diff --git "):
            parsed, index = _parse_git_file(lines, index)
        elif _is_file_header(lines, index):
            parsed, index = _parse_plain_file(lines, index)
        else:
            index += 1
            continue
        files.append(parsed)
    return files


def parse_patch(path: str, patch: str, status: str = "modified", old_path: str | None = None) -> FileDiff:
    """Parse GitHub's per-file `patch` (hunks only, no file headers) into a FileDiff.

    `status` accepts GitHub's values too ("removed", "copied", "changed", ...).
    """
    lines = _split_lines(patch)
    hunks, _ = _parse_hunks(lines, 0)
    return FileDiff(
        path=path,
        old_path=old_path if old_path and old_path != path else None,
        status=_GITHUB_STATUS.get(status, "modified"),
        hunks=hunks,
    )


@dataclass
class _Header:
    old_path: str | None = None
    new_path: str | None = None
    status: FileStatus = "modified"
    is_binary: bool = False


def _split_lines(text: str) -> list[str]:
    # Not str.splitlines(): it also splits on form feeds and U+2028, which may sit inside a line.
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _is_file_header(lines: list[str], index: int) -> bool:
    return lines[index].startswith("--- ") and index + 1 < len(lines) and lines[index + 1].startswith("+++ ")


def _parse_git_file(lines: list[str], index: int) -> tuple[FileDiff, int]:
    header = _Header()
    header.old_path, header.new_path = _split_git_paths(lines[index][len("diff --git ") :])
    index += 1
    while index < len(lines) and not _ends_git_header(lines, index):
        _apply_extended_header(header, lines[index])
        index += 1
    if index < len(lines) and _is_file_header(lines, index):
        _apply_file_headers(header, lines[index], lines[index + 1])
        index += 2
    hunks, index = _parse_hunks(lines, index)
    return _build_file(header, hunks), index


def _ends_git_header(lines: list[str], index: int) -> bool:
    line = lines[index]
    return line.startswith("diff --git ") or line.startswith("@@ ") or _is_file_header(lines, index)


def _apply_extended_header(header: _Header, line: str) -> None:
    if line.startswith("new file mode"):
        header.status = "added"
    elif line.startswith("deleted file mode"):
        header.status = "deleted"
    elif line.startswith(("rename from ", "copy from ")):
        header.old_path = _unquote(line.split(" ", 2)[2])
    elif line.startswith(("rename to ", "copy to ")):
        header.new_path = _unquote(line.split(" ", 2)[2])
        # A copy leaves the source in place: for review purposes the target is a new file.
        header.status = "renamed" if line.startswith("rename") else "added"
    elif line.startswith("Binary files ") or line == "GIT binary patch":
        header.is_binary = True


def _parse_plain_file(lines: list[str], index: int) -> tuple[FileDiff, int]:
    header = _Header()
    _apply_file_headers(header, lines[index], lines[index + 1])
    if header.old_path and header.new_path and header.old_path != header.new_path:
        header.status = "renamed"
    hunks, index = _parse_hunks(lines, index + 2)
    return _build_file(header, hunks), index


def _apply_file_headers(header: _Header, minus: str, plus: str) -> None:
    old, new = _header_path(minus[4:]), _header_path(plus[4:])
    if old is None:
        header.status = "added"
    else:
        header.old_path = old
    if new is None:
        header.status = "deleted"
    else:
        header.new_path = new


def _header_path(raw: str) -> str | None:
    if raw.startswith('"'):
        raw = _unquote(raw)
    elif "\t" in raw:
        # GNU diff appends a tab and a timestamp.
        raw = raw.split("\t", 1)[0]
    if raw == "/dev/null":
        return None
    return _strip_prefix(raw)


def _build_file(header: _Header, hunks: list[Hunk]) -> FileDiff:
    new_path, old_path = header.new_path, header.old_path
    path = old_path if header.status == "deleted" or new_path is None else new_path
    moved = header.status in ("renamed", "added") and old_path and old_path != path
    return FileDiff(
        path=path or "",
        old_path=old_path if moved else None,
        status=header.status,
        hunks=hunks,
        is_binary=header.is_binary,
    )


def _split_git_paths(rest: str) -> tuple[str | None, str | None]:
    """Split `a/x b/x` from a `diff --git` line; only a fallback when no ---/+++ lines follow."""
    if rest.startswith('"'):
        end = _closing_quote(rest)
        first, second = rest[: end + 1], rest[end + 2 :]
        return _strip_prefix(_unquote(first)), _strip_prefix(_unquote(second))
    middle = (len(rest) - 1) // 2
    # Unquoted paths may contain spaces; the common same-path case splits exactly in the middle.
    if len(rest) % 2 == 1 and rest[middle] == " " and rest[2:middle] == rest[middle + 3 :]:
        return _strip_prefix(rest[:middle]), _strip_prefix(rest[middle + 1 :])
    if rest.endswith('"'):
        start = rest.rfind(' "')
        return _strip_prefix(rest[:start]), _strip_prefix(_unquote(rest[start + 1 :]))
    first, sep, second = rest.partition(" b/")
    return _strip_prefix(first), (second if sep else None)


def _closing_quote(text: str) -> int:
    index = 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == '"':
            return index
        index += 1
    return len(text) - 1


def _strip_prefix(path: str) -> str:
    return path[2:] if path.startswith(("a/", "b/")) else path


def _unquote(raw: str) -> str:
    """Undo git's C-style quoting (`"a/caf\\303\\251.txt"`); unquoted input is returned as is."""
    if len(raw) < 2 or not (raw.startswith('"') and raw.endswith('"')):
        return raw
    body, out, index = raw[1:-1], bytearray(), 0
    while index < len(body):
        char = body[index]
        if char != "\\" or index + 1 >= len(body):
            out += char.encode("utf-8")
            index += 1
        elif body[index + 1] in "01234567":
            out.append(int(body[index + 1 : index + 4], 8) & 0xFF)
            index += 4
        else:
            out.append(_C_ESCAPES.get(body[index + 1], ord(body[index + 1])))
            index += 2
    return out.decode("utf-8", errors="replace")


def _parse_hunks(lines: list[str], index: int) -> tuple[list[Hunk], int]:
    hunks: list[Hunk] = []
    while index < len(lines):
        match = _HUNK_HEADER.match(lines[index])
        if not match:
            break
        hunk = Hunk(
            old_start=int(match.group(1)),
            old_count=int(match.group(2) or 1),
            new_start=int(match.group(3)),
            new_count=int(match.group(4) or 1),
            header=lines[index],
        )
        index = _parse_hunk_body(hunk, lines, index + 1)
        hunks.append(hunk)
    return hunks, index


def _parse_hunk_body(hunk: Hunk, lines: list[str], index: int) -> int:
    # The counts, not the line prefixes, end a hunk: a removed SQL comment "-- x" reads "--- x".
    old_left, new_left = hunk.old_count, hunk.new_count
    old_no, new_no = hunk.old_start, hunk.new_start
    while index < len(lines) and (old_left > 0 or new_left > 0 or lines[index].startswith("\\")):
        line = lines[index]
        marker, text = (line[:1], line[1:]) if line else (" ", "")
        if marker == "\\":
            index += 1
            continue
        if marker == "+" and new_left > 0:
            hunk.lines.append(DiffLine("add", text, None, new_no))
            new_no, new_left = new_no + 1, new_left - 1
        elif marker == "-" and old_left > 0:
            hunk.lines.append(DiffLine("del", text, old_no, None))
            old_no, old_left = old_no + 1, old_left - 1
        elif marker == " " and old_left > 0 and new_left > 0:
            hunk.lines.append(DiffLine("ctx", text, old_no, new_no))
            old_no, new_no = old_no + 1, new_no + 1
            old_left, new_left = old_left - 1, new_left - 1
        else:
            break
        index += 1
    return index
