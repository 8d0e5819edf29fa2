"""Reconcile's activities: what to reconcile (settings and database), branch heads, inbox replay.

The workflow cannot read settings or the database itself; `plan_reconcile` hands it the
configuration-dependent facts (organisation, Jira projects, task-queue names) as plain data.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import asyncpg
from github import GithubException
from temporalio import activity

from clients.github import GithubNotConfigured, make_github
from contracts.common import QUEUE_KINDS
from contracts.reconcile import ReconcileInput, ReconcilePlan, ReplayInput, ReplayResult, RepoHead, RepoHeads
from core.settings import Settings
from core.temporal.client import task_queue
from db.jira_sync import JiraSyncState
from db.repositories import RepositoryRecord, RepositoryStore


class IndexState(Protocol):
    """What `compare_head` reads of a repository's row (a RepositoryRecord has it all)."""

    @property
    def full_name(self) -> str: ...
    @property
    def default_branch(self) -> str: ...
    @property
    def clone_url(self) -> str | None: ...
    @property
    def last_commit_sha(self) -> str | None: ...
    @property
    def last_investigated_sha(self) -> str | None: ...


def compare_head(record: IndexState, head_sha: str | None) -> RepoHead:
    """What a repository needs: an index or investigation is stale when the head moved past it."""
    head = RepoHead(
        repository=record.full_name, branch=record.default_branch, head_sha=head_sha, clone_url=record.clone_url
    )
    if head_sha is None:
        head.reason = "default-branch head unknown"
        return head
    head.reindex = head_sha != record.last_commit_sha
    head.reinvestigate = head_sha != record.last_investigated_sha
    if not (head.reindex or head.reinvestigate):
        head.reason = "up to date"
    return head


class ReconcileActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool) -> None:
        self._settings = settings
        self._pool = pool
        self._repositories = RepositoryStore(pool)

    @activity.defn(name="plan_reconcile")
    async def plan_reconcile(self, request: ReconcileInput) -> ReconcilePlan:
        settings = self._settings
        plan = ReconcilePlan(queues={kind: task_queue(settings.temporal, kind) for kind in QUEUE_KINDS})
        plan.org = settings.github.org
        if not plan.org and (request.repositories or request.packages):
            plan.notes.append("discovery and packages: GITHUB_ORG is not set")
        if not request.jira:
            return plan
        if not settings.jira.configured:
            plan.notes.append("jira: JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN are not set")
            return plan
        plan.jira_projects = await JiraSyncState(self._pool).known_projects()
        if not plan.jira_projects:
            plan.notes.append("jira: no project synced yet (run `pr-agent sync-jira --projects KEY`)")
        return plan

    @activity.defn(name="check_repository_heads")
    async def check_repository_heads(self, request: ReconcileInput) -> RepoHeads:
        """Every indexable repository's default-branch head, from GitHub when it is configured (else
        the head discovery stored), against what was last indexed and investigated."""
        records = await self._repositories.list(indexable_only=True)
        result = RepoHeads()
        for done, record in enumerate(records, start=1):
            result.heads.append(compare_head(record, await self._head(record)))
            activity.heartbeat({"done": done, "total": len(records)})
        return result

    async def _head(self, record: RepositoryRecord) -> str | None:
        try:
            return await asyncio.to_thread(self._github_head, record)
        except GithubNotConfigured:
            return record.head_sha
        except GithubException as error:
            if error.status in (404, 409):  # gone, renamed away, or empty: nothing to index
                return None
            raise

    def _github_head(self, record: RepositoryRecord) -> str:
        github = make_github(self._settings.github, record.full_name)
        branch = github.get_repo(record.full_name).get_branch(record.default_branch)
        return str(branch.commit.sha)

    @activity.defn(name="replay_deliveries")
    async def replay_deliveries(self, request: ReplayInput) -> ReplayResult:
        """Start every webhook delivery that was accepted but never started (the inbox's safety net)."""
        from core.temporal.client import TemporalGateway
        from intake.webhooks import replay_open_deliveries

        settings = self._settings
        gateway = TemporalGateway(settings, activity.client())
        report = await replay_open_deliveries(self._pool, gateway, settings, request.grace_seconds)
        return ReplayResult(started=report.started, still_pending=report.still_pending, failed=report.failed)
