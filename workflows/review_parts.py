"""Merging the parts of a large review into one outcome (pure and deterministic: runs in ReviewPR).

Parts that produced a review are merged (domain.review.merge); a part whose LLM call failed
leaves its files listed as not seen by the LLM, with the reason, instead of failing the review.
"""

from __future__ import annotations

from contracts.review import LlmPart, LlmReviewOutcome, LlmReviewPlan
from domain.review.budget import CoveragePlan, SkippedItem
from domain.review.merge import merge_reviews
from domain.review.schema import LlmReview


def merge_part_outcomes(plan: LlmReviewPlan, outcomes: list[LlmReviewOutcome]) -> LlmReviewOutcome:
    """One outcome for the review: merged comments, summed usage, one coverage plan over all parts."""
    answered = [(part, o) for part, o in zip(plan.parts, outcomes, strict=True) if o.review is not None]
    if not answered:
        reason = next((o.skipped_reason for o in outcomes if o.skipped_reason), None)
        return LlmReviewOutcome(skipped_reason=reason or "no part of the change was reviewed")
    reviews = [(part.label, LlmReview.model_validate(o.review)) for part, o in answered]
    coverage = _coverage(plan, outcomes)
    first = answered[0][1]
    return LlmReviewOutcome(
        review=merge_reviews(reviews).model_dump(),
        plan=coverage,
        model=first.model,
        prompt_version=first.prompt_version,
        tokens_in=sum(o.tokens_in for o in outcomes),
        tokens_out=sum(o.tokens_out for o in outcomes),
        cost_usd=sum(o.cost_usd for o in outcomes),
        parts=len(plan.parts),
    )


def _coverage(plan: LlmReviewPlan, outcomes: list[LlmReviewOutcome]) -> CoveragePlan:
    merged = CoveragePlan()
    for part, outcome in zip(plan.parts, outcomes, strict=True):
        if outcome.plan is not None and outcome.review is not None:
            merged.included += outcome.plan.included
            merged.skipped += outcome.plan.skipped
            merged.budget_tokens += outcome.plan.budget_tokens
            merged.used_tokens += outcome.plan.used_tokens
        else:
            merged.skipped += _unreviewed(part, outcome.skipped_reason)
    merged.skipped += plan.over_ceiling
    return merged


def _unreviewed(part: LlmPart, reason: str | None) -> list[SkippedItem]:
    why = f"its part of the review got no LLM answer ({reason or 'no reason recorded'})"
    return [SkippedItem(path, why) for path in part.paths]
