"""Large pull requests in parts: files grouped by directory and language, each part within one prompt.

One prompt has a budget (the model's context less the frame); a change larger than that is split
into parts reviewed by separate LLM calls that run in parallel. Files are never split across parts
(a part that holds one oversized file still shows what fits and lists the rest, see `budget`).
A per-review token ceiling bounds the cost: files past it are listed with the reason, never
dropped silently. The most important files (with analyzer findings, source before tests and
docs) are placed first, so a ceiling cuts what matters least.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from domain.findings import SEVERITY_ORDER, Finding, severity_rank
from domain.review.budget import SkippedItem, estimate_tokens, render_file_header, render_hunk
from domain.review.paths import file_kind

if TYPE_CHECKING:
    from domain.diff import FileDiff

_KIND_RANK = {"source": 0, "config": 1, "test": 2, "docs": 3, "generated": 4}


@dataclass
class ReviewPart:
    """The files one LLM call reviews, in diff order, and a label for the summary."""

    paths: list[str]
    label: str
    tokens: int = 0


@dataclass
class PartsPlan:
    parts: list[ReviewPart] = field(default_factory=list)
    over_ceiling: list[SkippedItem] = field(default_factory=list)
    ceiling_tokens: int = 0


@dataclass
class _Group:
    key: tuple[str, str]
    files: list[FileDiff]
    cost: int
    rank: tuple[int, int, int]


def plan_parts(files: list[FileDiff], findings: list[Finding], part_budget: int, ceiling_tokens: int) -> PartsPlan:
    """Split the reviewable files into parts of at most `part_budget` diff tokens each.

    Files that cannot be shown at all (binary, deleted, no hunks) are left to the per-part coverage
    plan, which lists them. The parts' total never exceeds `ceiling_tokens`.
    """
    plan = PartsPlan(ceiling_tokens=ceiling_tokens)
    groups = sorted(_groups(files, findings), key=lambda g: (g.rank, g.key))
    spent = 0
    current: list[FileDiff] = []
    current_cost = 0
    for group in groups:
        if current and current_cost + group.cost > part_budget >= group.cost:
            # The group fits a part of its own: keep it whole rather than split it across two.
            plan.parts.append(_part(current, current_cost, files))
            current, current_cost = [], 0
        for file in group.files:
            cost = file_cost(file)
            if spent + min(cost, part_budget) > ceiling_tokens:
                plan.over_ceiling.append(SkippedItem(file.path, _ceiling_reason(cost, ceiling_tokens)))
                continue
            if current and current_cost + cost > part_budget:
                plan.parts.append(_part(current, current_cost, files))
                current, current_cost = [], 0
            current.append(file)
            current_cost += min(cost, part_budget)
            spent += min(cost, part_budget)
    if current:
        plan.parts.append(_part(current, current_cost, files))
    return plan


def file_cost(file: FileDiff) -> int:
    """Prompt tokens of a whole file's hunks with its header (what `render_diff_for_prompt` sends)."""
    if not file.hunks:
        return 0
    return estimate_tokens(render_file_header(file)) + sum(estimate_tokens(render_hunk(h)) for h in file.hunks)


def _groups(files: list[FileDiff], findings: list[Finding]) -> list[_Group]:
    by_key: dict[tuple[str, str], list[FileDiff]] = {}
    for file in files:
        directory = file.path.rsplit("/", 1)[0] if "/" in file.path else "."
        by_key.setdefault((directory, file.language), []).append(file)
    worst_by_path: dict[str, int] = {}
    for finding in findings:
        rank = severity_rank(finding.severity)
        worst_by_path[finding.path] = min(rank, worst_by_path.get(finding.path, rank))
    groups = []
    for key, members in by_key.items():
        worst = min((worst_by_path.get(f.path, len(SEVERITY_ORDER)) for f in members), default=len(SEVERITY_ORDER))
        kind = min(_KIND_RANK[file_kind(f.path)] for f in members)
        has_findings = 0 if worst < len(SEVERITY_ORDER) else 1
        groups.append(_Group(key, members, sum(file_cost(f) for f in members), (has_findings, worst, kind)))
    return groups


def _part(members: list[FileDiff], cost: int, files: list[FileDiff]) -> ReviewPart:
    order = {f.path: i for i, f in enumerate(files)}
    paths = sorted((f.path for f in members), key=lambda p: order[p])
    directories = list(dict.fromkeys(p.rsplit("/", 1)[0] if "/" in p else "." for p in paths))
    label = ", ".join(directories[:3]) + (f" and {len(directories) - 3} more" if len(directories) > 3 else "")
    return ReviewPart(paths=paths, label=label, tokens=cost)


def _ceiling_reason(cost: int, ceiling: int) -> str:
    return f"over the review's token ceiling (~{cost:,} tokens; ceiling ~{ceiling:,} per review)"
