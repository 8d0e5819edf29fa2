"""ReviewPR's verification pass: one LLM call that scores the merged answer's comments (and the
analyzer findings) against the code, before anything is posted.

Provider failures propagate (classified) so Temporal retries them within VERIFY_LLM_RETRY; the
workflow turns exhaustion into "verification skipped" and posts the comments unverified. An answer
without usable scores is no reason to retry (the same prompt would likely fail the same way): it is
reported as skipped, with its tokens counted.
"""

from __future__ import annotations

import asyncio

import asyncpg
from temporalio import activity

from activities.review_github import ProviderFactory
from clients.llm import LlmAnswer, ask
from clients.pull_requests import provider_for
from contracts.review import VerifyInput, VerifyOutcome
from core.settings import LlmSettings, Settings
from core.temporal.heartbeat import heartbeating
from db.reviews import UsageRepository
from domain.findings import Finding
from domain.review.schema import LlmReview
from domain.review.verify import VerificationSummary, apply_verdicts, comment_key, finding_key, skipped
from domain.review.verify_prompt import (
    VerifyItem,
    VerifyOutputError,
    build_verify_messages,
    hunk_for_line,
    named_definitions,
    parse_verdicts,
    window,
)

MAX_COMMENTS = 30  # checked per review; more are posted unverified (and counted so)
MAX_FINDINGS = 10
ANSWER_TOKENS = 2_000


class VerifyActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, providers: ProviderFactory | None = None) -> None:
        self._settings = settings
        self._usage = UsageRepository(pool)
        self._providers = providers or (lambda pr: provider_for(settings.github, pr))

    @activity.defn(name="verify_llm_review")
    async def verify_llm_review(self, request: VerifyInput) -> VerifyOutcome:
        """Score each comment and finding 0-10; drop the comments under LLM_VERIFY_THRESHOLD."""
        threshold = self._settings.llm.verify_threshold
        review = LlmReview.model_validate(request.review)
        findings = request.findings[:MAX_FINDINGS]
        items = await self._items(request, review, findings)
        if not items:
            return VerifyOutcome(review=request.review, verification=VerificationSummary(threshold=threshold))
        async with heartbeating({"step": "verify"}, every=5.0):
            answer = await ask(
                build_verify_messages(items, threshold), self._verifier(), json_mode=True, max_tokens=ANSWER_TOKENS
            )
        await self._record_usage(request, answer)
        try:
            verdicts = parse_verdicts(answer.text, {item.key for item in items})
        except VerifyOutputError as error:
            summary = skipped(threshold, f"the verifier's answer was unusable ({error})")
            return _outcome(request.review, summary, answer)
        kept, summary = apply_verdicts(review, findings, verdicts, threshold)
        return _outcome(kept.model_dump(), summary, answer)

    def _verifier(self) -> LlmSettings:
        llm = self._settings.llm
        return llm.model_copy(update={"model": llm.verify_model, "fallback_models": ()}) if llm.verify_model else llm

    async def _items(self, request: VerifyInput, review: LlmReview, findings: list[Finding]) -> list[VerifyItem]:
        """The comments (c1, c2, ...) then the findings (a1, ...), each with the code it is about."""
        snapshot = request.snapshot
        patches = {f.path: f.patch for f in snapshot.files}
        heads: dict[str, str | None] = {}
        provider = self._providers(snapshot.pr)
        snippets = request.context.bundle.related_code
        items = []
        where = [(comment_key(i), c.path, c.line, c.severity, f"model comment, category {c.category}", c.message)
                 for i, c in enumerate(review.comments[:MAX_COMMENTS])]  # fmt: skip
        where += [(finding_key(i), f.path, f.line, f.severity, f"analyzer finding {f.rule_id}", f.message)
                  for i, f in enumerate(findings)]  # fmt: skip
        for key, path, line, severity, label, message in where:
            if path not in heads:
                heads[path] = await asyncio.to_thread(provider.read_file, path, snapshot.head_sha)
            items.append(
                VerifyItem(
                    key=key, path=path, line=line, severity=severity, label=label, message=message,
                    hunk=hunk_for_line(patches.get(path), path, line), around=window(heads[path], line),
                    definitions=named_definitions(message, snippets),
                )
            )  # fmt: skip
        return items

    async def _record_usage(self, request: VerifyInput, answer: LlmAnswer) -> None:
        info = activity.info()
        await self._usage.record(
            f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}/{info.attempt}/verify",
            answer.model,
            "verify",
            answer.tokens_in,
            answer.tokens_out,
            answer.cost_usd,
            request.snapshot.pr.repository,
            request.snapshot.url or None,
            info.workflow_id,
        )


def _outcome(review: dict, summary: VerificationSummary, answer: LlmAnswer) -> VerifyOutcome:
    return VerifyOutcome(
        review=review,
        verification=summary,
        model=answer.model,
        tokens_in=answer.tokens_in,
        tokens_out=answer.tokens_out,
        cost_usd=answer.cost_usd,
    )
