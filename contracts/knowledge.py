"""The Knowledge Assistant's payloads: AskKnowledge's input and answer, its activities' inputs and
results, its workflow id, and what makes a question askable.

Like every workflow input these live in event histories: the question and who asked, never
settings or secrets. Evidence carries excerpts of indexed code, documents and tickets, which the
Temporal UI shows to whoever may read the history (the same people who may read the index).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from domain.knowledge.evidence import Citation, Evidence

QUESTION_MAX_CHARS = 2000


class QuestionRejected(ValueError):
    """A question that cannot be asked (empty, too long); the message says why."""


def clean_question(text: str | None) -> str:
    """The question with its whitespace collapsed; QuestionRejected when it is empty or too long."""
    question = " ".join((text or "").split())
    if not question:
        raise QuestionRejected("Type a question first.")
    if len(question) > QUESTION_MAX_CHARS:
        raise QuestionRejected(f"A question is at most {QUESTION_MAX_CHARS} characters (this one is {len(question)}).")
    return question


def knowledge_workflow_id(question: str, asked_at: str) -> str:
    """`knowledge:{hash of question and time}`: the same question asked twice is two runs."""
    digest = hashlib.sha256(f"{asked_at}\n{question}".encode()).hexdigest()[:20]
    return f"knowledge:{digest}"


@dataclass(kw_only=True)
class AskKnowledgeInput:
    question: str
    asked_by: str = "unknown"  # who asked (dashboard user, "cli:NAME", "admin-api"): for the audit trail
    asked_at: str = ""  # ISO time the starter stamped; part of the workflow id
    trigger: str = "admin"  # dashboard, cli, admin
    max_evidence: int = 12


@dataclass(kw_only=True)
class RetrieveEvidenceInput:
    question: str
    limit: int = 12


@dataclass(kw_only=True)
class RetrievedEvidence:
    items: list[Evidence] = field(default_factory=list)
    sources_searched: list[str] = field(default_factory=list)  # what was looked at, even if empty
    sources_missing: list[str] = field(default_factory=list)  # what could not be looked at, and why


@dataclass(kw_only=True)
class AnswerQuestionInput:
    question: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(kw_only=True)
class KnowledgeAnswer:
    question: str
    answer: str | None  # the model's answer; None when the model part was skipped
    evidence: list[Evidence] = field(default_factory=list)  # ranked, best first
    citations: list[Citation] = field(default_factory=list)
    llm_used: bool = False
    llm_skipped_reason: str | None = None
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    sources_searched: list[str] = field(default_factory=list)
    sources_missing: list[str] = field(default_factory=list)
