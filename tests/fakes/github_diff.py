"""Unified diffs for the GitHub fake: split a `git diff` into GitHub's pull-request `files`
entries, and work out which lines of a file's `patch` GitHub accepts review comments on.

Deliberately independent of `domain/`: the fake must not share a parser (and its bugs) with the
code under test.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_GIT_HEADER = re.compile(r"^diff --git a/(.+) b/(.+)$")


@dataclass
class _FileDiff:
    old_path: str | None = None
    new_path: str | None = None
    status: str = "modified"
    patch: list[str] = field(default_factory=list)
    additions: int = 0
    deletions: int = 0

    def to_github(self) -> dict[str, Any]:
        name = self.new_path or self.old_path or ""
        entry: dict[str, Any] = {
            "filename": name,
            "status": self.status,
            "additions": self.additions,
            "deletions": self.deletions,
            "changes": self.additions + self.deletions,
        }
        if self.patch:
            entry["patch"] = "\n".join(self.patch)
        if self.status in ("renamed", "copied") and self.old_path:
            entry["previous_filename"] = self.old_path
        entry["sha"] = hashlib.sha1(f"{name}\n{entry.get('patch', '')}".encode()).hexdigest()
        return entry


def files_from_unified_diff(text: str) -> list[dict[str, Any]]:
    """GitHub `files` entries (filename, status, additions, deletions, changes, patch,
    previous_filename, sha) for each file of a unified diff, in diff order.

    `patch` is the hunks without the file headers and without a trailing newline, as GitHub
    serves it; binary files get no `patch`.
    """
    lines = text.splitlines()
    files: list[_FileDiff] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        current = files[-1] if files else None
        if line.startswith("diff --git "):
            files.append(_from_git_header(line))
        elif _starts_plain_header(lines, index) and (current is None or current.patch):
            files.append(_FileDiff())
            continue  # the header lines are read below, for the new file
        elif (hunk := _HUNK.match(line)) and current is not None:
            index = _read_hunk(lines, index, hunk, current)
            continue
        elif current is not None:
            _read_header_line(current, line)
        index += 1
    return [f.to_github() for f in files]


def _starts_plain_header(lines: list[str], index: int) -> bool:
    return lines[index].startswith("--- ") and index + 1 < len(lines) and lines[index + 1].startswith("+++ ")


def _from_git_header(line: str) -> _FileDiff:
    match = _GIT_HEADER.match(line)
    if match is None:
        return _FileDiff()
    return _FileDiff(old_path=match[1], new_path=match[2])


def _header_path(raw: str) -> str | None:
    path = raw.split("\t", 1)[0].strip().strip('"')
    if path == "/dev/null":
        return None
    return path[2:] if path[:2] in ("a/", "b/") else path


def _read_header_line(diff: _FileDiff, line: str) -> None:
    if line.startswith("new file mode"):
        diff.status = "added"
    elif line.startswith("deleted file mode"):
        diff.status = "removed"
    elif line.startswith(("rename from ", "copy from ")):
        diff.status = "renamed" if line.startswith("rename") else "copied"
        diff.old_path = line.split(" from ", 1)[1]
    elif line.startswith(("rename to ", "copy to ")):
        diff.new_path = line.split(" to ", 1)[1]
    elif line.startswith("--- "):
        diff.old_path = _header_path(line[4:])
        if diff.old_path is None:
            diff.status = "added"
    elif line.startswith("+++ "):
        diff.new_path = _header_path(line[4:])
        if diff.new_path is None:
            diff.status = "removed"


def _read_hunk(lines: list[str], index: int, hunk: re.Match[str], diff: _FileDiff) -> int:
    """Append one hunk to `diff.patch`, counting lines so a removed `--- x` is not a header."""
    old_left = int(hunk[2] if hunk[2] is not None else 1)
    new_left = int(hunk[4] if hunk[4] is not None else 1)
    diff.patch.append(lines[index])
    index += 1
    while index < len(lines) and (old_left > 0 or new_left > 0 or lines[index].startswith("\\")):
        line = lines[index]
        kind = line[:1]
        if kind == "+":
            new_left, diff.additions = new_left - 1, diff.additions + 1
        elif kind == "-":
            old_left, diff.deletions = old_left - 1, diff.deletions + 1
        elif kind in (" ", ""):  # an empty line is context whose trailing space was stripped
            old_left, new_left = old_left - 1, new_left - 1
        elif kind != "\\":
            break
        diff.patch.append(line)
        index += 1
    return index


@dataclass(frozen=True)
class PatchLine:
    """A line of a patch a review comment can sit on: its side, file line and diff position."""

    side: str  # "RIGHT" (the head version) or "LEFT" (the base version)
    line: int
    position: int  # index in the patch's lines, the first hunk header being 0
    hunk_start: int


def patch_lines(patch: str) -> list[PatchLine]:
    """Every commentable (side, line) of a GitHub `patch`, with its position."""
    found: list[PatchLine] = []
    old = new = hunk_start = 0
    for position, line in enumerate(patch.split("\n")):
        header = _HUNK.match(line)
        if header is not None:
            old, new, hunk_start = int(header[1]), int(header[3]), position
            continue
        kind = line[:1]
        if kind in ("-", " ", ""):
            found.append(PatchLine("LEFT", old, position, hunk_start))
            old += 1
        if kind in ("+", " ", ""):
            found.append(PatchLine("RIGHT", new, position, hunk_start))
            new += 1
    return found


def diff_hunk(patch: str, target: PatchLine) -> str:
    """The hunk text from its header down to the commented line, as GitHub's `diff_hunk`."""
    return "\n".join(patch.split("\n")[target.hunk_start : target.position + 1])
