"""The LLM judge of `pr-agent eval --judge-model`: asks whether a finding raises a golden comment's issue.

Matching is pure and takes a synchronous judge, so the pairs it may ask about (`candidate_pairs`)
are judged first, a few at a time, and matching then reads the verdicts. Every call's tokens and
cost go to `api_usage` (purpose "judge"). A call that fails or answers nonsense counts as "not the
same issue" and is listed in the case's notes: one bad answer must not stop the run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from temporalio.exceptions import ApplicationError

from clients.llm import ask
from core.settings import LlmSettings
from db.reviews import UsageRepository
from domain.evaluation.cases import GoldenComment
from domain.evaluation.judge import (
    JudgeAnswerError,
    load_judge_template,
    parse_judge_answer,
    render_judge_prompt,
)
from domain.evaluation.matching import EvalFinding, Judge, MatchSettings, candidate_pairs

JUDGE_MAX_TOKENS = 300

Pair = tuple[EvalFinding, GoldenComment]


@dataclass
class CaseVerdicts:
    """The judge's answers for one case; `failures` says which pairs could not be judged and why."""

    same: dict[Pair, bool] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def judge(self) -> Judge:
        return lambda finding, golden: self.same.get((finding, golden), False)


class ModelJudge:
    def __init__(self, llm: LlmSettings, usage: UsageRepository, run_key: str, concurrency: int = 4) -> None:
        self._llm = llm
        self._usage = usage
        self._run_key = run_key
        self._template = load_judge_template()
        self._slots = asyncio.Semaphore(concurrency)

    async def judge_case(
        self,
        case_id: str,
        findings: Sequence[EvalFinding],
        golden: Sequence[GoldenComment],
        settings: MatchSettings,
    ) -> CaseVerdicts:
        """Ask about every pair matching might consider (located pairs near each other, unlocated ones all)."""
        verdicts = CaseVerdicts()
        pairs = candidate_pairs(findings, golden, settings, include_unlocated=True)
        asked = [(findings[p.finding], golden[p.golden]) for p in pairs]
        answers = await asyncio.gather(*(self._ask(case_id, i, pair) for i, pair in enumerate(asked)))
        for pair, answer in zip(asked, answers, strict=True):
            if isinstance(answer, str):
                verdicts.failures.append(answer)
            else:
                verdicts.same[pair] = answer
        return verdicts

    async def _ask(self, case_id: str, index: int, pair: Pair) -> bool | str:
        finding, golden = pair
        prompt = render_judge_prompt(self._template, finding, golden)
        where = f"judge {finding.path}:{finding.line} vs golden {golden.path}:{golden.line}"
        async with self._slots:
            try:
                answer = await ask([{"role": "user", "content": prompt}], self._llm, json_mode=True,
                                   max_tokens=JUDGE_MAX_TOKENS)  # fmt: skip
            except ApplicationError as error:
                return f"{where}: the judge model failed ({error.message[:200]})"
        key = f"{self._run_key}/{case_id}/judge/{index}"
        await self._usage.record(
            key, answer.model, "judge", answer.tokens_in, answer.tokens_out, answer.cost_usd, None, None, self._run_key
        )
        try:
            return parse_judge_answer(answer.text).same_issue
        except JudgeAnswerError as error:
            return f"{where}: unusable answer ({error})"
