"""ReviewPR: one workflow per pull request (`review:{owner}/{repo}#{n}`), reviewing its newest head.

Webhooks signal-with-start `new_head`. While a head is being prepared (context, analyzers, LLM),
a newer head cancels that work before anything is posted, and the newest head is reviewed next.
Posting is never cancelled half-way; it is idempotent, so a retry or replay posts nothing twice.
The same head again is a no-op unless forced (a `/review` comment forces).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError

with workflow.unsafe.imports_passed_through():
    from activities.review_analysis import AnalysisActivities
    from activities.review_context import ReviewContextActivities
    from activities.review_github import PullRequestActivities
    from activities.review_llm import LlmReviewActivities
    from activities.review_record import ReviewRecordActivities
    from contracts.common import REVIEW_PR
    from contracts.review import (
        AnalyzeInput,
        FetchPullRequestInput,
        LlmPart,
        LlmReviewInput,
        LlmReviewOutcome,
        NewHead,
        PostReviewInput,
        PullRequestSnapshot,
        RecordReviewInput,
        ReviewContextInput,
        ReviewContextResult,
        ReviewPullRequestInput,
        ReviewResult,
    )
    from core.temporal.errors import LLM_OUTPUT_INVALID, LLM_REJECTED
    from core.temporal.retries import GITHUB_RETRY, LOCAL_RETRY, REVIEW_LLM_RETRY
    from domain.feedback.mutes import MutedRule, hold_back_muted
    from domain.findings import Finding
    from domain.review.report import skip_invalid_output, skip_provider_failed
    from domain.review.schema import LlmReview, to_findings
    from domain.review.verify import mark_confirmed
    from workflows.review_feedback import muted_rules
    from workflows.review_parts import merge_part_outcomes
    from workflows.review_verify import VERIFY_COMMENTS, verify_answer

# workflow.patched id: from here on the LLM part is planned, then asked in parts (see _ask_llm_in_parts).
REVIEW_IN_PARTS = "review-in-parts"
STEPS = ("settle", "fetch", "context", "analyze", "llm", "post", "record")
# Pushes come in bursts (a rebase, a force-push series): wait until heads stop arriving for QUIET
# before fetching, so a burst costs one review of its last head. Bounded, so a steady stream of
# pushes still gets reviewed.
QUIET = timedelta(seconds=2)
MAX_SETTLE = timedelta(seconds=30)
IMMEDIATE_TRIGGERS = frozenset({"cli", "demo", "admin"})


@workflow.defn(name=REVIEW_PR)
class ReviewPullRequestWorkflow:
    def __init__(self) -> None:
        self._pending: NewHead | None = None
        self._step = "waiting"
        self._head: str | None = None
        self._result: ReviewResult | None = None
        self._signals = 0

    @workflow.signal(name="new_head")
    def new_head(self, head: NewHead) -> None:
        """The newest head wins; a forced request for a head survives an unforced repeat of it."""
        if self._pending and self._pending.head_sha == head.head_sha:
            head = replace(head, force=head.force or self._pending.force, full=head.full or self._pending.full)
        self._pending = head
        self._signals += 1

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        done = STEPS.index(self._step) if self._step in STEPS else 0
        result = self._result
        return {
            "step": self._step,
            "done": done,
            "total": len(STEPS),
            "head_sha": self._head,
            "heads_reviewed": result.heads_reviewed if result else [],
            "heads_superseded": result.heads_superseded if result else [],
        }

    @workflow.run
    async def run(self, request: ReviewPullRequestInput) -> ReviewResult:
        self._result = result = ReviewResult(repository=request.pr.repository, number=request.pr.number)
        if self._pending is None:
            self._pending = NewHead(
                head_sha=request.head_sha or "",
                trigger=request.trigger,
                force=request.force,
                delivery_id=request.delivery_id,
                full=request.full,
            )
        while self._pending is not None:
            if self._pending.trigger not in IMMEDIATE_TRIGGERS:
                await self._settle()
            head, self._pending = self._pending, None
            if head.head_sha and head.head_sha in result.heads_reviewed and not head.force:
                continue
            await self._review(request, head, result)
            if self._pending is not None and workflow.info().is_continue_as_new_suggested():
                nxt = self._pending
                workflow.continue_as_new(
                    replace(request, head_sha=nxt.head_sha, force=nxt.force, trigger=nxt.trigger, full=nxt.full)
                )
        self._step = "done"
        return result

    async def _settle(self) -> None:
        """Return once no new head arrived for QUIET (or MAX_SETTLE passed)."""
        self._step = "settle"
        deadline = workflow.now() + MAX_SETTLE
        while workflow.now() < deadline:
            seen = self._signals
            try:
                await workflow.wait_condition(lambda seen=seen: self._signals != seen, timeout=QUIET)  # type: ignore[misc]
            except TimeoutError:
                return

    async def _review(self, request: ReviewPullRequestInput, head: NewHead, result: ReviewResult) -> None:
        started = workflow.now()
        self._step, self._head = "fetch", head.head_sha or None
        snapshot = await workflow.execute_activity_method(
            PullRequestActivities.fetch_pull_request,
            FetchPullRequestInput(pr=request.pr, head_sha=head.head_sha or None, full=head.full),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=self._retry(request),
        )
        self._head = result.head_sha = snapshot.head_sha
        skipped = _skip_reason(snapshot, head.force)
        if skipped:
            result.status, result.skipped_reason = "skipped", skipped
            if not snapshot.already_reviewed and not request.dry_run:
                await self._record(
                    request,
                    RecordReviewInput(
                        snapshot=snapshot, status="skipped", trigger=head.trigger, skipped_reason=skipped
                    ),
                )
            return
        prepared = await self._until_superseded(self._prepare(request, snapshot), snapshot.head_sha)
        if prepared is None or self._newer_than(snapshot.head_sha):
            result.status = "superseded"
            result.heads_superseded.append(snapshot.head_sha)
            return
        context, findings, llm, muted = prepared
        self._step = "post"
        posted = await workflow.execute_activity_method(
            PullRequestActivities.post_review,
            PostReviewInput(
                snapshot=snapshot, context=context, findings=findings, llm=llm, muted=muted, dry_run=request.dry_run
            ),
            start_to_close_timeout=timedelta(minutes=3),
            retry_policy=self._retry(request),
        )
        duration = int((workflow.now() - started).total_seconds() * 1000)
        record = RecordReviewInput(
            snapshot=snapshot,
            status="posted",
            trigger=head.trigger,
            findings=findings,
            llm=llm,
            posted=posted,
            context_used=context.bundle.used(),
            context_missing=context.bundle.missing,
            skipped_reason=None,
            duration_ms=duration,
            muted=muted,
        )
        if not request.dry_run:  # a dry run posted nothing: recording it would hide the head from a real review
            await self._record(request, record)
        result.status, result.findings, result.llm_used = "posted", len(findings), llm.review is not None
        result.llm_skipped_reason, result.summary_comment_id = llm.skipped_reason, posted.summary_comment_id
        result.inline_posted, result.rendered_text = posted.inline_posted, posted.rendered_text
        result.posted_findings = list(findings)
        result.heads_reviewed.append(snapshot.head_sha)

    async def _prepare(
        self, request: ReviewPullRequestInput, snapshot: PullRequestSnapshot
    ) -> tuple[ReviewContextResult, list[Finding], LlmReviewOutcome, list[MutedRule]]:
        self._step = "context"
        context = await workflow.execute_activity_method(
            ReviewContextActivities.load_review_context,
            ReviewContextInput(snapshot=snapshot),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=self._retry(request),
        )
        self._step = "analyze"
        analysis = await workflow.execute_activity_method(
            AnalysisActivities.analyze_changes,
            AnalyzeInput(snapshot=snapshot, context=context),
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=LOCAL_RETRY,
        )
        self._step = "llm"
        asked = LlmReviewInput(snapshot=snapshot, context=context, findings=analysis.findings)
        if workflow.patched(REVIEW_IN_PARTS):
            llm = await self._ask_llm_in_parts(asked)
        else:  # runs recorded before reviews came in parts asked once for the whole change
            llm = await self._ask_llm(asked)
        findings = mark_confirmed(analysis.findings, llm.verification)
        if llm.review is not None:
            findings += to_findings(LlmReview.model_validate(llm.review))
        findings, muted = hold_back_muted(findings, await muted_rules(snapshot))
        return context, findings, llm, muted

    async def _ask_llm_in_parts(self, request: LlmReviewInput) -> LlmReviewOutcome:
        """Plan the parts (one for most changes), ask for them in parallel, merge the answers, verify them."""
        plan = await workflow.execute_activity_method(
            LlmReviewActivities.plan_llm_review,
            request,
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=LOCAL_RETRY,
        )
        if plan.skipped_reason:
            return LlmReviewOutcome(skipped_reason=plan.skipped_reason)
        outcomes = await asyncio.gather(*(self._ask_llm(_for_part(request, part)) for part in plan.parts))
        merged = merge_part_outcomes(plan, list(outcomes))
        threshold = plan.verify_threshold
        if threshold is not None and merged.review is not None and workflow.patched(VERIFY_COMMENTS):
            return await verify_answer(request, merged, threshold)
        return merged

    async def _ask_llm(self, request: LlmReviewInput) -> LlmReviewOutcome:
        """The LLM's review, or a plain reason it is missing: an LLM failure never fails the review."""
        try:
            return await workflow.execute_activity_method(
                LlmReviewActivities.generate_llm_review,
                request,
                start_to_close_timeout=timedelta(minutes=6),
                heartbeat_timeout=timedelta(seconds=30),
                retry_policy=REVIEW_LLM_RETRY,
            )
        except ActivityError as error:
            if _is_cancellation(error):
                raise  # a newer head cancelled this work: not an LLM failure
            cause = error.cause
            if isinstance(cause, ApplicationError) and cause.type == LLM_OUTPUT_INVALID:
                return LlmReviewOutcome(skipped_reason=skip_invalid_output(cause.message))
            if isinstance(cause, ApplicationError) and cause.type == LLM_REJECTED:
                return LlmReviewOutcome(skipped_reason=f"LLM provider rejected the request ({cause.message})"[:300])
            return LlmReviewOutcome(skipped_reason=skip_provider_failed(REVIEW_LLM_RETRY.maximum_attempts))

    async def _until_superseded(self, work: Any, head_sha: str) -> Any:
        """Run `work`; if a newer head arrives first, cancel it (and its activities) and return None."""
        task = asyncio.ensure_future(work)
        await workflow.wait_condition(lambda: task.done() or self._newer_than(head_sha))
        if task.done():
            return task.result()
        task.cancel()
        try:
            await task
        except (asyncio.CancelledError, ActivityError) as error:
            if not _is_cancellation(error):
                raise
        return None

    def _newer_than(self, head_sha: str) -> bool:
        pending = self._pending
        return pending is not None and bool(pending.head_sha) and pending.head_sha != head_sha

    async def _record(self, request: ReviewPullRequestInput, record: RecordReviewInput) -> None:
        self._step = "record"
        await workflow.execute_activity_method(
            ReviewRecordActivities.record_review,
            record,
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=LOCAL_RETRY,
        )

    @staticmethod
    def _retry(request: ReviewPullRequestInput) -> RetryPolicy:
        return LOCAL_RETRY if request.pr.provider == "local" else GITHUB_RETRY


