"""ReviewPR's LLM step: plan the parts a change needs within its budgets, then for each part ask once,
validate, repair once, record usage. The parts run as parallel activities; the workflow merges them.

It never invents a review: without a key, over budget, or with nothing reviewable it returns a
plain reason the summary shows. Provider failures propagate (classified) so Temporal retries
them with backoff; the workflow turns exhaustion into an analyzers-only review that says so.
"""

from __future__ import annotations

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.review_report import pull_request_info
from activities.review_scope import prompt_scope
from clients.llm import LlmAnswer, ask
from contracts.review import LlmPart, LlmReviewInput, LlmReviewOutcome, LlmReviewPlan
from core.settings import Settings
from core.temporal.errors import LLM_OUTPUT_INVALID
from core.temporal.heartbeat import heartbeating
from db.reviews import UsageRepository
from domain.review.budget import commentable_lines, estimate_tokens, plan_coverage, render_diff_for_prompt
from domain.review.parts import plan_parts
from domain.review.prompt import build_review_messages, current_prompt_dir, prompt_version
from domain.review.report import SKIP_BUDGET_EXHAUSTED, SKIP_NO_API_KEY, SKIP_NOTHING_NEW, SKIP_NOTHING_TO_REVIEW
from domain.review.schema import LlmOutputError, LlmReview, parse_llm_review, repair_prompt


class LlmReviewActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool) -> None:
        self._settings = settings
        self._usage = UsageRepository(pool)

    @activity.defn(name="plan_llm_review")
    async def plan_llm_review(self, request: LlmReviewInput) -> LlmReviewPlan:
        """Whether the LLM part runs and in which parts: one part when the change fits one prompt."""
        reason = await self._skip_reason(request)
        if reason:
            return LlmReviewPlan(skipped_reason=reason)
        scope = prompt_scope(request.snapshot)
        if scope.empty:
            return LlmReviewPlan(skipped_reason=SKIP_NOTHING_NEW)
        budget = self._diff_budget(request, scope.text)
        plan = plan_parts(scope.files, request.findings, budget, self._settings.llm.max_review_tokens)
        count = len(plan.parts)
        parts = [LlmPart(index=i, count=count, paths=p.paths, label=p.label) for i, p in enumerate(plan.parts)]
        if not parts:
            return LlmReviewPlan(skipped_reason=SKIP_NOTHING_TO_REVIEW, over_ceiling=plan.over_ceiling)
        verify = self._settings.llm.verify_threshold if self._settings.llm.verify else None
        return LlmReviewPlan(parts=parts, over_ceiling=plan.over_ceiling, verify_threshold=verify)

    @activity.defn(name="generate_llm_review")
    async def generate_llm_review(self, request: LlmReviewInput) -> LlmReviewOutcome:
        """One LLM call over the request's part (or the whole change), validated, repaired once."""
        reason = await self._skip_reason(request)
        if reason:
            return LlmReviewOutcome(skipped_reason=reason)
        scope = prompt_scope(request.snapshot).only(request.part)
        files = scope.files
        plan = plan_coverage(files, request.findings, max(self._diff_budget(request, scope.text), 500))
        pr = pull_request_info(request.snapshot)
        prompt_dir = current_prompt_dir()
        diff = render_diff_for_prompt(files, plan)
        messages = build_review_messages(pr, request.context.bundle, diff, request.findings, prompt_dir, scope.text)
        valid_lines = scope.commentable(commentable_lines(files, plan))
        async with heartbeating({"step": "llm"}, every=5.0):
            first = await ask(messages, self._settings.llm, json_mode=True)
            calls = [first]
            try:
                review = parse_llm_review(first.text, valid_lines=valid_lines)
            except LlmOutputError as error:
                calls.append(await ask(repair_prompt(first.text, str(error)), self._settings.llm, json_mode=True))
                review = self._parse_repaired(calls[-1], valid_lines)
            finally:
                await self._record_usage(request, calls)
        return LlmReviewOutcome(
            review=review.model_dump(),
            plan=plan,
            model=calls[-1].model,
            prompt_version=prompt_version(prompt_dir),
            tokens_in=sum(c.tokens_in for c in calls),
            tokens_out=sum(c.tokens_out for c in calls),
            cost_usd=sum(c.cost_usd for c in calls),
        )

    def _diff_budget(self, request: LlmReviewInput, scope_text: str) -> int:
        """Prompt tokens left for the diff once the frame (context, findings, schema) is in."""
        pr = pull_request_info(request.snapshot)
        frame = build_review_messages(
            pr, request.context.bundle, "", request.findings, current_prompt_dir(), scope_text
        )
        return self._settings.llm.max_prompt_tokens - sum(estimate_tokens(m["content"]) for m in frame)

    async def _skip_reason(self, request: LlmReviewInput) -> str | None:
        if not self._settings.llm.configured:
            return SKIP_NO_API_KEY
        if not any(f.patch for f in request.snapshot.files):
            return SKIP_NOTHING_TO_REVIEW
        spent, limit = await self._usage.month_spend_and_limit()
        if limit is not None and spent >= limit:
            return f"{SKIP_BUDGET_EXHAUSTED} (${spent:.2f} of ${limit:.2f} this month)"
        return None

    @staticmethod
    def _parse_repaired(completion: LlmAnswer, valid_lines: dict[str, set[int]]) -> LlmReview:
        try:
            return parse_llm_review(completion.text, valid_lines=valid_lines)
        except LlmOutputError as error:
            raise ApplicationError(
                f"model output invalid after one repair: {error}", type=LLM_OUTPUT_INVALID, non_retryable=True
            ) from error

    async def _record_usage(self, request: LlmReviewInput, calls: list[LlmAnswer]) -> None:
        info = activity.info()
        for index, call in enumerate(calls):
            await self._usage.record(
                f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}/{info.attempt}/{index}",
                call.model,
                "review",
                call.tokens_in,
                call.tokens_out,
                call.cost_usd,
                request.snapshot.pr.repository,
                request.snapshot.url or None,
                info.workflow_id,
            )
