"""The last activity of an investigation: arch.md and its structured form, from the checkpoints."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import asyncpg

from activities.investigation_repo import RepoEvidence, RepoSnapshot, TypeChoice, profile_with_choice
from clients.llm import models_of
from contracts.investigation import FinishInvestigationInput, FinishInvestigationResult
from core.settings import Settings
from db.analysis import AnalysisKey, AnalysisRepository, RepositoryFacts
from db.investigations import InvestigationStore
from domain.investigation.deterministic import RepoFacts, collect_facts
from domain.investigation.document import NO_ANSWER, render_arch_md, structured_form
from domain.investigation.promptsets import PromptSet
from domain.investigation.sections import render_sections


async def finish_document(
    pool: asyncpg.Pool,
    settings: Settings,
    snapshot: RepoSnapshot,
    evidence: RepoEvidence,
    request: FinishInvestigationInput,
    prompt_set: PromptSet,
) -> FinishInvestigationResult:
    """Render and store the document; steps without a checkpoint are marked skipped with a reason."""
    answers = await _answers(pool, settings, request, prompt_set)
    skipped = {s.id: request.skipped.get(s.id, NO_ANSWER) for s in prompt_set.steps if s.id not in answers}
    facts = await asyncio.to_thread(_facts, snapshot, evidence, request)
    llm = settings.llm
    model = llm.model if llm.configured else None
    document = render_arch_md(
        request.repository,
        request.commit_sha,
        datetime.now(UTC).replace(microsecond=0).isoformat(),
        model,
        prompt_set,
        render_sections(facts),
        answers,
        skipped,
    )
    structured = structured_form(request.repository, request.commit_sha, facts, answers, prompt_set, skipped)
    key = AnalysisKey(request.repository, request.commit_sha, prompt_set.version, model or "none")
    analysis_id = await AnalysisRepository(pool).save(key, _repository_facts(request, facts), prompt_set.name,
                                                      document, structured)  # fmt: skip
    return FinishInvestigationResult(
        analysis_id=analysis_id, document_chars=len(document), steps_answered=len(answers), steps_skipped=len(skipped)
    )


async def _answers(
    pool: asyncpg.Pool, settings: Settings, request: FinishInvestigationInput, prompt_set: PromptSet
) -> dict[str, str | None]:
    wanted = {k: v for k, v in prompt_set.fingerprints().items() if k not in request.skipped}
    found = await InvestigationStore(pool).find_answers(
        request.repository, request.commit_sha, wanted, models_of(settings.llm)
    )
    return {step_id: checkpoint.answer for step_id, checkpoint in found.items()}


def _facts(snapshot: RepoSnapshot, evidence: RepoEvidence, request: FinishInvestigationInput) -> RepoFacts:
    """The facts the steps were shown, under the profile the document shows (an override named)."""
    choice = TypeChoice(request.repo_type, request.subtype, request.prompt_set, request.type_source)
    profile = profile_with_choice(snapshot.profile, choice)
    return collect_facts(snapshot.paths, snapshot.manifests, evidence.texts, profile)


def _repository_facts(request: FinishInvestigationInput, facts: RepoFacts) -> RepositoryFacts:
    return RepositoryFacts(
        full_name=request.repository,
        default_branch=request.branch,
        clone_url=request.clone_url,
        repo_type=facts.repo_type,
        primary_language=facts.primary_language,
        frameworks=list(facts.frameworks),
        databases=list(facts.databases),
        packages=list(facts.packages),
    )
