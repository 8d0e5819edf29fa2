"""Which findings of a review one request fixes: the ids it names, else the finding its link or
inline thread is about (by marker), else all of them; never more than the request limit."""

from __future__ import annotations

from domain.autofix.report import SkippedFinding
from domain.review.finding_ids import NumberedFinding


def select_findings(
    findings: list[NumberedFinding],
    *,
    ids: list[str],
    marker: str | None,
    unknown_words: list[str],
    limit: int,
    review_head: str,
) -> tuple[list[NumberedFinding], list[SkippedFinding]]:
    """The findings to fix, and those asked for but not taken (with why)."""
    skipped = [
        SkippedFinding(id=word, reason=f"`{word}` names no finding (ids look like F3)") for word in unknown_words
    ]
    if ids:
        by_id = {n.id: n for n in findings}
        chosen = [by_id[i] for i in ids if i in by_id]
        skipped += [
            SkippedFinding(id=i, reason=f"the latest review (of `{review_head[:7]}`) has no finding {i}")
            for i in ids
            if i not in by_id
        ]
    elif marker is not None:
        chosen = [n for n in findings if n.marker == marker]
    else:
        chosen = list(findings)
    for extra in chosen[limit:]:
        reason = f"over the limit of {limit} findings per request (AUTOFIX_MAX_FINDINGS): ask for it on its own"
        skipped.append(SkippedFinding(id=extra.id, reason=reason, path=extra.finding.path, line=extra.finding.line))
    return chosen[:limit], skipped
