"""InvestigateRepo: one repository's architecture investigation, step by step, checkpointed.
(InvestigateRepos, the fan-out, is in workflows/investigation_fanout.py and re-exported here.)

Each prompt step is its own activity whose answer lands in the checkpoint table before it
returns, so a killed worker or a terminated run repeats at most the step that was in flight. The
workflow continues-as-new every few steps (and whenever Temporal suggests it), carrying the steps
done in its input and its running totals in the memo. Progress is a `progress` query and the
run's "current details" in the Temporal UI.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.investigation import InvestigationActivities
    from contracts.common import INVESTIGATE_REPO, NewCommit
    from contracts.investigation import (
        SKIP_NO_LLM,
        SKIP_PROVIDER_DOWN,
        FinishInvestigationInput,
        InvestigateRepoInput,
        InvestigateRepoResult,
        InvestigationPlan,
        InvestigationProgress,
        InvestigationStatus,
        PrepareInvestigationInput,
        RunStepInput,
        StepPlan,
    )
    from core.temporal.retries import INVESTIGATION_LLM_RETRY, LOCAL_RETRY

# Git and the database: a few patient attempts. A first clone of a large repository is slow,
# hence the long timeout; the activity heartbeats, so a dead worker is noticed within a minute.
PREPARE_TIMEOUT = timedelta(minutes=30)
PREPARE_HEARTBEAT = timedelta(minutes=1)
FINISH_TIMEOUT = timedelta(minutes=10)
# One LLM call per attempt (litellm's own retries are off); rate limits back off by Retry-After.
# Two steps in a row that failed after all their attempts mean the provider is down: the rest
# are marked skipped rather than each waiting out its own retries.
MAX_FAILED_STEPS_IN_A_ROW = 2
TOTALS_MEMO = "investigation_totals"
_COUNTERS = ("steps_reused", "steps_skipped", "llm_calls", "tokens_in", "tokens_out", "cost_usd")


@workflow.defn(name=INVESTIGATE_REPO)
class InvestigateRepoWorkflow:
    @workflow.init
    def __init__(self, request: InvestigateRepoInput) -> None:
        self._commit = request.commit_sha
        self._progress = InvestigationProgress(repository=request.repository, commit_sha=request.commit_sha)
        self._skipped: dict[str, str] = {}
        self._answered = 0

    @workflow.query(name="progress", description="Steps done and total, current step, LLM calls, tokens, cost.")
    def progress(self) -> InvestigationProgress:
        return self._progress

    @workflow.signal(name="new_commit", description="Investigate this newer commit once the current one is done.")
    def new_commit(self, signal: NewCommit) -> None:
        """A newer commit to investigate once this one is done (bursts coalesce to the newest)."""
        sha = (signal.commit_sha or "").strip()
        if sha and sha != self._commit:
            self._progress.pending_commit = sha

    @workflow.run
    async def run(self, request: InvestigateRepoInput) -> InvestigateRepoResult:
        self._restore_totals()
        plan = await self._prepare(request)
        if plan.reusable:
            self._catch_up(request, plan)
            return self._done(plan, "reused")
        done = set(request.steps_done)
        ran = 0
        failed_in_a_row = 0
        for step in plan.steps:
            if step.id in done or step.id in self._skipped:
                continue
            reason = self._skip_reason(plan, failed_in_a_row)
            if reason:
                self._skip(step.id, reason)
                continue
            if ran >= plan.steps_per_run or workflow.info().is_continue_as_new_suggested():
                self._continue(request, plan, done)
            ran += 1
            failed = await self._run_step(plan, step, request.force)
            failed_in_a_row = failed_in_a_row + 1 if failed else 0
            if not failed:
                done.add(step.id)
        await self._finish(plan)
        self._catch_up(request, plan)
        return self._done(plan, self._status(plan))

    # -- steps -----------------------------------------------------------------------------------

    async def _prepare(self, request: InvestigateRepoInput) -> InvestigationPlan:
        self._set_phase("preparing")
        plan = await workflow.execute_activity_method(
            InvestigationActivities.prepare_investigation,
            PrepareInvestigationInput(
                repository=request.repository,
                branch=request.branch,
                commit_sha=request.commit_sha,
                clone_url=request.clone_url,
                force=request.force,
            ),
            start_to_close_timeout=PREPARE_TIMEOUT,
            heartbeat_timeout=PREPARE_HEARTBEAT,
            retry_policy=LOCAL_RETRY,
        )
        self._commit = plan.commit_sha
        progress = self._progress
        progress.commit_sha, progress.prompt_set = plan.commit_sha, plan.prompt_set
        progress.steps_total = len(plan.steps)
        progress.steps_done = len(request.steps_done) + len(self._skipped)
        self._set_phase("running")
        return plan

    @staticmethod
    def _skip_reason(plan: InvestigationPlan, failed_in_a_row: int) -> str | None:
        if not plan.llm_enabled:
            return SKIP_NO_LLM
        if failed_in_a_row >= MAX_FAILED_STEPS_IN_A_ROW:
            return SKIP_PROVIDER_DOWN
        return None

    async def _run_step(self, plan: InvestigationPlan, step: StepPlan, force: bool) -> bool:
        """Run one step; True when it failed after all its attempts (it is then marked skipped)."""
        self._progress.current_step = step.id
        self._set_details()
        request = RunStepInput(
            repository=plan.repository,
            commit_sha=plan.commit_sha,
            clone_url=plan.clone_url,
            prompt_set=plan.prompt_set,
            step_id=step.id,
            fingerprint=step.fingerprint,
            force=force,
        )
        try:
            outcome = await workflow.execute_activity_method(
                InvestigationActivities.run_investigation_step,
                request,
                start_to_close_timeout=timedelta(seconds=plan.step_timeout_seconds),
                heartbeat_timeout=timedelta(seconds=plan.heartbeat_seconds),
                retry_policy=INVESTIGATION_LLM_RETRY,
                summary=step.id,
            )
        except ActivityError as error:
            cause = error.cause.message if isinstance(error.cause, ApplicationError) else str(error.cause or error)
            workflow.logger.warning("investigation step failed", extra={"step": step.id, "error": cause})
            self._skip(step.id, f"the LLM step failed: {cause}")
            return True
        progress = self._progress
        progress.steps_done += 1
        progress.current_step = None
        if outcome.status == "reused":
            progress.steps_reused += 1
        else:
            self._answered += 1
            progress.llm_calls += 1
            progress.tokens_in += outcome.tokens_in
            progress.tokens_out += outcome.tokens_out
            progress.cost_usd = round(progress.cost_usd + outcome.cost_usd, 6)
        return False

    def _skip(self, step_id: str, reason: str) -> None:
        self._skipped[step_id] = reason
        self._progress.steps_skipped += 1
        self._progress.steps_done += 1

    async def _finish(self, plan: InvestigationPlan) -> None:
        self._set_phase("finishing")
        await workflow.execute_activity_method(
            InvestigationActivities.finish_investigation,
            FinishInvestigationInput(
                repository=plan.repository,
                branch=plan.branch,
                commit_sha=plan.commit_sha,
                clone_url=plan.clone_url,
                prompt_set=plan.prompt_set,
                repo_type=plan.repo_type,
                subtype=plan.subtype,
                type_source=plan.type_source,
                skipped=dict(self._skipped),
            ),
            start_to_close_timeout=FINISH_TIMEOUT,
            heartbeat_timeout=PREPARE_HEARTBEAT,
            retry_policy=LOCAL_RETRY,
        )

    # -- continue-as-new, totals, result ---------------------------------------------------------

    def _continue(self, request: InvestigateRepoInput, plan: InvestigationPlan, done: set[str]) -> None:
        """Start afresh on the same commit with the steps done so far; totals ride in the memo."""
        totals: dict[str, Any] = {name: getattr(self._progress, name) for name in _COUNTERS}
        totals.update(answered=self._answered, skipped=self._skipped, pending=self._progress.pending_commit)
        next_run = InvestigateRepoInput(
            repository=plan.repository,
            branch=plan.branch,
            commit_sha=plan.commit_sha,
            force=request.force,
            trigger=request.trigger,
            clone_url=request.clone_url,
            steps_done=[s.id for s in plan.steps if s.id in done],
        )
        workflow.continue_as_new(next_run, memo={**workflow.memo(), TOTALS_MEMO: totals})

    def _catch_up(self, request: InvestigateRepoInput, plan: InvestigationPlan) -> None:
        """Continue as a fresh investigation of the newest commit signalled meanwhile, if any."""
        pending = self._progress.pending_commit
        if pending and pending != plan.commit_sha:
            next_run = InvestigateRepoInput(
                repository=plan.repository,
                branch=plan.branch,
                commit_sha=pending,
                force=False,
                trigger=request.trigger,
                clone_url=request.clone_url,
            )
            workflow.continue_as_new(next_run, memo={**workflow.memo(), TOTALS_MEMO: {}})

    def _restore_totals(self) -> None:
        totals: dict[str, Any] = workflow.memo_value(TOTALS_MEMO, default={}, type_hint=dict) or {}
        for name in _COUNTERS:
            if name in totals:
                setattr(self._progress, name, totals[name])
        self._answered = int(totals.get("answered", 0))
        self._skipped = dict(totals.get("skipped") or {})
        if totals.get("pending") and not self._progress.pending_commit:
            self._progress.pending_commit = totals["pending"]

    def _status(self, plan: InvestigationPlan) -> InvestigationStatus:
        if not plan.llm_enabled:
            return "deterministic-only"
        return "partial" if self._skipped else "investigated"

    def _done(self, plan: InvestigationPlan, status: InvestigationStatus) -> InvestigateRepoResult:
        self._progress.steps_done = self._progress.steps_total
        self._set_phase("done")
        p = self._progress
        return InvestigateRepoResult(
            repository=plan.repository,
            commit_sha=plan.commit_sha,
            status=status,
            prompt_set=plan.prompt_set,
            prompt_set_version=plan.prompt_set_version,
            model=plan.model,
            repo_type=plan.repo_type,
            steps_total=len(plan.steps),
            steps_answered=self._answered,
            steps_reused=p.steps_reused,
            steps_skipped=p.steps_skipped,
            llm_calls=p.llm_calls,
            tokens_in=p.tokens_in,
            tokens_out=p.tokens_out,
            cost_usd=p.cost_usd,
        )

    def _set_phase(self, phase: Any) -> None:
        self._progress.phase = phase
        if phase != "running":
            self._progress.current_step = None
        self._set_details()

    def _set_details(self) -> None:
        p = self._progress
        step = f", step {p.current_step}" if p.current_step else ""
        workflow.set_current_details(
            f"{p.phase}: {p.steps_done}/{p.steps_total} steps{step}; {p.llm_calls} LLM calls, "
            f"{p.tokens_in + p.tokens_out} tokens, ${p.cost_usd:.4f}"
        )


# Imported last: the fan-out starts InvestigateRepo children by name, and one import gives both.
from workflows.investigation_fanout import InvestigateReposWorkflow  # noqa: E402

__all__ = ["InvestigateRepoWorkflow", "InvestigateReposWorkflow"]
