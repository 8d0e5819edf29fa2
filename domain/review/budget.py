"""How much of a change the LLM sees: a token budget over whole hunks, with nothing dropped silently.

Files are ranked (files with analyzer findings first, then source before tests, docs and lock
files, then larger changes first) and their hunks are taken whole, greedily, until the budget is
spent. Every changed file ends up either (partly) included or listed in `skipped` with a reason,
which the summary comment shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from domain.findings import SEVERITY_ORDER, Finding, severity_rank
from domain.review.paths import FileKind, file_kind

if TYPE_CHECKING:
    from domain.diff import FileDiff, Hunk


def estimate_tokens(text: str) -> int:
    """Rough token count: one token per four characters, rounded up.

    Four characters per token is the usual rule of thumb for English and code with BPE tokenizers;
    it avoids shipping (or downloading) a tokenizer. It is deliberately a little pessimistic for
    code, and it is sub-additive (the estimate of a concatenation never exceeds the sum of the
    parts), which the coverage plan relies on to stay within budget.
    """
    return math.ceil(len(text) / 4)


@dataclass(frozen=True)
class SkippedItem:
    """A file, or some hunks of a file, that the LLM did not see, and why.

    `hunk_indexes` is empty when the whole file was skipped.
    """

    path: str
    reason: str
    hunk_indexes: tuple[int, ...] = ()


@dataclass
class CoveragePlan:
    """Which hunks go into the prompt (as (path, hunk index) pairs, in diff order) and which do not."""

    included: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[SkippedItem] = field(default_factory=list)
    budget_tokens: int = 0
    used_tokens: int = 0

    def included_paths(self) -> list[str]:
        """Paths with at least one included hunk, in diff order."""
        return list(dict.fromkeys(path for path, _ in self.included))


_KIND_RANK: dict[FileKind, int] = {"source": 0, "config": 1, "test": 2, "docs": 3, "generated": 4}


def plan_coverage(files: list[FileDiff], findings: list[Finding], budget_tokens: int) -> CoveragePlan:
    """Choose whole hunks to show the LLM within `budget_tokens` (see the module docstring)."""
    plan = CoveragePlan(budget_tokens=budget_tokens)
    chosen: set[tuple[str, int]] = set()
    remaining = budget_tokens
    for file in sorted(_reviewable(files, plan), key=lambda f: _file_priority(f, findings)):
        remaining = _fill_file(file, findings, remaining, chosen, plan)
    plan.used_tokens = budget_tokens - remaining
    plan.included = [(f.path, i) for f in files for i in range(len(f.hunks)) if (f.path, i) in chosen]
    return plan


def _reviewable(files: list[FileDiff], plan: CoveragePlan) -> list[FileDiff]:
    """Files that can be shown at all; the others go straight to `skipped` with their reason."""
    reviewable: list[FileDiff] = []
    for file in files:
        if file.is_binary:
            plan.skipped.append(SkippedItem(file.path, "binary file"))
        elif file.status == "deleted":
            plan.skipped.append(SkippedItem(file.path, "file deleted (no new lines to comment on)"))
        elif not file.hunks:
            plan.skipped.append(SkippedItem(file.path, "no text changes (rename or mode only)"))
        else:
            reviewable.append(file)
    return reviewable


def _file_priority(file: FileDiff, findings: list[Finding]) -> tuple[int, int, int, int, str]:
    own = [f for f in findings if f.path == file.path]
    worst = min((severity_rank(f.severity) for f in own), default=len(SEVERITY_ORDER))
    changed = sum(_changed_lines(h) for h in file.hunks)
    return (0 if own else 1, worst, _KIND_RANK[file_kind(file.path)], -changed, file.path)


def _fill_file(
    file: FileDiff,
    findings: list[Finding],
    remaining: int,
    chosen: set[tuple[str, int]],
    plan: CoveragePlan,
) -> int:
    """Add the file's hunks that still fit; record the ones that do not. Returns tokens left."""
    header_cost = estimate_tokens(render_file_header(file))
    finding_lines = {f.line for f in findings if f.path == file.path}
    order = sorted(range(len(file.hunks)), key=lambda i: (not _touches(file.hunks[i], finding_lines), i))
    left_out: list[int] = []
    for index in order:
        cost = estimate_tokens(render_hunk(file.hunks[index]))
        extra = 0 if _file_started(file, chosen) else header_cost
        if cost + extra <= remaining:
            chosen.add((file.path, index))
            remaining -= cost + extra
        else:
            left_out.append(index)
    if left_out:
        plan.skipped.append(_budget_skip(file, sorted(left_out)))
    return remaining


