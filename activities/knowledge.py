"""AskKnowledge's activities: retrieve evidence from every source, then ask the model to answer from it.

The model is never asked without evidence, without a configured key, or over the monthly budget:
the answer then is the ranked evidence and a plain reason. Provider failures propagate, classified
(clients/llm.py), so Temporal retries them with the workflow's bounded policy.
"""

from __future__ import annotations

import asyncpg
from temporalio import activity

from clients.embeddings import configured_embedder
from clients.llm import LlmAnswer, ask
from contracts.knowledge import AnswerQuestionInput, KnowledgeAnswer, RetrievedEvidence, RetrieveEvidenceInput
from core.settings import Settings
from core.temporal.heartbeat import heartbeating
from db.knowledge import PullMention, latest_documents, search_activity, search_code, search_tickets
from db.reviews import UsageRepository
from domain.embeddings import Embedder
from domain.knowledge.citations import extract_citations, mentioned_pulls, qualify_paths
from domain.knowledge.evidence import Evidence
from domain.knowledge.prompt import SYSTEM, build_messages
from domain.knowledge.ranking import best_sections, document_sections, fuse, question_terms
from domain.review.context import find_jira_keys
from domain.review.report import SKIP_BUDGET_EXHAUSTED

SKIP_NO_EVIDENCE = "nothing relevant was found to answer from"
SKIP_NO_MODEL = "no LLM is configured (set LLM_API_KEY, or LLM_API_BASE for a self-hosted model)"
ARCHITECTURE_EXCERPT_CHARS = 2000
USAGE_PURPOSE = "knowledge"
_COUNTS = """SELECT (SELECT count(*) FROM code_chunks) AS chunks,
                    (SELECT count(DISTINCT repository_id) FROM repo_analysis_cache) AS documents,
                    (SELECT count(*) FROM jira_tickets WHERE NOT deleted) AS tickets,
                    (SELECT count(*) FROM github_activity) AS activity"""


class KnowledgeActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, *, embedder: Embedder | None = None) -> None:
        """`embedder` stands in for the configured one (tests, benchmarks); code search must embed the
        question with the embedder the index was built with, so the worker passes its one embedder."""
        self._settings = settings
        self._pool = pool
        self._embedder = embedder or configured_embedder(settings.llm)
        self._usage = UsageRepository(pool)

    @activity.defn(name="retrieve_knowledge_evidence")
    async def retrieve_knowledge_evidence(self, request: RetrieveEvidenceInput) -> RetrievedEvidence:
        question, limit = request.question, max(1, request.limit)
        terms = question_terms(question)
        keys = find_jira_keys(question)
        pulls = [PullMention(repo, number) for repo, number in mentioned_pulls(question)]
        sources = [
            await search_code(self._pool, question, terms, self._embedder, limit),
            await self._architecture(terms, limit),
            await search_tickets(self._pool, terms, keys, limit),
            await search_activity(self._pool, terms, pulls, limit),
        ]
        mentioned = set(keys) | {f"{p.repository}#{p.number}" if p.repository else f"#{p.number}" for p in pulls}
        searched, missing = await self._coverage()
        ranked = fuse(sources, terms, mentioned, limit)
        return RetrievedEvidence(items=ranked, sources_searched=searched, sources_missing=missing)

    async def _architecture(self, terms: list[str], limit: int) -> list[Evidence]:
        scored = []
        for doc in await latest_documents(self._pool):
            for section, score in best_sections(document_sections(doc.document), terms, limit):
                scored.append((score, doc, section))
        scored.sort(key=lambda item: (-item[0], item[1].repository, item[2].slug))
        return [
            Evidence(
                kind="architecture",
                ref=f"{doc.repository}:architecture#{section.slug}",
                title=f"{doc.repository} architecture: {section.title}",
                excerpt=qualify_paths(doc.repository, section.body)[:ARCHITECTURE_EXCERPT_CHARS],
                repository=doc.repository,
                url=f"/admin/repositories/{doc.repository}#{section.slug}",
                score=score,
                commit_sha=doc.commit_sha,
                repo_url=doc.repo_url,
            )
            for score, doc, section in scored[:limit]
        ]

    async def _coverage(self) -> tuple[list[str], list[str]]:
        """What was searched, and which sources hold nothing yet (said plainly, not hidden)."""
        row = await self._pool.fetchrow(_COUNTS)
        names = {
            "chunks": "code index chunks",
            "documents": "architecture documents",
            "tickets": "Jira tickets",
            "activity": "commits and pull requests",
        }
        searched = [f"{row[key]} {label}" for key, label in names.items()]
        missing = [f"no {label} yet" for key, label in names.items() if not row[key]]
        return searched, missing

    @activity.defn(name="answer_knowledge_question")
    async def answer_knowledge_question(self, request: AnswerQuestionInput) -> KnowledgeAnswer:
        reason = await self._skip_reason(request)
        if reason:
            return KnowledgeAnswer(
                question=request.question, answer=None, evidence=request.evidence, llm_skipped_reason=reason
            )
        budget = max(2000, self._settings.llm.max_prompt_tokens * 4 - len(SYSTEM) - len(request.question))
        messages = build_messages(request.question, request.evidence, budget)
        async with heartbeating({"step": "llm"}, every=5.0):
            answer = await ask(messages, self._settings.llm)
        await self._record_usage(answer)
        return KnowledgeAnswer(
            question=request.question,
            answer=answer.text,
            evidence=request.evidence,
            citations=extract_citations(answer.text, request.evidence),
            llm_used=True,
            model=answer.model,
            tokens_in=answer.tokens_in,
            tokens_out=answer.tokens_out,
            cost_usd=answer.cost_usd,
        )

    async def _skip_reason(self, request: AnswerQuestionInput) -> str | None:
        if not request.evidence:
            return SKIP_NO_EVIDENCE
        if not self._settings.llm.configured:
            return SKIP_NO_MODEL
        spent, limit = await self._usage.month_spend_and_limit()
        if limit is not None and spent >= limit:
            return f"{SKIP_BUDGET_EXHAUSTED} (${spent:.2f} of ${limit:.2f} this month)"
        return None

    async def _record_usage(self, answer: LlmAnswer) -> None:
        info = activity.info()
        key = f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}/{info.attempt}"
        await self._usage.record(
            key, answer.model, USAGE_PURPOSE, answer.tokens_in, answer.tokens_out, answer.cost_usd,
            None, None, info.workflow_id,
        )  # fmt: skip
