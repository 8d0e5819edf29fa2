"""Where in the diff to say it: an edge change declared in a file the change did not touch.

A topic renamed through its constant is declared at the (unchanged) publish call; a route
whose response DTO lost a field is declared in the (unchanged) controller. A review comment
belongs on the changed line that caused it, so such changes are re-anchored on the first
line of a changed file that names what changed (the topic's old name, the removed field),
read in base for what went away and in head for what arrived. This is placement only: what
changed was decided from the syntax trees. Without such a line the change keeps its
declaration's place, and the review shows it in the summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from domain.impact.model import ChangedFile, EdgeChange

_QUOTED = re.compile(r"`([^`]+)`")


def anchored(
    change: EdgeChange, files: Mapping[str, ChangedFile], head_line: Callable[[ChangedFile, int], int | None]
) -> EdgeChange:
    """The change placed on a changed line naming its cause, when its declaration is elsewhere."""
    if change.path in files:
        return change
    gone, arrived = _needles(change)
    for path in sorted(files, key=lambda p: (not _declares(files[p], change.edge.refs), p)):
        file = files[path]
        line = _first_line(file.base, gone)
        if line is not None and (moved := head_line(file, line)) is not None:
            return replace(change, path=path, line=moved, side="head", head_line=moved)
        line = _first_line(file.head, arrived)
        if line is not None:
            return replace(change, path=path, line=line, side="head", head_line=line)
    return change


def _needles(change: EdgeChange) -> tuple[list[str], list[str]]:
    """(names that went away, names that arrived) for this change."""
    named = _QUOTED.findall(change.detail)
    if change.kind == "topic":
        name = change.edge.parts[0]
        return ([name], named) if change.change == "removed" else ([], [name])
    if change.change == "changed":
        return list(change.removed_fields) or named, named
    leaf = change.edge.parts[-1]
    return ([leaf], []) if change.change == "removed" else ([], [leaf])


def _declares(file: ChangedFile, types: tuple[str, ...]) -> bool:
    """Whether the file declares one of the named types (a DTO the edge's shape comes from)."""
    if not types:
        return False
    pattern = re.compile(r"\b(?:class|interface|type)\s+(?:" + "|".join(re.escape(t) for t in types) + r")\b")
    return any(pattern.search(text) for text in (file.base, file.head) if text)


def _first_line(text: str | None, needles: list[str]) -> int | None:
    if not text or not needles:
        return None
    patterns = [re.compile(r"(?<![\w$])" + re.escape(n) + r"(?![\w$])") for n in needles if n]
    for number, line in enumerate(text.splitlines(), start=1):
        if any(p.search(line) for p in patterns):
            return number
    return None
