"""RenameRepo's and UpdateRepoAccess's activities: the database side of the App's life cycle.

Both are idempotent: a rename already applied (or overtaken by a later one) changes nothing, and
deactivating or archiving twice leaves the same rows. Nothing talks to GitHub here: the events say
what changed, and registration (RegisterRepo) reads GitHub when a repository is given to the App.
"""

from __future__ import annotations

import asyncpg
from temporalio import activity
from temporalio.exceptions import ApplicationError

from contracts.lifecycle import RenameRepoOutcome, RepoRename, UpdateRepoAccessInput
from core.settings import Settings
from core.temporal.errors import REPOSITORY_NAME_TAKEN
from db.repository_access import RepositoryAccessStore
from db.repository_names import NameTaken, rename_repository


class LifecycleActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool) -> None:
        self._settings = settings
        self._pool = pool
        self._access = RepositoryAccessStore(pool)

    @activity.defn(name="rename_repository")
    async def rename_repository(self, rename: RepoRename) -> RenameRepoOutcome:
        """Move the repository and every row naming it to the new name, in one transaction."""
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                outcome = await rename_repository(
                    conn,
                    github_id=rename.github_id,
                    old=rename.old_full_name,
                    new=rename.new_full_name,
                    clone_url=rename.clone_url,
                    html_url=rename.html_url,
                )
        except NameTaken as error:
            raise ApplicationError(str(error), type=REPOSITORY_NAME_TAKEN) from error
        activity.logger.info(
            "rename %s -> %s: %s, rows moved %s",
            rename.old_full_name,
            rename.new_full_name,
            outcome.status,
            outcome.moved,
        )
        return RenameRepoOutcome(
            old_full_name=rename.old_full_name,
            new_full_name=rename.new_full_name,
            status=outcome.status,
            moved=outcome.moved,
            merged_duplicate=outcome.merged_duplicate,
        )

    @activity.defn(name="update_repository_access")
    async def update_repository_access(self, request: UpdateRepoAccessInput) -> list[str]:
        """Deactivate or archive the repositories (the names changed), or, to register, list them:
        those named and, for a whole installation, every stored one of it."""
        installation = request.installation_id if request.whole_installation else None
        if request.change == "deactivate":
            reason = request.reason or "no longer given to the App"
            return await self._access.deactivate(request.repositories, installation, reason, detach=request.detach)
        if request.change == "archive":
            return await self._access.archive(request.repositories)
        named = [r.full_name for r in request.repositories]
        stored = await self._access.of_installation(installation) if installation is not None else []
        return list(dict.fromkeys(named + stored))
