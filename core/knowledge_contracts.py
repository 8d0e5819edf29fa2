"""The Knowledge Assistant's payloads: AskKnowledge's input and answer, and the evidence it cites.

Like every workflow input these live in event histories: the question and who asked, never
settings or secrets. Evidence carries excerpts of indexed code, documents and tickets, which the
Temporal UI shows to whoever may read the history (the same people who may read the index).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Final, Literal

ASK_KNOWLEDGE = "AskKnowledge"
KNOWLEDGE_QUEUE: Final = "reviews"  # DESIGN.md, "The second half": the assistant shares the reviews queue
QUESTION_MAX_CHARS = 2000

EvidenceKind = Literal["code", "architecture", "ticket", "pull_request", "commit"]


def knowledge_workflow_id(question: str, asked_at: str) -> str:
    """`knowledge:{hash of question and time}`: the same question asked twice is two runs."""
    digest = hashlib.sha256(f"{asked_at}\n{question}".encode()).hexdigest()[:20]
    return f"knowledge:{digest}"


@dataclass
class AskKnowledgeInput:
    question: str
    asked_by: str = "unknown"  # who asked (dashboard user, "cli", "admin-api"): for the audit trail
    asked_at: str = ""  # ISO time the starter stamped; part of the workflow id
    trigger: str = "admin"  # dashboard, cli, admin
    max_evidence: int = 12


@dataclass
class Evidence:
    """One retrieved item. `ref` is how an answer cites it: `owner/repo:path:line`, `KEY-12`,
    `owner/repo#42` (pull request), `owner/repo@abc1234` (commit), `owner/repo:architecture#section`."""

    kind: EvidenceKind
    ref: str
    title: str
    excerpt: str
    repository: str | None = None
    url: str | None = None
    score: float = 0.0
    path: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    commit_sha: str | None = None
    repo_url: str | None = None  # the repository's web address, for links to cited lines


@dataclass
class RetrieveEvidenceInput:
    question: str
    limit: int = 12


@dataclass
class RetrievedEvidence:
    items: list[Evidence] = field(default_factory=list)
    sources_searched: list[str] = field(default_factory=list)  # what was looked at, even if empty
    sources_missing: list[str] = field(default_factory=list)  # what could not be looked at, and why


@dataclass
class AnswerQuestionInput:
    question: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Citation:
    """A citation found in the answer; `known` when it points at retrieved evidence."""

    text: str
    kind: EvidenceKind
    known: bool
    url: str | None = None


@dataclass
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
