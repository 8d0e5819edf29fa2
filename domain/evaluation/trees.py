"""The two sides of a case's change as whole files: what a repository at its base and head holds.

A case may bring both sides (`base/`, `head/`), one of them, or only its diff. The missing side is
made from the other one and the diff: the head by applying the hunks to the base, the base by
applying them backwards to the head. With neither, each side is made from the diff alone: the lines
the hunks show, at their own line numbers, with blank lines where the diff shows nothing. That keeps
every line number a golden comment names, and the two sides differ only where the diff says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.diff import FileDiff, Hunk, parse_unified_diff
from domain.evaluation.cases import EvalCase


class PatchMismatch(ValueError):
    """A case's files and its diff disagree; the message names the file and line."""


@dataclass(frozen=True)
class CaseTrees:
    """path -> text at the base and at the head; a path missing from `head` was deleted by the change."""

    base: dict[str, str] = field(default_factory=dict)
    head: dict[str, str] = field(default_factory=dict)


def case_trees(case: EvalCase) -> CaseTrees:
    """Both sides of `case` as whole files (raises PatchMismatch when its files and diff disagree)."""
    base = dict(case.base_files)
    head = dict(case.base_files)  # files the change leaves alone are the same on both sides
    changes = [changed for changed in parse_unified_diff(case.diff) if not changed.is_binary]
    for changed in changes:
        _check_inside(changed.path, changed.old_path)
        before, after = _sides(changed, case)
        old = changed.old_path or changed.path
        head.pop(old, None)
        if before is not None:
            base[old] = before
        if after is not None:
            head[changed.path] = after
    touched = {changed.path for changed in changes} | {c.old_path for c in changes if c.old_path}
    for path, text in case.head_files.items():
        if path not in touched:  # a head file the diff does not change is context on both sides
            base.setdefault(path, text)
            head.setdefault(path, text)
    return CaseTrees(base=base, head=head)


def _check_inside(*paths: str | None) -> None:
    # The trees are written to disk: a diff naming "../x" or "/x" must not write outside the repository.
    for path in paths:
        if path is not None and (path.startswith("/") or ".." in path.split("/") or not path.strip()):
            raise PatchMismatch(f"{path!r} is not a path inside the repository")


def _sides(changed: FileDiff, case: EvalCase) -> tuple[str | None, str | None]:
    old = changed.old_path or changed.path
    if changed.status == "added":
        return None, case.head_files.get(changed.path) or _from_diff(changed.hunks, new_side=True)
    if changed.status == "deleted":
        return case.base_files.get(old) or _from_diff(changed.hunks, new_side=False), None
    before, after = case.base_files.get(old), case.head_files.get(changed.path)
    if before is None and after is None:
        before = _from_diff(changed.hunks, new_side=False)
    if after is None:
        return before, apply_hunks(before or "", changed, reverse=False)
    if before is None:
        return apply_hunks(after, changed, reverse=True), after
    if apply_hunks(before, changed, reverse=False) != after:  # both given: they must be the diff's two sides
        raise PatchMismatch(f"{changed.path}: base/ with the diff applied is not head/")
    return before, after


def _from_diff(hunks: list[Hunk], *, new_side: bool) -> str:
    """One side of a file from its hunks alone, blank where the diff shows nothing."""
    shown: dict[int, str] = {}
    for hunk in hunks:
        for line in hunk.lines:
            number = line.new_line if new_side else line.old_line
            if number is not None:
                shown[number] = line.text
    if not shown:
        return ""
    return "".join(shown.get(n, "") + "\n" for n in range(1, max(shown) + 1))


def apply_hunks(text: str, changed: FileDiff, *, reverse: bool) -> str:
    """`text` with the diff's hunks applied (base -> head), or applied backwards (head -> base).

    Every line a hunk expects must be there at its number, as `git apply` without fuzz would check.
    """
    lines = text.splitlines()
    out: list[str] = []
    cursor = 0  # lines of `text` consumed so far
    for hunk in changed.hunks:
        start = (hunk.new_start if reverse else hunk.old_start) - 1
        if (hunk.new_count if reverse else hunk.old_count) == 0:
            start += 1  # a side with no lines names the line before the hunk
        out += lines[cursor:start]
        cursor = start
        for line in hunk.lines:
            expected, produced = _roles(line.kind, reverse)
            if expected:
                if cursor >= len(lines) or lines[cursor] != line.text:
                    raise PatchMismatch(f"{changed.path}: line {cursor + 1} is not what the diff expects there")
                cursor += 1
            if produced:
                out.append(line.text)
    out += lines[cursor:]
    return "".join(line + "\n" for line in out)


def _roles(kind: str, reverse: bool) -> tuple[bool, bool]:
    """(the line must be in the input, the line goes to the output) for a hunk line of `kind`."""
    if kind == "ctx":
        return True, True
    removed = "add" if reverse else "del"
    return (True, False) if kind == removed else (False, True)
