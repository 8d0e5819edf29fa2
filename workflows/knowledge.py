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
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.knowledge import KnowledgeActivities
    from contracts.common import ASK_KNOWLEDGE
    from contracts.knowledge import AnswerQuestionInput, AskKnowledgeInput, KnowledgeAnswer, RetrieveEvidenceInput
    from core.temporal.errors import LLM_REJECTED
    from core.temporal.retries import KNOWLEDGE_LLM_RETRY, LOCAL_RETRY
    from domain.review.report import skip_provider_failed


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
            RetrieveEvidenceInput(question=request.question, limit=request.max_evidence),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=LOCAL_RETRY,
        )
        self._step = "answer"
        answer = await self._answer(AnswerQuestionInput(question=request.question, evidence=retrieved.items))
        self._step = "done"
        return replace(answer, sources_searched=retrieved.sources_searched, sources_missing=retrieved.sources_missing)

    async def _answer(self, request: AnswerQuestionInput) -> KnowledgeAnswer:
        try:
            return await workflow.execute_activity_method(
                KnowledgeActivities.answer_knowledge_question,
                request,
                start_to_close_timeout=timedelta(minutes=5),
                heartbeat_timeout=timedelta(seconds=30),
                retry_policy=KNOWLEDGE_LLM_RETRY,
            )
        except ActivityError as error:
            # Exhausted or refused: the evidence still answers the question, and the reason is said.
            cause = error.cause
            refused = isinstance(cause, ApplicationError) and cause.type == LLM_REJECTED
            attempts = KNOWLEDGE_LLM_RETRY.maximum_attempts
            reason = "the LLM provider refused the request" if refused else skip_provider_failed(attempts)
            return KnowledgeAnswer(
                question=request.question, answer=None, evidence=request.evidence, llm_skipped_reason=reason
            )
