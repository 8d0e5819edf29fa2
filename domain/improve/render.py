"""Rendering /improve: one inline comment per suggestion (a committable block) and a ranked summary."""

from __future__ import annotations

import re

from domain.improve.suggestions import IMPORTANCE_ORDER, ImproveSuggestion, SelfCheckScore

IMPROVE_MARKER = "<!-- pr-agent:improve -->"
_KEY = re.compile(r"<!--\s*pr-agent:improve=([0-9a-f]{16})\s*-->")


def improve_key_marker(key: str) -> str:
    return f"<!-- pr-agent:improve={key} -->"


def extract_improve_keys(body: str) -> set[str]:
    """The suggestion keys marked in a posted comment body."""
    return set(_KEY.findall(body or ""))


def render_suggestion_comment(suggestion: ImproveSuggestion, score: SelfCheckScore, key: str) -> str:
    """The inline comment: what and why, the block GitHub lets the author commit, the self-check."""
    code = suggestion.improved_code
    fence = "````" if "```" in code else "```"
    return (
        f"**[{suggestion.importance}] {suggestion.category}** · /improve\n\n{suggestion.summary}\n\n"
        f"{fence}suggestion\n{code}\n{fence}\n\n"
        f"<sub>Self-check {score.score}/10: {score.reason or 'no reason given'}</sub>\n{improve_key_marker(key)}"
    )


def render_improve_summary(
    posted: list[tuple[ImproveSuggestion, SelfCheckScore]],
    *,
    head_sha: str,
    already_posted: int,
    moot: int,
    dropped: int,
    held_back: int = 0,
    skipped_reason: str | None = None,
) -> str:
    """The summary comment: suggestions by importance, and what was not posted and why."""
    lines = [IMPROVE_MARKER, f"## PR Agent · /improve · head `{head_sha[:7]}`", ""]
    if skipped_reason:
        lines.append(f"No suggestions: {skipped_reason}.")
    elif not posted:
        lines.append("No new suggestions for this head.")
    for importance in IMPORTANCE_ORDER:
        group = [(s, sc) for s, sc in posted if s.importance == importance]
        if group:
            lines += [f"**{importance.capitalize()} ({len(group)})**", ""]
            lines += [f"- `{s.path}:{s.line}` {s.summary} (self-check {sc.score}/10)" for s, sc in group]
            lines.append("")
    notes = [
        (already_posted, "already posted on an earlier head"),
        (moot, "not repeated: this head no longer has the code to change"),
        (dropped, "dropped by the self-check, the limit, or for pointing outside the change"),
        (held_back, "held back: refused by GitHub, or not applying cleanly to this head"),
    ]
    lines += [f"{count} suggestion{'s' if count != 1 else ''} {why}." for count, why in notes if count]
    return "\n".join(lines).rstrip() + "\n"
