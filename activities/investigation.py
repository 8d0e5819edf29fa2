"""InvestigateRepo's activities: prepare (clone, detect, plan), one step, finish; and the fan-out's
list of targets.

Every activity is idempotent: a finished step is a checkpoint row under its key and is read back
instead of asked again, the document replaces the one under the same key, and usage records are
keyed by workflow, activity and attempt.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.investigation_citations import check_citations
from activities.investigation_finish import finish_document
from activities.investigation_reads import RepoReads
from activities.investigation_repo import choose_type, resolve_commit
from activities.investigation_step import index_words, step_question
from clients.llm import ask, models_of
from contracts.investigation import (
    FinishInvestigationInput,
    FinishInvestigationResult,
    InvestigationPlan,
    ListTargetsInput,
    PrepareInvestigationInput,
    RepoTarget,
    RunStepInput,
    StepOutcome,
    StepPlan,
)
from core.settings import Settings
from core.temporal.errors import PROMPT_SET_ERROR
from core.temporal.heartbeat import heartbeating
from db.analysis import AnalysisKey, AnalysisRepository
from db.investigations import Checkpoint, CheckpointKey, InvestigationStore, Usage
from domain.investigation.grounding import missing_sections
from domain.investigation.promptsets import PromptSet, PromptSetError, list_prompt_sets, load_prompt_set

log = logging.getLogger(__name__)

PROMPTS_ROOT = Path(__file__).resolve().parents[1] / "prompts" / "investigate"
NO_MODEL = "none"  # the analysis key's model when no LLM is configured


@dataclass(frozen=True)
class InvestigationOptions:
    """Worker-side knobs (tests shorten heartbeats and swap prompt sets through WorkerDeps)."""

    prompts_root: Path = PROMPTS_ROOT
    heartbeat_seconds: float = 20.0
    steps_per_run: int = 10
    max_detection_files: int = 800
    max_detection_file_bytes: int = 200_000


class InvestigationActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, *, options: InvestigationOptions | None = None) -> None:
        self._pool = pool
        self._settings = settings
        self._options = options or InvestigationOptions()
        self._store = InvestigationStore(pool)
        self._reads = RepoReads(
            settings,
            max_files=self._options.max_detection_files,
            max_file_bytes=self._options.max_detection_file_bytes,
        )

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.prepare_investigation,
            self.run_investigation_step,
            self.finish_investigation,
            self.list_investigation_targets,
        ]

    @property
    def _model_key(self) -> str:
        return self._settings.llm.model if self._settings.llm.configured else NO_MODEL

    @property
    def _beat_seconds(self) -> float:
        # A third of the step heartbeat timeout, and well inside prepare's one-minute timeout.
        return min(self._options.heartbeat_seconds / 3, 15.0)

    def _prompt_set(self, name: str) -> PromptSet:
        try:
            return load_prompt_set(name, self._options.prompts_root)
        except PromptSetError as error:  # a broken prompt file stays broken: retrying cannot help
            raise ApplicationError(str(error), type=PROMPT_SET_ERROR, non_retryable=True) from error

    # -- activities ------------------------------------------------------------------------------

    @activity.defn(name="prepare_investigation")
    async def prepare_investigation(self, request: PrepareInvestigationInput) -> InvestigationPlan:
        """Clone or fetch, pin the commit, detect the type, choose the prompt set and plan the steps."""
        async with heartbeating({"phase": "prepare"}, every=self._beat_seconds):
            return await self._prepare(request)

    async def _prepare(self, request: PrepareInvestigationInput) -> InvestigationPlan:
        record = await self._store.repository(request.repository)
        url = request.clone_url or (record.clone_url if record else None) or self._reads.github_url(request.repository)
        clone = await asyncio.to_thread(self._reads.fetch_clone, url, request.repository)
        commit = await asyncio.to_thread(resolve_commit, clone, request.branch, request.commit_sha)
        snapshot = await self._reads.snapshot(url, commit, request.repository)
        known = list_prompt_sets(self._options.prompts_root)
        choice = choose_type(snapshot.profile, record.repo_type_override if record else None, snapshot.config, known)
        prompt_set = self._prompt_set(choice.prompt_set)
        fingerprints = prompt_set.fingerprints()
        existing = await AnalysisRepository(self._pool).find(
            AnalysisKey(request.repository, commit, prompt_set.version, self._model_key)
        )
        llm = self._settings.llm
        return InvestigationPlan(
            repository=request.repository,
            branch=request.branch,
            commit_sha=commit,
            clone_url=url,
            repo_type=choice.repo_type,
            subtype=choice.subtype,
            type_source=choice.source,
            prompt_set=prompt_set.name,
            prompt_set_version=prompt_set.version,
            model=llm.model,
            llm_enabled=llm.configured,
            steps=[
                StepPlan(id=s.id, title=s.title, fingerprint=fingerprints[s.id], needs=list(s.needs))
                for s in prompt_set.steps
            ],
            reusable=existing is not None and existing.complete and not request.force,
            step_timeout_seconds=llm.timeout_seconds * len(models_of(llm)) + 60,
            heartbeat_seconds=self._options.heartbeat_seconds,
            steps_per_run=self._options.steps_per_run,
        )

    @activity.defn(name="run_investigation_step")
    async def run_investigation_step(self, request: RunStepInput) -> StepOutcome:
        """Answer one step: from its checkpoint when one exists, else by asking the model once."""
        # Heartbeats cover the whole step (a first clone on a fresh worker too), not only the call.
        async with heartbeating({"step": request.step_id}, every=self._beat_seconds):
            return await self._run_step(request)

    async def _run_step(self, request: RunStepInput) -> StepOutcome:
        prompt_set = self._prompt_set(request.prompt_set)
        step = prompt_set.step(request.step_id)
        fingerprints = prompt_set.fingerprints()
        key = CheckpointKey(request.repository, request.commit_sha, step.id, fingerprints[step.id])
        models = models_of(self._settings.llm)
        if not request.force and (done := await self._store.find_checkpoint(key, models)) is not None:
            return StepOutcome(step_id=step.id, status="reused", model=done.model)
        snapshot = await self._reads.snapshot(request.clone_url, request.commit_sha, request.repository)
        evidence = await self._reads.evidence(snapshot)
        earlier = await self._store.find_answers(
            request.repository, request.commit_sha, {n: fingerprints[n] for n in step.needs}, models
        )
        answers = {n: c.answer for n, c in earlier.items()}
        ranked = await self._store.indexed_paths(request.repository, index_words(step))
        question = await asyncio.to_thread(step_question, step, request.repository, snapshot, evidence, answers, ranked)
        answer = await ask(question.messages, self._settings.llm)
        checked = check_citations(answer.text, snapshot.paths, question.contents)
        checkpoint = Checkpoint(
            step.id, key.fingerprint, answer.model, checked.text, answer.tokens_in, answer.tokens_out, answer.cost_usd
        )
        await self._store.save_checkpoint(key, checkpoint, prompt_set.name, prompt_set.version)
        await self._record_usage(request.repository, checkpoint)
        missing = missing_sections(step, answer.text)
        if missing or checked.unsupported or checked.bad_citations:
            log.warning(
                "step answer lacks sections or evidence",
                extra={"step": step.id, "missing": missing, "unverified": checked.unsupported + checked.bad_citations},
            )
        return StepOutcome(
            step_id=step.id,
            status="answered",
            model=answer.model,
            tokens_in=answer.tokens_in,
            tokens_out=answer.tokens_out,
            cost_usd=answer.cost_usd,
            missing_sections=missing,
            unverified_claims=checked.unsupported + checked.bad_citations,
        )

    @activity.defn(name="finish_investigation")
    async def finish_investigation(self, request: FinishInvestigationInput) -> FinishInvestigationResult:
        """Render arch.md and its structured form from the checkpoints and store them."""
        async with heartbeating({"phase": "finish"}, every=self._beat_seconds):
            snapshot = await self._reads.snapshot(request.clone_url, request.commit_sha, request.repository)
            evidence = await self._reads.evidence(snapshot)
            return await finish_document(
                self._pool, self._settings, snapshot, evidence, request, self._prompt_set(request.prompt_set)
            )

    @activity.defn(name="list_investigation_targets")
    async def list_investigation_targets(self, request: ListTargetsInput) -> list[RepoTarget]:
        """The registered repositories to investigate (named ones that are unknown are left out)."""
        records = await self._store.investigable(request.repositories)
        return [RepoTarget(repository=r.full_name, branch=r.default_branch, clone_url=r.clone_url) for r in records]

    # -- helpers -----------------------------------------------------------------------------------

    async def _record_usage(self, repository: str, checkpoint: Checkpoint) -> None:
        info = activity.info()
        await self._store.record_usage(
            Usage(
                request_key=f"{info.workflow_run_id}/{info.activity_id}/{info.attempt}",
                model=checkpoint.model,
                tokens_in=checkpoint.tokens_in,
                tokens_out=checkpoint.tokens_out,
                cost_usd=checkpoint.cost_usd,
                repository=repository,
                workflow_id=info.workflow_id,
            )
        )
