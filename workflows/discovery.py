"""DiscoverRepos and RegisterRepo: register an organisation's repositories, then index and
investigate the ones whose default-branch head is not yet covered.

RegisterRepo upserts one repository (so re-runs are harmless); archived repositories and forks
are registered and flagged, never indexed, and so are those the App stopped working on (removed
from the installation...) unless the registration gives them back (`reactivate`). IndexRepo and
InvestigateRepo are started as abandoned children (they outlive the registration), or signalled with
`new_commit` when already running.
DiscoverRepos runs one RegisterRepo child per repository, a few at a time.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import FailureError, WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from activities.discovery import DiscoveryActivities
    from contracts.common import DISCOVER_REPOS, REGISTER_REPO
    from contracts.discovery import (
        DiscoverReposInput,
        DiscoverReposResult,
        ListOrgReposInput,
        OrgRepository,
        RegisteredRepository,
        RegisterRepoInput,
        RegisterRepoResult,
        RegisterRepositoryInput,
    )
    from contracts.starts import WorkflowStart, main_branch_starts, register_repo_start
    from core.temporal.retries import GITHUB_RETRY
    from core.temporal.search_attributes import search_attributes

GITHUB_TIMEOUT = timedelta(minutes=5)
REGISTER_CONCURRENCY = 8


async def start_or_signal(plan: WorkflowStart, queue: str | None) -> str:
    """Start the plan as an abandoned child, or hand the running one the plan's signal (the new head)."""
    try:
        await workflow.start_child_workflow(
            plan.workflow,
            plan.input,
            id=plan.workflow_id,
            task_queue=queue,
            parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            search_attributes=search_attributes(plan),
        )
    except WorkflowAlreadyStartedError:
        if plan.signal is None:
            return plan.workflow_id  # nothing to hand over: the running one does the work
        try:
            await workflow.get_external_workflow_handle(plan.workflow_id).signal(plan.signal, plan.signal_arg)
        except FailureError:
            workflow.logger.info("%s finished before it could be signalled; the next push catches up", plan.workflow_id)
    return plan.workflow_id


@workflow.defn(name=REGISTER_REPO)
class RegisterRepoWorkflow:
    @workflow.run
    async def run(self, request: RegisterRepoInput) -> RegisterRepoResult:
        repo: RegisteredRepository = await workflow.execute_activity_method(
            DiscoveryActivities.register_repository,
            RegisterRepositoryInput(
                repository=request.repository, installation_id=request.installation_id, reactivate=request.reactivate
            ),
            start_to_close_timeout=GITHUB_TIMEOUT,
            retry_policy=GITHUB_RETRY,
        )
        result = RegisterRepoResult(
            repository=repo.repository,
            registered=True,
            newly_registered=repo.newly_registered,
            repo_type=repo.repo_type,
        )
        result.skipped_reason = _not_indexed_reason(repo)
        if result.skipped_reason is not None or repo.head_sha is None:
            return result
        index, investigate = main_branch_starts(
            repository=repo.repository,
            branch=repo.default_branch,
            commit_sha=repo.head_sha,
            clone_url=repo.clone_url,
            trigger=request.trigger,
            github_id=repo.github_id,
        )
        if repo.last_commit_sha != repo.head_sha:
            result.started.append(await start_or_signal(index, None))  # IndexRepo runs on this queue
        if request.investigate and repo.last_investigated_sha != repo.head_sha:
            result.started.append(await start_or_signal(investigate, repo.investigations_queue))
        return result


def _not_indexed_reason(repo: RegisteredRepository) -> str | None:
    if repo.inactive_reason is not None:
        return f"inactive: {repo.inactive_reason}"
    if repo.archived:
        return "archived"
    if repo.fork:
        return "fork"
    if repo.head_sha is None:
        return "empty repository"
    return None


@workflow.defn(name=DISCOVER_REPOS)
class DiscoverReposWorkflow:
    @workflow.run
    async def run(self, request: DiscoverReposInput) -> DiscoverReposResult:
        repos: list[OrgRepository] = await workflow.execute_activity_method(
            DiscoveryActivities.list_org_repositories,
            ListOrgReposInput(org=request.org),
            start_to_close_timeout=GITHUB_TIMEOUT,
            retry_policy=GITHUB_RETRY,
        )
        result = DiscoverReposResult(org=request.org, found=len(repos))
        plans = [register_repo_start(repository=r.full_name, trigger=request.trigger) for r in repos]
        for repo, outcome in zip(repos, await register_each(plans), strict=True):
            _tally(result, repo, outcome)
        return result


RegisterOutcome = RegisterRepoResult | BaseException | None


async def register_each(plans: list[WorkflowStart]) -> list[RegisterOutcome]:
    """Run RegisterRepo children for the plans, a few at a time; each outcome is the child's result,
    its failure, or None when a registration of that repository was already running (it does the work)."""
    outcomes: list[RegisterOutcome] = []
    for start in range(0, len(plans), REGISTER_CONCURRENCY):
        wave = plans[start : start + REGISTER_CONCURRENCY]
        outcomes.extend(await asyncio.gather(*(_register(plan) for plan in wave), return_exceptions=True))
    return outcomes


async def _register(plan: WorkflowStart) -> RegisterRepoResult | None:
    try:
        return await workflow.execute_child_workflow(
            RegisterRepoWorkflow.run,
            plan.input,
            id=plan.workflow_id,
            search_attributes=search_attributes(plan),
        )
    except WorkflowAlreadyStartedError:
        return None


def _tally(result: DiscoverReposResult, repo: OrgRepository, outcome: RegisterOutcome) -> None:
    if isinstance(outcome, BaseException):
        if not isinstance(outcome, FailureError):
            raise outcome  # a bug, not a failed child: fail the workflow visibly
        workflow.logger.warning("registering %s failed: %s", repo.full_name, outcome)
        result.failed.append(repo.full_name)
        return
    result.registered.append(repo.full_name)
    if outcome is None:
        return
    if outcome.newly_registered:
        result.newly_registered.append(outcome.repository)
    if outcome.skipped_reason in ("archived", "fork"):
        result.flagged.append(outcome.repository)
    result.started.extend(outcome.started)