def _for_part(request: LlmReviewInput, part: LlmPart) -> LlmReviewInput:
    """The request cut to one part's files: every part's input is scheduled in one workflow task,
    and whole snapshots of a large change each time would exceed Temporal's message size."""
    if part.count == 1:
        return replace(request, part=part)
    wanted = set(part.paths)
    snapshot = replace(
        request.snapshot,
        files=[f for f in request.snapshot.files if f.path in wanted],
        since_files=[f for f in request.snapshot.since_files if f.path in wanted],
    )
    findings = [f for f in request.findings if f.path in wanted]
    return replace(request, snapshot=snapshot, findings=findings, part=part)


def _is_cancellation(error: BaseException) -> bool:
    """The cancel of an activity arrives as CancelledError, or as an ActivityError caused by one."""
    return isinstance(error, asyncio.CancelledError) or (
        isinstance(error, ActivityError) and isinstance(error.cause, CancelledError)
    )


def _skip_reason(snapshot: PullRequestSnapshot, force: bool) -> str | None:
    if snapshot.state != "open":
        return f"pull request is {snapshot.state}"
    if snapshot.draft and not force:
        return "pull request is a draft"
    if snapshot.author_is_bot and not force:
        return f"author {snapshot.author} is a bot"
    if snapshot.already_reviewed and not force:
        return f"head {snapshot.head_sha[:12]} was already reviewed"
    if not snapshot.files:
        return "no reviewable files (all ignored or none changed)"
    return None
