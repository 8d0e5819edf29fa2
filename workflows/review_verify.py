"""ReviewPR's verification step (workflow code): the merged answer checked before posting.

A failed verification never fails the review: the comments go out unverified and the coverage
section says the pass was skipped and why. A cancellation (a newer head) is not a failure: it
propagates like every other step's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError

with workflow.unsafe.imports_passed_through():
    from activities.review_verify import MAX_FINDINGS, VerifyActivities
    from contracts.review import LlmReviewInput, LlmReviewOutcome, VerifyInput
    from core.temporal.errors import LLM_REJECTED
    from core.temporal.retries import VERIFY_LLM_RETRY
    from domain.review.verify import skipped

# workflow.patched id: from here on a review's merged answer goes through the verification pass.
VERIFY_COMMENTS = "verify-comments"


async def verify_answer(request: LlmReviewInput, merged: LlmReviewOutcome, threshold: int) -> LlmReviewOutcome:
    """`merged` without the comments the verifier scored under `threshold`, with the pass's summary."""
    review = merged.review or {}
    findings = request.findings[:MAX_FINDINGS]
    paths = {c["path"] for c in review.get("comments", [])} | {f.path for f in findings}
    if not paths:
        return merged  # nothing to check
    snapshot = replace(
        request.snapshot, files=[f for f in request.snapshot.files if f.path in paths], since_files=[]
    )  # only what the comments are on: a large change's whole snapshot would not fit one message
    asked = VerifyInput(snapshot=snapshot, context=request.context, review=review, findings=findings)
    try:
        checked = await workflow.execute_activity_method(
            VerifyActivities.verify_llm_review,
            asked,
            start_to_close_timeout=timedelta(minutes=5),
            heartbeat_timeout=timedelta(seconds=30),
            retry_policy=VERIFY_LLM_RETRY,
        )
    except ActivityError as error:
        if isinstance(error.cause, CancelledError):
            raise
        return replace(merged, verification=skipped(threshold, _why(error)))
    return replace(
        merged,
        review=checked.review,
        verification=checked.verification,
        tokens_in=merged.tokens_in + checked.tokens_in,
        tokens_out=merged.tokens_out + checked.tokens_out,
        cost_usd=merged.cost_usd + checked.cost_usd,
    )


def _why(error: ActivityError) -> str:
    cause = error.cause
    if isinstance(cause, ApplicationError) and cause.type == LLM_REJECTED:
        return f"the verifying model's provider rejected the request ({cause.message})"[:300]
    attempts = VERIFY_LLM_RETRY.maximum_attempts
    return f"the verifying model failed after {attempts} attempt{'s' if attempts != 1 else ''}"
