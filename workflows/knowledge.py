"""AskKnowledge (`knowledge:{hash of question and time}`, reviews queue): answer a question about the
organisation from the code index, architecture documents, Jira tickets and GitHub activity.

Two steps: retrieve (database only, quick retries) and answer (the model, bounded retries). When
the model part cannot run or keeps failing, the answer is the ranked evidence and the reason.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.knowledge import KnowledgeActivities
    from activities.llm import LLM_REJECTED
    from core.knowledge_contracts import (
        ASK_KNOWLEDGE,
        AnswerQuestionInput,
        AskKnowledgeInput,
        KnowledgeAnswer,
        RetrieveEvidenceInput,
    )
    from domain.review.report import skip_provider_failed

RETRIEVE_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_attempts=5)
LLM_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=3,
    non_retryable_error_types=[LLM_REJECTED],
)


@workflow.defn(name=ASK_KNOWLEDGE)
class AskKnowledgeWorkflow:
    def __init__(self) -> None:
        self._step = "retrieve"

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        steps = ("retrieve", "answer", "done")
        return {"step": self._step, "done": steps.index(self._step), "total": 2}

    @workflow.run
    async def run(self, request: AskKnowledgeInput) -> KnowledgeAnswer:
        retrieved = await workflow.execute_activity_method(
            KnowledgeActivities.retrieve_knowledge_evidence,
            RetrieveEvidenceInput(request.question, request.max_evidence),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=RETRIEVE_RETRY,
        )
        self._step = "answer"
        answer = await self._answer(AnswerQuestionInput(request.question, retrieved.items))
        self._step = "done"
        return replace(answer, sources_searched=retrieved.sources_searched, sources_missing=retrieved.sources_missing)

    async def _answer(self, request: AnswerQuestionInput) -> KnowledgeAnswer:
        try:
            return await workflow.execute_activity_method(
                KnowledgeActivities.answer_knowledge_question,
                request,
                start_to_close_timeout=timedelta(minutes=5),
                heartbeat_timeout=timedelta(seconds=30),
                retry_policy=LLM_RETRY,
            )
        except ActivityError as error:
            # Exhausted or refused: the evidence still answers the question, and the reason is said.
            cause = error.cause
            refused = isinstance(cause, ApplicationError) and cause.type == LLM_REJECTED
            reason = (
                "the LLM provider refused the request" if refused else skip_provider_failed(LLM_RETRY.maximum_attempts)
            )
            return KnowledgeAnswer(request.question, None, request.evidence, llm_skipped_reason=reason)
