"""Asking the Knowledge Assistant: start AskKnowledge on the reviews queue and wait for its answer.
Used by the dashboard, the admin API and `pr-agent ask`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from temporalio.client import Client, WorkflowHandle

from core.knowledge_contracts import (
    ASK_KNOWLEDGE,
    KNOWLEDGE_QUEUE,
    QUESTION_MAX_CHARS,
    AskKnowledgeInput,
    KnowledgeAnswer,
    knowledge_workflow_id,
)
from core.settings import TemporalSettings
from core.starts import WorkflowStart
from core.temporal_client import task_queue

# A question is answered in seconds to a minute; a run that takes longer than this is stuck.
EXECUTION_TIMEOUT = timedelta(minutes=15)


class QuestionRejected(ValueError):
    """A question that cannot be asked (empty, too long); the message says why."""


def clean_question(text: str | None) -> str:
    question = " ".join((text or "").split())
    if not question:
        raise QuestionRejected("Type a question first.")
    if len(question) > QUESTION_MAX_CHARS:
        raise QuestionRejected(f"A question is at most {QUESTION_MAX_CHARS} characters (this one is {len(question)}).")
    return question


async def start_question(
    client: Client, settings: TemporalSettings, question: str, asked_by: str, trigger: str
) -> WorkflowHandle[object, KnowledgeAnswer]:
    """Start AskKnowledge for a cleaned question; the id hashes the question and the time asked."""
    asked_at = datetime.now(UTC).isoformat()
    request = AskKnowledgeInput(question, asked_by, asked_at, trigger)
    plan = WorkflowStart(ASK_KNOWLEDGE, knowledge_workflow_id(question, asked_at), request, trigger=trigger)
    return await client.start_workflow(
        ASK_KNOWLEDGE,
        request,
        id=plan.workflow_id,
        task_queue=task_queue(settings, KNOWLEDGE_QUEUE),
        search_attributes=plan.search_attributes(),
        execution_timeout=EXECUTION_TIMEOUT,
        result_type=KnowledgeAnswer,
    )


async def answer_of(client: Client, workflow_id: str, wait_seconds: float) -> KnowledgeAnswer | None:
    """The run's answer, waiting up to `wait_seconds`; None while it is still working."""
    handle = client.get_workflow_handle(workflow_id, result_type=KnowledgeAnswer)
    try:
        return await asyncio.wait_for(handle.result(), timeout=wait_seconds)
    except TimeoutError:
        return None
