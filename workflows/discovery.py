"""DiscoverRepos and RegisterRepo: register an organisation's repositories, then index and
investigate the ones whose default-branch head is not yet covered.

RegisterRepo upserts one repository (so re-runs are harmless); archived repositories and forks
are registered and flagged, never indexed. IndexRepo and InvestigateRepo are started as abandoned
children (they outlive the registration), or signalled with `new_commit` when already running.
DiscoverRepos runs one RegisterRepo child per repository, a few at a time.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey, SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import FailureError, WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from activities.discovery import DiscoveryActivities
    from contracts.common import (
        DISCOVER_REPOS,
        INDEX_REPO,
        INVESTIGATE_REPO,
        REGISTER_REPO,
        SEARCH_ATTRIBUTE_REPO,
        SEARCH_ATTRIBUTE_TRIGGER,
        DiscoverReposInput,
        IndexRepoInput,
        InvestigateRepoInput,
        NewCommit,
        RegisterRepoInput,
        index_workflow_id,
        investigate_workflow_id,
        register_workflow_id,
    )
    from contracts.indexing import (
        DiscoverReposResult,
        ListOrgReposInput,
        OrgRepository,
        RegisteredRepository,
        RegisterRepoResult,
        RegisterRepositoryInput,
    )

GITHUB_TIMEOUT = timedelta(minutes=5)
GITHUB_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=2),
    maximum_attempts=6,
)
REGISTER_CONCURRENCY = 8


def _search_attributes(repository: str, trigger: str) -> TypedSearchAttributes:
    return TypedSearchAttributes(
        [
            SearchAttributePair(SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_REPO), repository),
            SearchAttributePair(SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_TRIGGER), trigger),
        ]
    )


async def start_or_signal(
    name: str, workflow_id: str, arg: Any, head_sha: str, repository: str, trigger: str, queue: str | None
) -> str:
    """Start `name` as an abandoned child, or signal the running one with the new head."""
    try:
        await workflow.start_child_workflow(
            name,
            arg,
            id=workflow_id,
            task_queue=queue,
            parent_close_policy=workflow.ParentClosePolicy.ABANDON,
            search_attributes=_search_attributes(repository, trigger),
        )
    except WorkflowAlreadyStartedError:
        try:
            await workflow.get_external_workflow_handle(workflow_id).signal("new_commit", NewCommit(head_sha))
        except FailureError:
            workflow.logger.info("%s finished before it could be signalled; the next push catches up", workflow_id)
    return workflow_id


@workflow.defn(name=REGISTER_REPO)
class RegisterRepoWorkflow:
    @workflow.run
    async def run(self, request: RegisterRepoInput) -> RegisterRepoResult:
        repo: RegisteredRepository = await workflow.execute_activity_method(
            DiscoveryActivities.register_repository,
            RegisterRepositoryInput(request.repository),
            start_to_close_timeout=GITHUB_TIMEOUT,
            retry_policy=GITHUB_RETRY,
        )
        result = RegisterRepoResult(repo.repository, True, repo.newly_registered, repo.repo_type)
        result.skipped_reason = _not_indexed_reason(repo)
        if result.skipped_reason is not None or repo.head_sha is None:
            return result
        name, branch, head, url = repo.repository, repo.default_branch, repo.head_sha, repo.clone_url
        common = (head, name, request.trigger)
        if repo.last_commit_sha != head:
            arg = IndexRepoInput(name, branch, head, False, request.trigger, url)
            result.started.append(
                await start_or_signal(INDEX_REPO, index_workflow_id(name, branch), arg, *common, None)
            )
        if request.investigate and repo.last_investigated_sha != head:
            job = InvestigateRepoInput(name, branch, head, False, request.trigger, url)
            workflow_id = investigate_workflow_id(name, branch)
            queue = repo.investigations_queue
            result.started.append(await start_or_signal(INVESTIGATE_REPO, workflow_id, job, *common, queue))
        return result


def _not_indexed_reason(repo: RegisteredRepository) -> str | None:
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
            ListOrgReposInput(request.org),
            start_to_close_timeout=GITHUB_TIMEOUT,
            retry_policy=GITHUB_RETRY,
        )
        result = DiscoverReposResult(request.org, found=len(repos))
        for start in range(0, len(repos), REGISTER_CONCURRENCY):
            wave = repos[start : start + REGISTER_CONCURRENCY]
            outcomes = await asyncio.gather(*(self._register(r, request) for r in wave), return_exceptions=True)
            for repo, outcome in zip(wave, outcomes, strict=True):
                _tally(result, repo, outcome)
        return result

    async def _register(self, repo: OrgRepository, request: DiscoverReposInput) -> RegisterRepoResult | None:
        try:
            return await workflow.execute_child_workflow(
                RegisterRepoWorkflow.run,
                RegisterRepoInput(repo.full_name, investigate=True, trigger=request.trigger),
                id=register_workflow_id(repo.full_name),
                search_attributes=_search_attributes(repo.full_name, request.trigger),
            )
        except WorkflowAlreadyStartedError:
            return None  # a registration of this repository is already running; it does the work


def _tally(
    result: DiscoverReposResult, repo: OrgRepository, outcome: RegisterRepoResult | BaseException | None
) -> None:
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
