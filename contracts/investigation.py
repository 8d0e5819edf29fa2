"""InvestigateRepo's and InvestigateRepos' contracts: workflow ids, inputs, results, progress, and the
payloads between the workflows, their activities and the CLI.

Like every workflow payload they are references and small figures (ids, commits, step ids,
token counts), never file contents, answers or settings: those stay in the database and the
clone, so event histories stay small and hold nothing secret. Fields are only ever added, with
defaults, so old histories still replay.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from contracts.common import Trigger

StepStatus = Literal["answered", "reused"]
InvestigationStatus = Literal["investigated", "reused", "partial", "deterministic-only"]
RepoRunStatus = Literal["investigated", "reused", "partial", "deterministic-only", "already-running", "failed"]
Phase = Literal["starting", "preparing", "running", "finishing", "done"]

# Skip reasons the workflow writes into the document and the structured form.
SKIP_NO_LLM = "no LLM is configured (set LLM_MODEL and LLM_API_KEY or LLM_API_BASE)"
SKIP_PROVIDER_DOWN = "the LLM provider kept failing, so the remaining steps were not asked"


def investigate_workflow_id(repository: str, branch: str) -> str:
    """One investigation per repository branch, so a second start finds the first."""
    return f"investigate:{repository}@{branch}"


def investigate_all_workflow_id(repositories: list[str]) -> str:
    """One fan-out per set of repositories: a second start of the same set finds the running one."""
    if not repositories:
        return "investigate-all"
    digest = hashlib.sha256("\n".join(sorted(set(repositories))).encode()).hexdigest()[:12]
    return f"investigate-repos:{digest}"


@dataclass(kw_only=True)
class InvestigateRepoInput:
    repository: str
    branch: str
    commit_sha: str | None = None
    force: bool = False
    trigger: Trigger = "webhook"
    clone_url: str | None = None
    # Carried across continue-as-new so a long investigation keeps its place and totals.
    steps_done: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class InvestigateReposInput:
    repositories: list[str] = field(default_factory=list)  # empty: every registered repository
    concurrency: int = 4
    force: bool = False
    trigger: Trigger = "admin"


@dataclass(kw_only=True)
class StepPlan:
    """One step as the workflow schedules it: `fingerprint` keys its checkpoint."""

    id: str
    title: str
    fingerprint: str
    needs: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class PrepareInvestigationInput:
    repository: str
    branch: str
    commit_sha: str | None = None
    clone_url: str | None = None
    force: bool = False


@dataclass(kw_only=True)
class InvestigationPlan:
    """What prepare_investigation decided; timings come from configuration, so they are recorded."""

    repository: str
    branch: str
    commit_sha: str
    clone_url: str
    repo_type: str
    subtype: str | None
    type_source: str  # detected | repository-table | repository-file
    prompt_set: str
    prompt_set_version: str
    model: str
    llm_enabled: bool
    steps: list[StepPlan]
    reusable: bool  # a complete document for this commit, prompt-set version and model exists
    step_timeout_seconds: float = 300.0
    heartbeat_seconds: float = 20.0
    steps_per_run: int = 10


@dataclass(kw_only=True)
class RunStepInput:
    repository: str
    commit_sha: str
    clone_url: str
    prompt_set: str
    step_id: str
    fingerprint: str
    force: bool = False


@dataclass(kw_only=True)
class StepOutcome:
    step_id: str
    status: StepStatus
    model: str
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    missing_sections: list[str] = field(default_factory=list)
    unverified_claims: int = 0  # claims the answer made without (valid) evidence, marked as such


@dataclass(kw_only=True)
class FinishInvestigationInput:
    repository: str
    branch: str
    commit_sha: str
    clone_url: str
    prompt_set: str
    repo_type: str
    subtype: str | None = None
    type_source: str = "detected"
    skipped: dict[str, str] = field(default_factory=dict)  # step id → reason


@dataclass(kw_only=True)
class FinishInvestigationResult:
    analysis_id: int
    document_chars: int
    steps_answered: int
    steps_skipped: int


@dataclass(kw_only=True)
class InvestigationProgress:
    """The `progress` query of InvestigateRepo (totals cover every run of this investigation)."""

    repository: str
    commit_sha: str | None = None
    phase: Phase = "starting"
    prompt_set: str | None = None
    steps_total: int = 0
    steps_done: int = 0
    current_step: str | None = None
    steps_reused: int = 0
    steps_skipped: int = 0
    llm_calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    pending_commit: str | None = None


@dataclass(kw_only=True)
class InvestigateRepoResult:
    repository: str
    commit_sha: str
    status: InvestigationStatus
    prompt_set: str
    prompt_set_version: str
    model: str
    repo_type: str
    steps_total: int
    steps_answered: int = 0
    steps_reused: int = 0
    steps_skipped: int = 0
    llm_calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0


# --- fan-out ----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class ListTargetsInput:
    repositories: list[str] = field(default_factory=list)  # empty: every registered repository


@dataclass(kw_only=True)
class RepoTarget:
    repository: str
    branch: str
    clone_url: str | None = None


@dataclass(kw_only=True)
class RepoReport:
    repository: str
    status: RepoRunStatus
    seconds: float
    commit_sha: str | None = None
    llm_calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    error: str | None = None


@dataclass(kw_only=True)
class InvestigateReposResult:
    reports: list[RepoReport]
    seconds: float

    @property
    def failed(self) -> list[RepoReport]:
        return [r for r in self.reports if r.status == "failed"]


@dataclass(kw_only=True)
class FanoutProgress:
    """The `progress` query of InvestigateRepos."""

    total: int = 0
    done: int = 0
    failed: int = 0
    running: list[str] = field(default_factory=list)  # repositories
    phase: Phase = "starting"
    running_workflows: list[str] = field(default_factory=list)  # their child workflow ids
