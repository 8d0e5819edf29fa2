"""`pr-agent eval`'s run: every case through the real ReviewPR workflow, then matching and the report.

Each case becomes a git repository (base and head commits) reviewed by the local provider, forced
and whole, exactly as `pr-agent review` would review it; the findings the review posts are matched
to the golden comments. A case that cannot be built or reviewed is reported by name with why, and
the run goes on. Nothing here decides what counts as a hit: that is domain/evaluation.
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import Client, WorkflowFailureError

from cli.common import ProgressDisplay, innermost
from cli.eval_judge import ModelJudge
from cli.eval_repo import build_case_repository
from clients.git import GitError
from contracts.common import REVIEW_PR
from contracts.review import PullRequestRef, ReviewPullRequestInput, ReviewResult, review_workflow_id
from core.settings import LlmSettings, Settings
from core.temporal.client import task_queue
from db.reviews import UsageRepository
from domain.evaluation.cases import CaseError, Dataset, EvalCase
from domain.evaluation.judge import judge_prompt_version
from domain.evaluation.matching import MatchSettings, match_case
from domain.evaluation.report import CaseResult, build_report
from domain.evaluation.scored import scored_finding
from domain.evaluation.trees import PatchMismatch
from domain.findings import Finding
from domain.review.prompt import current_prompt_dir, prompt_version

NO_MODEL = "not configured (no LLM_API_KEY or LLM_API_BASE): the reviews ran without a model, analyzers and rules only"
REVIEW_TIMEOUT = timedelta(minutes=15)


@dataclass(frozen=True)
class EvalOptions:
    limit: int | None = None
    concurrency: int = 4
    match: MatchSettings = field(default_factory=MatchSettings)
    judge: LlmSettings | None = None  # the judge model's settings; None: location matching only


@dataclass
class CaseReview:
    case: EvalCase
    findings: list[Finding]
    notes: list[str]


async def run_evaluation(
    client: Client,
    pool: asyncpg.Pool,
    settings: Settings,
    dataset: Dataset,
    options: EvalOptions,
    display: ProgressDisplay,
) -> dict[str, Any]:
    """Review, match and score the dataset's cases (the first `limit`); the JSON report."""
    started = datetime.now(UTC)
    run_key = f"eval:{uuid.uuid4().hex[:12]}"
    cases = list(dataset.cases[: options.limit])
    reviews, errors = await _review_all(client, settings, cases, options.concurrency, display, dataset.name)
    results = await _match_all(reviews, options, UsageRepository(pool), run_key)
    scored = replace(dataset, cases=tuple(r.case for r in reviews), errors=dataset.errors + tuple(errors))
    usage = await UsageRepository(pool).totals_by_purpose(started, [_repository(c) for c in cases], run_key)
    run = _run_details(settings, options, reviews, started) | {"usage": {k: asdict(v) for k, v in usage.items()}}
    return build_report(scored, results, settings=options.match, judged=options.judge is not None, run=run)


async def _review_all(
    client: Client, settings: Settings, cases: list[EvalCase], concurrency: int, display: ProgressDisplay, name: str
) -> tuple[list[CaseReview], list[CaseError]]:
    slots = asyncio.Semaphore(max(1, concurrency))
    done: list[str] = []
    key = f"eval {name}"
    display.show(key, 0, len(cases), "starting")

    async def one(case: EvalCase) -> CaseReview | CaseError:
        async with slots:
            outcome = await _review_case(client, settings, case)
        done.append(case.case_id)
        display.show(key, len(done), len(cases), case.case_id)
        return outcome

    outcomes = await asyncio.gather(*(one(case) for case in cases))
    reviews = [o for o in outcomes if isinstance(o, CaseReview)]
    return reviews, [o for o in outcomes if isinstance(o, CaseError)]


async def _review_case(client: Client, settings: Settings, case: EvalCase) -> CaseReview | CaseError:
    with tempfile.TemporaryDirectory(prefix="pr-agent-eval-") as scratch:
        try:
            repo = await asyncio.to_thread(build_case_repository, case, Path(scratch) / "repo")
        except (PatchMismatch, GitError) as error:
            return CaseError(case.case_id, f"cannot build its repository: {error}")
        ref = PullRequestRef(
            repository=_repository(case),
            number=1,
            provider="local",
            local_path=str(repo.path),
            base_ref=repo.base_sha,
            head_ref=repo.head_sha,
        )
        try:
            result = await client.execute_workflow(
                REVIEW_PR,
                ReviewPullRequestInput(pr=ref, trigger="cli", force=True, full=True),
                id=review_workflow_id(ref.repository, ref.number),
                task_queue=task_queue(settings.temporal, "reviews"),
                result_type=ReviewResult,
                execution_timeout=REVIEW_TIMEOUT,
            )
        except WorkflowFailureError as error:
            return CaseError(case.case_id, f"the review failed: {innermost(error.cause)}")
    return CaseReview(case=case, findings=list(result.posted_findings), notes=_notes(result))


def _notes(result: ReviewResult) -> list[str]:
    notes = []
    if result.status != "posted":
        notes.append(f"review {result.status}: {result.skipped_reason or 'no reason recorded'}")
    if result.llm_skipped_reason:
        notes.append(f"LLM skipped: {result.llm_skipped_reason}")
    return notes


async def _match_all(
    reviews: list[CaseReview], options: EvalOptions, usage: UsageRepository, run_key: str
) -> list[CaseResult]:
    judge = ModelJudge(options.judge, usage, run_key) if options.judge is not None else None
    results = []
    for review in reviews:
        findings = [scored_finding(f) for f in review.findings]
        golden, notes = review.case.golden, list(review.notes)
        if judge is None:
            match = match_case(findings, golden, options.match)
        else:
            verdicts = await judge.judge_case(review.case.case_id, findings, golden, options.match)
            match = match_case(findings, golden, options.match, verdicts.judge())
            notes += verdicts.failures
        results.append(CaseResult(case=review.case, match=match, notes=tuple(notes)))
    return results


def _run_details(
    settings: Settings, options: EvalOptions, reviews: list[CaseReview], started: datetime
) -> dict[str, Any]:
    skipped = Counter(n.removeprefix("LLM skipped: ") for r in reviews for n in r.notes if n.startswith("LLM skipped"))
    configured = settings.llm.configured
    unlocated = sum(not g.located for r in reviews for g in r.case.golden)
    return {
        # Golden comments without a file and line (Martian's) can only be matched by a judge.
        "unlocated_golden": unlocated,
        "unlocated_note": "unmatchable without --judge-model" if unlocated and options.judge is None else None,
        "model": settings.llm.model if configured else None,
        "llm": ("used" if not skipped else f"skipped in {sum(skipped.values())} cases") if configured else NO_MODEL,
        "llm_skipped": dict(skipped),
        "review_prompt": prompt_version(current_prompt_dir()),
        "verification": (
            {"threshold": settings.llm.verify_threshold, "model": settings.llm.verify_model or settings.llm.model}
            if configured and settings.llm.verify
            else None
        ),
        "judge_model": options.judge.model if options.judge else None,
        "judge_prompt": judge_prompt_version() if options.judge else None,
        "limit": options.limit,
        "started_at": started.isoformat(timespec="seconds"),
        "duration_seconds": round((datetime.now(UTC) - started).total_seconds(), 1),
    }


def _repository(case: EvalCase) -> str:
    return f"eval/{case.case_id}"
