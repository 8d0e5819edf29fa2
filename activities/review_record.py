"""ReviewPR's last step: the review of this head in review_history, the PR in github_activity."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import asyncpg
from temporalio import activity

from contracts.review import RecordReviewInput
from core.metrics import record_review
from db.reviews import ReviewRecord, ReviewRepository


class ReviewRecordActivities:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._reviews = ReviewRepository(pool)

    @activity.defn(name="record_review")
    async def record_review(self, request: RecordReviewInput) -> None:
        snapshot, llm, posted = request.snapshot, request.llm, request.posted
        info = activity.info()
        await self._reviews.record(
            ReviewRecord(
                repository=snapshot.pr.repository,
                pr_number=snapshot.pr.number,
                head_sha=snapshot.head_sha,
                status=request.status,
                trigger=request.trigger,
                pr_url=snapshot.url or None,
                skipped_reason=request.skipped_reason,
                workflow_id=info.workflow_id,
                run_id=info.workflow_run_id,
                summary_comment_id=posted.summary_comment_id if posted else None,
                findings=tuple(request.findings),
                inline_posted=posted.inline_posted if posted else 0,
                llm_used=bool(llm and llm.review),
                llm_skipped_reason=llm.skipped_reason if llm else None,
                model=llm.model if llm else None,
                tokens_in=llm.tokens_in if llm else 0,
                tokens_out=llm.tokens_out if llm else 0,
                cost_usd=llm.cost_usd if llm else 0.0,
                context_used=tuple(request.context_used),
                context_missing=tuple(request.context_missing),
                duration_ms=request.duration_ms,
                review_scope=snapshot.review_scope,
                reviewed_since=snapshot.since_sha,
                details=_details(request),
                risk=str(llm.review.get("risk")) if llm and llm.review and llm.review.get("risk") else None,
            )
        )
        record_review(request.status, request.findings, request.duration_ms)
        activity.logger.info(
            "review recorded: %s",
            request.status,
            extra={
                "repository": snapshot.pr.repository,
                "pr_number": snapshot.pr.number,
                "head_sha": snapshot.head_sha,
                "findings": len(request.findings),
                "skipped_reason": request.skipped_reason,
            },
        )
        if snapshot.pr.provider == "github":
            await self._reviews.record_pull_request_activity(
                snapshot.pr.repository,
                snapshot.pr.number,
                snapshot.title,
                snapshot.author,
                snapshot.url,
                snapshot.head_ref,
                snapshot.head_sha,
            )


def _details(request: RecordReviewInput) -> dict[str, Any]:
    """What did not go out as planned, kept with the run (the summary comment shows the same)."""
    posted, llm = request.posted, request.llm
    details: dict[str, Any] = {}
    if llm is not None and llm.parts > 1:
        details["llm_parts"] = llm.parts
    if request.muted:
        details["muted"] = {rule.rule_id: rule.held_back for rule in request.muted}
    if request.snapshot.scope_note:
        details["scope_note"] = request.snapshot.scope_note
    if posted is not None:
        if posted.inline_rejected:
            details["inline_rejected"] = [asdict(n) for n in posted.inline_rejected]
        if posted.suggestions_withheld:
            details["suggestions_withheld"] = [asdict(n) for n in posted.suggestions_withheld]
        if posted.head_moved_to:
            details["head_moved_to"] = posted.head_moved_to
    return details
