"""Reconcile's contracts: its input and report, and the payloads between it and its activities.

The workflow cannot read settings or the database itself; `plan_reconcile` hands it the
configuration-dependent facts (organisation, Jira projects, task-queue names) as a ReconcilePlan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.common import Trigger

# A 'received' delivery younger than this may still be in the hands of the API request that
# recorded it; replaying it too would only race that request.
REPLAY_GRACE_SECONDS = 120.0


@dataclass(kw_only=True)
class ReconcileInput:
    repositories: bool = True
    jira: bool = True
    packages: bool = True
    replay_deliveries: bool = True
    feedback: bool = True  # re-read the reactions on recent inline comments (GitHub sends no webhook for them)
    concurrency: int = 4
    trigger: Trigger = "schedule"


@dataclass(kw_only=True)
class ReconcileReport:
    """Repositories checked; workflow ids started (or signalled); what was skipped and what failed, with why."""

    checked: list[str] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)  # reactions read, rules muted


@dataclass(kw_only=True)
class ReconcilePlan:
    queues: dict[str, str]  # queue kind → task-queue name
    org: str | None = None
    jira_projects: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # parts skipped for want of configuration


@dataclass(kw_only=True)
class RepoHead:
    repository: str
    branch: str
    head_sha: str | None
    clone_url: str | None = None
    reindex: bool = False
    reinvestigate: bool = False
    reason: str | None = None  # why nothing is started for it

    @property
    def label(self) -> str:
        return f"{self.repository}@{self.branch}"


@dataclass(kw_only=True)
class RepoHeads:
    heads: list[RepoHead] = field(default_factory=list)


@dataclass(kw_only=True)
class ReplayInput:
    grace_seconds: float = REPLAY_GRACE_SECONDS


@dataclass(kw_only=True)
class ReplayResult:
    started: list[str] = field(default_factory=list)
    still_pending: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
