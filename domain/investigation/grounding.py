"""Which files one prompt step reads, and (through briefing) the messages sent to the model.

Selection is deterministic (same inputs, same files, same order) so that a re-run of a step after
a crash asks the model exactly the same question. A step reads the files its topic points at:
its `file_hints`, the files its detected facts name, entry points when it `uses` them, and files
whose text matches its `line_hints`; a code-index ranking is only a fallback when none of these
finds anything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from domain.investigation.briefing import SYSTEM_PROMPT, brief_step, budget_tokens_left, fixed_chars
from domain.investigation.excerpts import hint_pattern
from domain.investigation.findings import fact_files
from domain.investigation.paths import depth_key, glob_match, guess_entry_points, is_noise, is_test_path
from domain.investigation.stepgraph import StepSpec
from domain.investigation.tree import render_tree
from domain.secrets import secret_file_reason

if TYPE_CHECKING:
    from domain.investigation.deterministic import RepoFacts

__all__ = [
    "SYSTEM_PROMPT",
    "build_step_messages",
    "estimate_file_tokens",
    "file_budget",
    "missing_sections",
    "render_tree",
    "select_files",
]

MAX_ENTRY_POINTS = 8
MAX_FALLBACK_FILES = 3  # code-index hits read when nothing topical was found
MAX_CONTENT_MATCHES = 4
MIN_CONTENT_HINTS = 2
# Files are trimmed before they are shown, so a step reads more than its budget would hold
# whole; briefing then fits the excerpts.
READ_FACTOR = 3
MAX_FILE_SHARE = 0.5
MAX_FILES = 16
MAX_FILE_BYTES = 200_000  # generated or data files this large say nothing a step can use
_TEST_HINT = re.compile(r"test|spec", re.IGNORECASE)


def estimate_file_tokens(size_bytes: int) -> int:
    """Rough token cost of a file shown whole with line numbers (about 4 bytes a token, plus gutters)."""
    return math.ceil(size_bytes / 4 * 1.15) + 16


def file_budget(
    step: StepSpec,
    structure: str,
    manifests: Mapping[str, str],
    earlier: Mapping[str, str | None],
) -> int:
    """Tokens left of the step's budget for files once the fixed parts of the prompt are counted
    (the tree and manifests only when the step uses them; earlier answers as their summaries)."""
    return budget_tokens_left(step, fixed_chars(step, structure, manifests, earlier))


def select_files(
    step: StepSpec,
    paths: list[str],
    sizes: dict[str, int],
    budget_tokens: int,
    extra_ranked: Sequence[str] = (),
    entry_points: Sequence[str] | None = None,
    facts: RepoFacts | None = None,
    texts: Mapping[str, str] | None = None,
) -> list[str]:
    """The files a step reads (at most MAX_FILES), most relevant first, within READ_FACTOR × `budget_tokens`.

    Priority: files matching the step's `file_hints` (hint order, shallow first; tests only for
    hints that name tests), then files the step's `uses` facts point at (`facts`), then entry
    points (`entry_points`, or conventional names when None) if the step uses them. Only when
    all of that finds nothing: files of `texts` (path → text already read) whose lines match the
    step's `line_hints`, most matches first, and failing those `extra_ranked` (e.g. code-index
    hits).
    Noise, credential files, empty files, files without a known size and files over MAX_FILE_BYTES are never
    chosen; a file that does not fit is skipped and smaller ones may still fit.
    """
    known = sorted(
        {p for p in paths if sizes.get(p, 0) > 0 and not is_noise(p) and secret_file_reason(p) is None}, key=depth_key
    )
    topical = [
        *_hinted(step.file_hints, known),
        *(sorted(fact_files(step.uses, facts), key=depth_key) if facts is not None else ()),
        *(_entry_points(known, entry_points) if "entry-points" in step.uses else ()),
    ]
    fallback = _by_content(step.line_hints, texts or {}) or list(extra_ranked)[:MAX_FALLBACK_FILES]
    ranked = _unique(topical) or fallback
    return _fit(ranked, set(known), sizes, budget_tokens * READ_FACTOR)


def _fit(ranked: Iterable[str], allowed: set[str], sizes: Mapping[str, int], budget: int) -> list[str]:
    """Files in rank order while the budget lasts. A large file is charged only what its excerpt
    may take (MAX_FILE_SHARE), so it is trimmed, not skipped; huge files are never read."""
    per_file_cap = max(1, int(budget * MAX_FILE_SHARE))
    chosen: list[str] = []
    used = 0
    for path in ranked:
        size = sizes.get(path, 0)
        cost = min(estimate_file_tokens(size), per_file_cap)
        if path in allowed and path not in chosen and size <= MAX_FILE_BYTES and used + cost <= budget:
            chosen.append(path)
            used += cost
        if len(chosen) >= MAX_FILES:
            break
    return chosen


def _hinted(hints: Iterable[str], known: list[str]) -> list[str]:
    return [
        path
        for hint in hints
        for path in known
        if glob_match(path, hint) and (not is_test_path(path) or _TEST_HINT.search(hint))
    ]


def _entry_points(known: list[str], declared: Sequence[str] | None) -> list[str]:
    return (guess_entry_points(known) if declared is None else list(declared))[:MAX_ENTRY_POINTS]


def _by_content(line_hints: Sequence[str], texts: Mapping[str, str]) -> list[str]:
    """Files naming at least two different line hints (one common word alone, such as `consumer`
    for messaging, says little), most hinted lines first."""
    pattern = hint_pattern(line_hints)
    if pattern is None:
        return []
    scores: dict[str, int] = {}
    for path, text in texts.items():
        found = [m.group(0).lower() for m in pattern.finditer(text)]
        if not is_test_path(path) and len(set(found)) >= MIN_CONTENT_HINTS:
            scores[path] = len(found)
    return sorted(scores, key=lambda p: (-scores[p], depth_key(p)))[:MAX_CONTENT_MATCHES]


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def build_step_messages(
    step: StepSpec,
    repo_name: str,
    commit: str,
    structure: str,
    manifests: Mapping[str, str],
    file_contents: Mapping[str, str],
    earlier: Mapping[str, str | None],
    facts: RepoFacts | None = None,
) -> list[dict[str, str]]:
    """The chat messages (system, user) for one step, in litellm/OpenAI message form.

    Earlier answers of the steps it `needs` arrive as summaries of their cited claims; files are
    trimmed excerpts with the file's own line numbers so the model can cite `path:line`; files
    that do not fit the step's budget are named, not shown. See briefing.brief_step.
    """
    return brief_step(step, repo_name, commit, structure, manifests, file_contents, earlier, facts).messages


def missing_sections(step: StepSpec, answer: str) -> list[str]:
    """Required section headings the answer lacks (any heading level, case and spacing ignored)."""
    found = {_heading_key(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", answer, re.MULTILINE)}
    return [name for name in step.sections if _heading_key(name) not in found]


def _heading_key(text: str) -> str:
    return " ".join(text.replace("*", "").replace("`", "").lower().split()).rstrip(":")
