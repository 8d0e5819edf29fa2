"""One review from several: the parts of a large pull request, merged and de-duplicated.

Each part is reviewed by its own LLM call; the pull request still gets one summary and one set of
inline comments. The overall risk is the highest of the parts'. Two comments on the same line with
the same category, or with the same words, are one comment: the more severe is kept.
"""

from __future__ import annotations

import re

from domain.review.schema import LlmComment, LlmReview

_RISK_ORDER = ("low", "medium", "high")
_SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")


def merge_reviews(parts: list[tuple[str, LlmReview]]) -> LlmReview:
    """`parts` are (label, review) in part order; a single part comes back unchanged."""
    if len(parts) == 1:
        return parts[0][1]
    risk = max((review.risk for _, review in parts), key=_RISK_ORDER.index)
    summary = "\n".join(f"- **{label}**: {review.summary}" for label, review in parts)
    comments = dedupe_comments([c for _, review in parts for c in review.comments])
    dropped = sum(review.dropped for _, review in parts)
    return LlmReview(
        summary=f"Reviewed in {len(parts)} parts.\n{summary}",
        risk=risk,
        comments=comments,
        dropped=dropped,
    )


def dedupe_comments(comments: list[LlmComment]) -> list[LlmComment]:
    """Comments without repeats (same line and category, or same words), most severe kept, order kept."""
    kept: list[LlmComment] = []
    for comment in sorted(comments, key=lambda c: _SEVERITY_ORDER.index(c.severity)):
        if not any(_same(comment, other) for other in kept):
            kept.append(comment)
    order = {id(c): i for i, c in enumerate(comments)}
    return sorted(kept, key=lambda c: order[id(c)])


def _same(a: LlmComment, b: LlmComment) -> bool:
    if a.path != b.path or a.line != b.line:
        return False
    return a.category == b.category or _words(a.message) == _words(b.message)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))