def _file_started(file: FileDiff, chosen: set[tuple[str, int]]) -> bool:
    return any((file.path, i) in chosen for i in range(len(file.hunks)))


def _budget_skip(file: FileDiff, left_out: list[int]) -> SkippedItem:
    tokens = sum(estimate_tokens(render_hunk(file.hunks[i])) for i in left_out)
    if len(left_out) == len(file.hunks):
        reason = f"over the token budget (~{tokens:,} tokens, {_hunks(len(left_out))})"
        return SkippedItem(file.path, reason)
    numbers = ", ".join(str(i + 1) for i in left_out)
    label = "hunk" if len(left_out) == 1 else "hunks"
    reason = (
        f"{len(left_out)} of {_hunks(len(file.hunks))} over the token budget ({label} {numbers}, ~{tokens:,} tokens)"
    )
    return SkippedItem(file.path, reason, tuple(left_out))


def _hunks(count: int) -> str:
    return f"{count} hunk" if count == 1 else f"{count} hunks"


def _changed_lines(hunk: Hunk) -> int:
    return sum(1 for line in hunk.lines if line.kind != "ctx")


def _touches(hunk: Hunk, lines: set[int]) -> bool:
    return any(line.kind == "add" and line.new_line in lines for line in hunk.lines)


def commentable_lines(files: list[FileDiff], plan: CoveragePlan) -> dict[str, set[int]]:
    """Added new-side lines of the included hunks: the only lines an LLM comment may point at."""
    by_path = {f.path: f for f in files}
    lines: dict[str, set[int]] = {}
    for path, index in plan.included:
        hunk = by_path[path].hunks[index]
        added = {ln.new_line for ln in hunk.lines if ln.kind == "add" and ln.new_line is not None}
        lines.setdefault(path, set()).update(added)
    return lines


def render_diff_for_prompt(files: list[FileDiff], plan: CoveragePlan) -> str:
    """The included hunks as text for the prompt, each line prefixed with its new-side number.

    Added lines read `  42 +text`, context lines `  42  text`, deleted lines carry no number
    (`     -text`), so the model can cite exactly the numbers it may comment on.
    """
    wanted = set(plan.included)
    parts: list[str] = []
    for file in files:
        indexes = [i for i in range(len(file.hunks)) if (file.path, i) in wanted]
        if indexes:
            parts.append(render_file_header(file))
            parts.extend(render_hunk(file.hunks[i]) for i in indexes)
    return "".join(parts)


def render_file_header(file: FileDiff) -> str:
    """The line that opens a file's block in the prompt diff (ends with a newline)."""
    if file.status == "renamed" and file.old_path:
        return f"=== {file.path} (renamed from {file.old_path})\n"
    return f"=== {file.path} ({file.status})\n"


def render_hunk(hunk: Hunk) -> str:
    """One hunk with its @@ line and numbered lines (ends with a newline)."""
    numbers = [ln.new_line for ln in hunk.lines if ln.new_line is not None]
    width = max(4, len(str(max(numbers, default=0))))
    head = _hunk_head(hunk)
    return head + "".join(_render_line(ln.kind, ln.text, ln.new_line, width) + "\n" for ln in hunk.lines)


def _hunk_head(hunk: Hunk) -> str:
    header = (hunk.header or "").strip()
    if header.startswith("@@"):
        return header + "\n"
    ranges = f"@@ -{hunk.old_start},{hunk.old_count} +{hunk.new_start},{hunk.new_count} @@"
    return f"{ranges} {header}\n" if header else ranges + "\n"


_SIGNS = {"add": "+", "del": "-", "ctx": " "}


def _render_line(kind: str, text: str, new_line: int | None, width: int) -> str:
    number = str(new_line) if new_line is not None and kind != "del" else ""
    return f"{number:>{width}} {_SIGNS.get(kind, ' ')}{text}"
