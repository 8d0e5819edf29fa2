"""Commenters' permissions on repositories, cached for a short while (see migrations/008_commands.sql)."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg


@dataclass(frozen=True)
class CachedPermission:
    permission: str
    role_name: str | None


class PermissionCache:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def get(self, repository: str, login: str, max_age_seconds: int) -> CachedPermission | None:
        """The stored permission when it was read within `max_age_seconds`, else None."""
        row = await self._pool.fetchrow(
            """SELECT permission, role_name FROM command_permissions
               WHERE repository = $1 AND login = $2 AND checked_at > now() - make_interval(secs => $3)""",
            repository,
            login.lower(),
            float(max_age_seconds),
        )
        return CachedPermission(row["permission"], row["role_name"]) if row else None

    async def put(self, repository: str, login: str, permission: str, role_name: str | None) -> None:
        await self._pool.execute(
            """INSERT INTO command_permissions (repository, login, permission, role_name) VALUES ($1, $2, $3, $4)
               ON CONFLICT (repository, login) DO UPDATE SET
                   permission = EXCLUDED.permission, role_name = EXCLUDED.role_name, checked_at = now()""",
            repository,
            login.lower(),
            permission,
            role_name,
        )
