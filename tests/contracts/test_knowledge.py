"""Planning an AskKnowledge start: the question is cleaned or refused before anything is started."""

from __future__ import annotations

import pytest

from contracts.common import ASK_KNOWLEDGE, WORKFLOW_QUEUES
from contracts.knowledge import QUESTION_MAX_CHARS, AskKnowledgeInput, QuestionRejected, knowledge_workflow_id
from contracts.starts import ask_knowledge_start


def test_the_plan_asks_the_cleaned_question_on_the_reviews_queue() -> None:
    question = "  How are\n partial refunds issued? "
    plan = ask_knowledge_start(question=question, asked_by="dana", trigger="dashboard", asked_at="2025-01-02T03:04")
    assert plan.workflow == ASK_KNOWLEDGE and WORKFLOW_QUEUES[plan.workflow] == "reviews"
    assert plan.input == AskKnowledgeInput(
        question="How are partial refunds issued?", asked_by="dana", asked_at="2025-01-02T03:04", trigger="dashboard"
    )
    assert plan.workflow_id == knowledge_workflow_id("How are partial refunds issued?", "2025-01-02T03:04")
    assert plan.trigger == "dashboard" and plan.execution_timeout is not None and plan.signal is None


def test_the_same_question_asked_again_is_a_new_run() -> None:
    first = ask_knowledge_start(question="Who owns billing?", asked_by="cli:me", trigger="cli")
    again = ask_knowledge_start(question="Who owns billing?", asked_by="cli:me", trigger="cli", asked_at="later")
    assert first.workflow_id.startswith("knowledge:") and first.workflow_id != again.workflow_id
    assert first.input.asked_at  # stamped when the caller gave no time


@pytest.mark.parametrize(
    ("question", "reason"),
    [("   \n ", "Type a question first."), ("x" * (QUESTION_MAX_CHARS + 1), f"at most {QUESTION_MAX_CHARS}")],
)
def test_an_empty_or_too_long_question_is_refused_with_its_reason(question: str, reason: str) -> None:
    with pytest.raises(QuestionRejected, match=reason):
        ask_knowledge_start(question=question, asked_by="admin-api", trigger="admin")
