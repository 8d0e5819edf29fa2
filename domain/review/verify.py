"""The verification pass: each model comment (and analyzer finding) scored 0-10 against the code,
comments under the threshold dropped before anything is posted.

A model writes plausible comments about code it misread; a second look at the very lines, with the
file around them and the definitions the comment names, catches many of them. Only the model's
comments are ever dropped: an analyzer's finding is deterministic and explainable, so the pass can
only confirm it (the inline comment then says so). What was dropped, and why, is counted in the
review's coverage section; a comment the verifier gave no score stays, unverified.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from domain.findings import Finding
from domain.review.schema import LlmReview

SCORE_MAX = 10


@dataclass(frozen=True)
class Verdict:
    """The verifier's answer on one item ("c3": the model's comment 3, "a1": analyzer finding 1)."""

    key: str
    score: int
    reason: str


@dataclass
class DroppedComment:
    path: str
    line: int
    score: int
    reason: str
    message: str


@dataclass
class VerificationSummary:
    """What the pass did to one review (travels in workflow histories: fields only ever added)."""

    threshold: int
    checked: int = 0  # model comments that got a score
    unscored: int = 0  # model comments the verifier did not score (kept, unverified)
    dropped: list[DroppedComment] = field(default_factory=list)
    confirmed: dict[str, int] = field(default_factory=dict)  # analyzer finding fingerprint -> score
    doubted: int = 0  # analyzer findings scored under the threshold (kept: analyzers are deterministic)
    skipped_reason: str | None = None  # the pass did not run or failed: every comment kept unverified


def comment_key(index: int) -> str:
    return f"c{index + 1}"


def finding_key(index: int) -> str:
    return f"a{index + 1}"


def apply_verdicts(
    review: LlmReview, findings: list[Finding], verdicts: dict[str, Verdict], threshold: int
) -> tuple[LlmReview, VerificationSummary]:
    """The review without the comments scored under `threshold` (kept ones carry their score), and the summary.

    `findings` are the analyzer and rule findings in the order their keys were given (a1, a2, ...).
    """
    summary = VerificationSummary(threshold=threshold)
    kept = []
    for index, comment in enumerate(review.comments):
        verdict = verdicts.get(comment_key(index))
        if verdict is None:
            summary.unscored += 1
            kept.append(comment)
            continue
        summary.checked += 1
        if verdict.score >= threshold:
            kept.append(comment.model_copy(update={"verified_score": verdict.score}))
        else:
            summary.dropped.append(
                DroppedComment(comment.path, comment.line, verdict.score, verdict.reason, comment.message)
            )
    for index, finding in enumerate(findings):
        verdict = verdicts.get(finding_key(index))
        if verdict is not None and verdict.score >= threshold:
            summary.confirmed[finding.fingerprint] = verdict.score
        elif verdict is not None:
            summary.doubted += 1
    return review.model_copy(update={"comments": kept}), summary


def mark_confirmed(findings: list[Finding], summary: VerificationSummary | None) -> list[Finding]:
    """Analyzer findings the model confirmed carry its score (`verified_score`); the others are unchanged."""
    if summary is None or not summary.confirmed:
        return list(findings)
    return [
        replace(f, verified_score=summary.confirmed[f.fingerprint]) if f.fingerprint in summary.confirmed else f
        for f in findings
    ]


def skipped(threshold: int, reason: str) -> VerificationSummary:
    """The summary of a pass that did not happen; the comments go out unverified and the review says why."""
    return VerificationSummary(threshold=threshold, skipped_reason=reason)


def verification_lines(summary: VerificationSummary | None) -> list[str]:
    """Plain sentences for the coverage section."""
    if summary is None:
        return []
    if summary.skipped_reason:
        return [f"Verification skipped: {summary.skipped_reason}; the model's comments are posted unverified."]
    dropped = len(summary.dropped)
    kept = summary.checked - dropped
    lines = [
        f"Verification: {summary.checked} model comment{'s' if summary.checked != 1 else ''} checked against the "
        f"code; {dropped} scored under {summary.threshold}/{SCORE_MAX} and {'were' if dropped != 1 else 'was'} "
        f"dropped, {kept} passed."
    ]
    lines += [f"- dropped `{d.path}:{d.line}` ({d.score}/{SCORE_MAX}): {d.reason}" for d in summary.dropped[:10]]
    if summary.unscored:
        lines.append(f"{summary.unscored} model comment(s) got no score and are posted unverified.")
    if summary.confirmed:
        lines.append(f"{len(summary.confirmed)} analyzer finding(s) confirmed by the model.")
    return lines
