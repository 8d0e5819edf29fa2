"""RenameRepo and UpdateRepoAccess: the App's life cycle, on the indexing queue.

RenameRepo (`rename:{github_id}`) is started by signal-with-start with each rename or transfer as
a `renamed` signal; it applies them one after another, in the order GitHub sent them, so two quick
renames end on the last name. IndexRepo runs already under way for the old name finish (their rows
follow the repository's id, and a former name resolves to the row); new work uses the new name.

UpdateRepoAccess (`access:{delivery id}`) applies one installation or repository event: it stops
the App's work on repositories (their data kept), flags them archived, or registers them (RegisterRepo
each, which indexes and investigates what it registers).
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import FailureError

with workflow.unsafe.imports_passed_through():
    from activities.lifecycle import LifecycleActivities
    from contracts.common import RENAME_REPO, UPDATE_REPO_ACCESS
    from contracts.lifecycle import (
        RENAMED_SIGNAL,
        RenameRepoInput,
        RenameRepoOutcome,
        RenameRepoResult,
        RepoRename,
        UpdateRepoAccessInput,
        UpdateRepoAccessResult,
    )
    from contracts.starts import register_repo_start
    from core.temporal.retries import LOCAL_RETRY
    from workflows.discovery import register_each

DATABASE_TIMEOUT = timedelta(minutes=2)


@workflow.defn(name=RENAME_REPO)
class RenameRepoWorkflow:
    def __init__(self) -> None:
        self._pending: list[RepoRename] = []

    @workflow.signal(name=RENAMED_SIGNAL)
    def renamed(self, rename: RepoRename) -> None:
        self._pending.append(rename)

    @workflow.run
    async def run(self, request: RenameRepoInput) -> RenameRepoResult:
        result = RenameRepoResult(github_id=request.github_id)
        while self._pending:  # a rename signalled while one is applied is applied next
            rename = self._pending.pop(0)
            outcome: RenameRepoOutcome = await workflow.execute_activity_method(
                LifecycleActivities.rename_repository,
                rename,
                start_to_close_timeout=DATABASE_TIMEOUT,
                retry_policy=LOCAL_RETRY,
            )
            result.renames.append(outcome)
        return result


@workflow.defn(name=UPDATE_REPO_ACCESS)
class UpdateRepoAccessWorkflow:
    @workflow.run
    async def run(self, request: UpdateRepoAccessInput) -> UpdateRepoAccessResult:
        names: list[str] = await workflow.execute_activity_method(
            LifecycleActivities.update_repository_access,
            request,
            start_to_close_timeout=DATABASE_TIMEOUT,
            retry_policy=LOCAL_RETRY,
        )
        result = UpdateRepoAccessResult(change=request.change, repositories=names)
        if request.change != "register":
            return result
        plans = [
            register_repo_start(
                repository=name,
                trigger=request.trigger,
                installation_id=request.installation_id,
                reactivate=request.reactivate,
            )
            for name in names
        ]
        for name, outcome in zip(names, await register_each(plans), strict=True):
            if isinstance(outcome, BaseException):
                if not isinstance(outcome, FailureError):
                    raise outcome  # a bug, not a failed registration: fail visibly
                workflow.logger.warning("registering %s failed: %s", name, outcome)
                result.failed.append(name)
            elif outcome is not None:
                result.started.extend(outcome.started)
        return result
