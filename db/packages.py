"""Internal npm packages (`internal_packages`), read by ReviewPR's npm analyzer."""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

_COLUMNS = "name, ecosystem, latest_version, versions, deprecated, deprecation_message, repository"


@dataclass(frozen=True)
class PackageRecord:
    """One package as the registry knows it now. `name` is what package.json uses (`@acme/auth`)."""

    name: str
    latest_version: str | None
    versions: list[str] = field(default_factory=list)  # newest first
    deprecated: bool = False
    deprecation_message: str | None = None
    repository: str | None = None
    ecosystem: str = "npm"


def _record(row: asyncpg.Record) -> PackageRecord:
    return PackageRecord(
        name=row["name"],
        latest_version=row["latest_version"],
        versions=list(row["versions"] or []),
        deprecated=row["deprecated"],
        deprecation_message=row["deprecation_message"],
        repository=row["repository"],
        ecosystem=row["ecosystem"],
    )


class PackageRepository:
    """Upserts are whole-state replacements: the registry's answer is the truth, so a repeat is harmless."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def get(self, name: str, ecosystem: str = "npm") -> PackageRecord | None:
        row = await self._pool.fetchrow(
            f"SELECT {_COLUMNS} FROM internal_packages WHERE ecosystem = $1 AND name = $2", ecosystem, name
        )
        return _record(row) if row else None

    async def all(self, ecosystem: str = "npm") -> list[PackageRecord]:
        rows = await self._pool.fetch(
            f"SELECT {_COLUMNS} FROM internal_packages WHERE ecosystem = $1 ORDER BY name", ecosystem
        )
        return [_record(row) for row in rows]

    async def upsert(self, package: PackageRecord) -> None:
        await self._pool.execute(
            f"""INSERT INTO internal_packages ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (ecosystem, name) DO UPDATE SET
                    latest_version = EXCLUDED.latest_version, versions = EXCLUDED.versions,
                    deprecated = EXCLUDED.deprecated, deprecation_message = EXCLUDED.deprecation_message,
                    repository = coalesce(EXCLUDED.repository, internal_packages.repository), updated_at = now()""",
            package.name,
            package.ecosystem,
            package.latest_version,
            package.versions,
            package.deprecated,
            package.deprecation_message,
            package.repository,
        )

    async def deprecate_missing(self, scope: str, present: list[str], message: str) -> list[str]:
        """Flag packages of `scope` (`@acme/`) that the registry no longer lists; returns their names."""
        rows = await self._pool.fetch(
            """UPDATE internal_packages SET deprecated = true, deprecation_message = $3, updated_at = now()
               WHERE ecosystem = 'npm' AND starts_with(name, $1) AND NOT (name = ANY($2::text[])) AND NOT deprecated
               RETURNING name""",
            scope,
            present,
            message,
        )
        return sorted(row["name"] for row in rows)
