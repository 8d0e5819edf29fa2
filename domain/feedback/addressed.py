"""Which posted findings a later commit addressed: their line was changed or removed, or the file went.

A finding sits on a line of the head it was posted on; the diff from that head to the new one
says whether that line survived. Only its old side matters: a deleted line ("-") at the finding's
number means someone changed it.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.diff import FileDiff


@dataclass(frozen=True)
class PostedFinding:
    marker: str
    path: str
    line: int
    head_sha: str


def addressed(findings: list[PostedFinding], changes: list[FileDiff]) -> set[str]:
    """The markers of `findings` whose line `changes` (their head -> a later head) changed or removed."""
    by_path = {change.old_path or change.path: change for change in changes}
    found: set[str] = set()
    for finding in findings:
        change = by_path.get(finding.path)
        if change is None:
            continue
        if change.status == "deleted" or _line_changed(change, finding.line):
            found.add(finding.marker)
    return found


def _line_changed(change: FileDiff, line: int) -> bool:
    return any(ln.kind == "del" and ln.old_line == line for hunk in change.hunks for ln in hunk.lines)
