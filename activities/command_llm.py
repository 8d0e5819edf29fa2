"""The model calls of the pull-request commands: whether to call at all, a diff fitted to the prompt
budget, one repair of an unusable JSON answer, and every call recorded in api_usage under the
command's operation ("improve", "ask", "describe").

Like ReviewPR's calls, provider failures are raised classified (clients.llm) and Temporal retries
them; an answer still unusable after its one repair is a non-retryable LLM_OUTPUT_INVALID, which
the workflow turns into a plain "the model part was skipped" instead of failing the command.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.review_report import file_diffs
from clients.llm import LlmAnswer, ask
from contracts.commands import LlmUsage
from contracts.review import PullRequestSnapshot
from core.settings import Settings
from core.temporal.errors import LLM_OUTPUT_INVALID
from db.reviews import UsageRepository
from domain.commands.prompts import CommandPrompt, repair_messages
from domain.findings import Finding
from domain.llm_json import LlmOutputError
from domain.review.budget import commentable_lines, estimate_tokens, plan_coverage, render_diff_for_prompt
from domain.review.report import SKIP_BUDGET_EXHAUSTED, SKIP_NO_API_KEY

T = TypeVar("T")
MIN_DIFF_TOKENS = 500


class CommandLlm:
    """The model calls of one command activity about one pull request."""

    def __init__(self, settings: Settings, pool: asyncpg.Pool, operation: str, snapshot: PullRequestSnapshot) -> None:
        self._settings = settings
        self._usage = UsageRepository(pool)
        self._snapshot = snapshot
        self.operation = operation
        self.prompt = CommandPrompt(operation)
        self.calls: list[LlmAnswer] = []

    async def skip_reason(self) -> str | None:
        """Why the model part must not run (no key, budget spent), or None."""
        if not self._settings.llm.configured:
            return SKIP_NO_API_KEY
        spent, limit = await self._usage.month_spend_and_limit()
        if limit is not None and spent >= limit:
            return f"{SKIP_BUDGET_EXHAUSTED} (${spent:.2f} of ${limit:.2f} this month)"
        return None

    def fit_diff(self, findings: list[Finding], frame: Mapping[str, object]) -> tuple[str, dict[str, set[int]]]:
        """The change's hunks that fit the prompt beside `frame` (the other template values), and
        the added lines among them (the only lines a suggestion may replace)."""
        files = file_diffs(self._snapshot)
        empty = self.prompt.messages({**frame, "diff": ""})
        budget = self._settings.llm.max_prompt_tokens - sum(estimate_tokens(m["content"]) for m in empty)
        plan = plan_coverage(files, findings, max(budget, MIN_DIFF_TOKENS))
        return render_diff_for_prompt(files, plan) or "(no hunks fit the budget)", commentable_lines(files, plan)

    async def ask_json(self, messages: list[dict[str, str]], parse: Callable[[str], T], schema: str) -> T:
        """Ask, parse, and on an unusable answer repair once; every call is recorded."""
        first = await self._ask(messages, json_mode=True)
        try:
            return parse(first.text)
        except LlmOutputError as error:
            repaired = await self._ask(repair_messages(first.text, str(error), schema), json_mode=True)
            try:
                return parse(repaired.text)
            except LlmOutputError as again:
                raise ApplicationError(
                    f"model output invalid after one repair: {again}", type=LLM_OUTPUT_INVALID, non_retryable=True
                ) from again

    async def ask_text(self, messages: list[dict[str, str]]) -> str:
        return (await self._ask(messages, json_mode=False)).text

    def usage(self) -> LlmUsage:
        return LlmUsage(
            model=self.calls[-1].model if self.calls else None,
            prompt_version=self.prompt.version,
            tokens_in=sum(c.tokens_in for c in self.calls),
            tokens_out=sum(c.tokens_out for c in self.calls),
            cost_usd=sum(c.cost_usd for c in self.calls),
            calls=len(self.calls),
        )

    async def _ask(self, messages: list[dict[str, str]], *, json_mode: bool) -> LlmAnswer:
        answer = await ask(messages, self._settings.llm, json_mode=json_mode)
        self.calls.append(answer)
        await self._record(answer, len(self.calls) - 1)
        return answer

    async def _record(self, call: LlmAnswer, index: int) -> None:
        """One api_usage row per call; the key makes a replayed activity count it once."""
        info = activity.info()
        await self._usage.record(
            f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}/{info.attempt}/{index}",
            call.model,
            self.operation,
            call.tokens_in,
            call.tokens_out,
            call.cost_usd,
            self._snapshot.pr.repository,
            self._snapshot.url or None,
            info.workflow_id,
        )
