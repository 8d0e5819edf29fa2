"""Incremental reviews: on a new head, the model reviews what changed since the last reviewed head.

The pull request's own diff (base..head) decides what may be commented on (GitHub only accepts
comments on lines of that diff); the compare diff (last reviewed head..head) decides what is new.
Both speak in head line numbers, so a hunk of the pull request is in scope when a line the new
commits added, or the place where they deleted lines, falls inside it. Everything else in the
pull request is context: the prompt names those files, it does not repeat their hunks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domain.diff import FileDiff, Hunk


@dataclass
class IncrementalScope:
    files: list[FileDiff] = field(default_factory=list)  # PR files cut to the hunks the new commits touched
    new_lines: dict[str, set[int]] = field(default_factory=dict)  # head lines the new commits added
    unchanged_files: list[str] = field(default_factory=list)  # PR files the new commits did not touch

    @property
    def empty(self) -> bool:
        return not any(f.hunks for f in self.files)


def incremental_scope(pr_files: list[FileDiff], since_files: list[FileDiff]) -> IncrementalScope:
    """The part of the pull request's diff that the commits since the last reviewed head touched."""
    touched = {f.path: _touched_lines(f) for f in since_files}
    added = {f.path: _added_lines(f) for f in since_files}
    scope = IncrementalScope()
    for file in pr_files:
        lines = touched.get(file.path)
        hunks = [h for h in file.hunks if lines and _hunk_touches(h, lines)]
        if hunks:
            scope.files.append(_with_hunks(file, hunks))
            scope.new_lines[file.path] = added.get(file.path, set())
        else:
            scope.unchanged_files.append(file.path)
    return scope


def _added_lines(file: FileDiff) -> set[int]:
    return {ln.new_line for h in file.hunks for ln in h.lines if ln.kind == "add" and ln.new_line is not None}


def _touched_lines(file: FileDiff) -> set[int]:
    """Head lines the commits added, plus the head position of every deletion they made."""
    touched: set[int] = set()
    for hunk in file.hunks:
        position = hunk.new_start
        for line in hunk.lines:
            if line.new_line is not None:
                position = line.new_line
                if line.kind == "add":
                    touched.add(line.new_line)
                position += 1
            else:  # a deletion sits just before the next head line
                touched.add(position)
    return touched


def _hunk_touches(hunk: Hunk, lines: set[int]) -> bool:
    end = hunk.new_start + max(hunk.new_count, 1)
    return any(hunk.new_start <= line <= end for line in lines)


def _with_hunks(file: FileDiff, hunks: list[Hunk]) -> FileDiff:
    return replace(file, hunks=hunks)
