"""GitHub `files` entries computed from two trees of file contents, as `git diff` would write
them: three lines of context, git's hunk ranges, the default function-name heading after `@@`,
"\\ No newline at end of file", no patch for binary files, and exact renames.

difflib's matcher is not git's Myers algorithm, so a tangled edit may be split into different
hunks than git's; simple edits (the ones tests seed) come out byte for byte the same.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from tests.fakes.github_objects import blob_sha

_NO_NEWLINE = "\\ No newline at end of file"
_FUNCNAME = re.compile(r"^[A-Za-z_$]")
_FUNCNAME_BYTES = 80  # git keeps this much of the heading line


def diff_trees(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> list[dict[str, Any]]:
    """The GitHub `files` entries turning tree `old` into tree `new`, sorted by path."""
    removed = {p for p in old if p not in new}
    renames = _exact_renames({p: old[p] for p in removed}, {p: new[p] for p in new if p not in old})
    entries = []
    for path in sorted(set(old) | set(new)):
        if path in renames.values():
            continue  # shown once, under its new name
        if path in renames:
            entries.append(_entry(path, "renamed", new[path], None, previous=renames[path]))
        elif path not in old:
            entries.append(_entry(path, "added", new[path], _patch(b"", new[path])))
        elif path not in new:
            entries.append(_entry(path, "removed", old[path], _patch(old[path], b"")))
        elif old[path] != new[path]:
            entries.append(_entry(path, "modified", new[path], _patch(old[path], new[path])))
    return entries


def _exact_renames(gone: dict[str, bytes], came: dict[str, bytes]) -> dict[str, str]:
    """new path -> old path for each added file whose bytes equal a removed file's."""
    renames: dict[str, str] = {}
    for new_path, data in sorted(came.items()):
        old_path = next((p for p, d in sorted(gone.items()) if d == data and p not in renames.values()), None)
        if old_path is not None:
            renames[new_path] = old_path
    return renames


def _entry(path: str, status: str, data: bytes, patch: str | None, *, previous: str | None = None) -> dict[str, Any]:
    lines = patch.split("\n") if patch else []
    additions = sum(1 for line in lines if line.startswith("+"))
    deletions = sum(1 for line in lines if line.startswith("-"))
    entry: dict[str, Any] = {
        "filename": path,
        "status": status,
        "additions": additions,
        "deletions": deletions,
        "changes": additions + deletions,
        "sha": blob_sha(data),
    }
    if patch:
        entry["patch"] = patch
    if previous is not None:
        entry["previous_filename"] = previous
    return entry


def _is_binary(data: bytes) -> bool:
    return b"\0" in data[:8000]  # git's own test


def _patch(old: bytes, new: bytes) -> str | None:
    """The hunks of a unified diff (no file headers, no trailing newline), None for binary."""
    if _is_binary(old) or _is_binary(new):
        return None
    a = old.decode("utf-8", "replace").splitlines(keepends=True)
    b = new.decode("utf-8", "replace").splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: list[str] = []
    for group in matcher.get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        header = f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@"
        out.append(header + _heading(a, first[1]))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += _lines(" ", a[i1:i2])
                continue
            out += _lines("-", a[i1:i2])
            out += _lines("+", b[j1:j2])
    return "\n".join(out)


def _range(start: int, stop: int) -> str:
    """git's hunk range: "start,count", just "start" for one line, the line before for none."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start if length == 0 else start + 1},{length}"


def _heading(lines: list[str], hunk_start: int) -> str:
    """git's default function context: the nearest earlier line starting with a letter, _ or $."""
    for line in reversed(lines[:hunk_start]):
        if _FUNCNAME.match(line):
            text = line.encode()[:_FUNCNAME_BYTES].decode("utf-8", "ignore").rstrip()
            return " " + text
    return ""


def _lines(mark: str, chunk: list[str]) -> list[str]:
    out = []
    for line in chunk:
        out.append(mark + line.removesuffix("\n"))
        if not line.endswith("\n"):
            out.append(_NO_NEWLINE)
    return out
