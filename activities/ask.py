"""AskPR's activities: the evidence a question is answered from, then the model's answer.

Evidence: the line an inline /ask is about (from the head file), the changed hunks the question
names, code of the repository retrieved for the question, and the findings earlier reviews posted.
Without a model the reply gives that evidence alone and says the model part was skipped.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable

import asyncpg
from github import GithubException
from temporalio import activity

from activities.command_llm import CommandLlm
from activities.review_github import ProviderFactory
from activities.review_report import file_diffs, pull_request_info
from clients.github import github_failure
from clients.pull_requests import ReviewProvider, provider_for
from contracts.commands import AnswerRequest, AskEvidence, AskOutcome, AskRequest
from core.settings import Settings
from core.temporal.heartbeat import heartbeating
from domain.ask.answer import Evidence, lines_around
from domain.commands.prompts import context_values
from domain.review.budget import render_hunk
from domain.review.markers import extract_finding_markers
from domain.review.prompt import NONE

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
_MARKER = re.compile(r"<!--.*?-->", re.DOTALL)
MAX_HUNKS = 3
MAX_CODE = 6
MAX_FINDINGS = 10


class AskActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, providers: ProviderFactory | None = None) -> None:
        self._settings = settings
        self._pool = pool
        self._providers = providers or (lambda pr: provider_for(settings.github, pr))

    @activity.defn(name="gather_ask_evidence")
    async def gather_ask_evidence(self, request: AskRequest) -> AskEvidence:
        provider = self._providers(request.snapshot.pr)
        try:
            items = await self._thread(provider, request)
            items += _changed_hunks(request)
            items += await self._findings(provider)
        except GithubException as error:
            pr = request.snapshot.pr
            raise github_failure(error, f"cannot read {pr.repository}#{pr.number}") from error
        items += await self._related_code(request)
        return AskEvidence(items=items)

    async def _thread(self, provider: ReviewProvider, request: AskRequest) -> list[Evidence]:
        if request.thread is None:
            return []
        text = await asyncio.to_thread(provider.read_file, request.thread.path, request.snapshot.head_sha)
        found = lines_around(request.thread.path, text, request.thread.line) if text is not None else None
        return [found] if found else []

    async def _findings(self, provider: ReviewProvider) -> list[Evidence]:
        """What earlier reviews posted inline (their comments carry a finding marker)."""
        comments = await asyncio.to_thread(provider.review_thread_comments)
        found = []
        for comment in comments:
            if comment.path and comment.line and extract_finding_markers(comment.body):
                first = next((ln for ln in _MARKER.sub("", comment.body).splitlines() if ln.strip()), "")
                found.append(Evidence("finding", comment.path, comment.line, comment.line, first.strip()[:300]))
        return found[:MAX_FINDINGS]

    async def _related_code(self, request: AskRequest) -> list[Evidence]:
        from clients.embeddings import configured_embedder
        from db.code_search import hybrid_search

        repo, changed = request.snapshot.pr.repository, {f.path for f in request.snapshot.files}
        query = " ".join([request.question, request.thread.path if request.thread else ""])
        hits = await hybrid_search(self._pool, repo, query, configured_embedder(self._settings.llm), limit=MAX_CODE * 2)
        return [Evidence("code", h.path, h.start_line, h.end_line, h.content) for h in hits if h.path not in changed][
            :MAX_CODE
        ]

    @activity.defn(name="answer_question")
    async def answer_question(self, request: AnswerRequest) -> AskOutcome:
        ask = request.ask
        llm = CommandLlm(self._settings, self._pool, "ask", ask.snapshot)
        reason = await llm.skip_reason()
        if reason:
            return AskOutcome(skipped_reason=reason)
        items = request.evidence.items
        frame = context_values(pull_request_info(ask.snapshot), ask.context.bundle, [])
        frame |= {
            "question": ask.question,
            "thread": _render(i for i in items if i.kind == "thread"),
            "findings": "\n".join(f"- {i.where}: {i.text}" for i in items if i.kind == "finding") or NONE,
            "related_code": _render(i for i in items if i.kind == "code"),
        }
        diff, _ = llm.fit_diff([], frame)
        async with heartbeating({"step": "ask"}, every=5.0):
            answer = await llm.ask_text(llm.prompt.messages({**frame, "diff": diff}))
        return AskOutcome(answer=answer, usage=llm.usage())


def _changed_hunks(request: AskRequest) -> list[Evidence]:
    """The changed hunks that share the most words with the question (the thread's hunk first)."""
    words, thread = {w.lower() for w in _WORD.findall(request.question)}, request.thread
    scored: list[tuple[int, Evidence]] = []
    for diff in file_diffs(request.snapshot):
        for hunk in diff.hunks:
            text = render_hunk(hunk)
            end = hunk.new_start + max(hunk.new_count - 1, 0)
            on_thread = thread is not None and thread.path == diff.path and hunk.new_start <= thread.line <= end
            score = 1000 if on_thread else len(words & {w.lower() for w in _WORD.findall(text)})
            if score:
                scored.append((score, Evidence("change", diff.path, hunk.new_start, end, text)))
    scored.sort(key=lambda pair: -pair[0])
    return [evidence for _, evidence in scored[:MAX_HUNKS]]


def _render(items: Iterable[Evidence]) -> str:
    blocks = [f"{i.where}:\n```\n{i.text}\n```" for i in items]
    return "\n\n".join(blocks) or NONE
