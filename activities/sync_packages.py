"""GitHub Packages (npm) → `internal_packages`: versions, the latest release, deprecation.

PyGithub has no packages API, so its requester calls the REST endpoints directly; client retries
are off (`make_github`), Temporal retries the activity. The REST API says nothing about npm's own
`deprecated` field, so a package counts as deprecated when GitHub no longer publishes it or its
source repository is archived.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import asyncpg
from github import Github, GithubException
from temporalio import activity
from temporalio.exceptions import ApplicationError

from clients.github import GithubNotConfigured, github_failure, make_github
from contracts.sync import SyncPackagesInput, SyncPackagesResult
from core.settings import Settings
from core.temporal.errors import PACKAGES_NOT_CONFIGURED
from db.packages import PackageRecord, PackageRepository

PER_PAGE = 100
GONE = "no longer published in GitHub Packages"


def npm_name(org: str, name: str) -> str:
    """The name package.json uses: GitHub's npm packages live in the owner's scope (`@acme/auth`)."""
    return name if name.startswith("@") else f"@{org.lower()}/{name}"


def github_name(name: str) -> str:
    """The name GitHub's REST API uses: without the scope."""
    return name.split("/", 1)[1] if name.startswith("@") and "/" in name else name


def latest_version(versions: list[str]) -> str | None:
    """The newest release (versions are newest first); a prerelease only when nothing else exists."""
    releases = [v for v in versions if "-" not in v]
    candidates = releases or versions
    return candidates[0] if candidates else None


def package_record(org: str, package: dict[str, Any], versions: list[str], announced: str | None) -> PackageRecord:
    """`announced` is a webhook's version: GitHub's listing may not show it yet, and the newest wins."""
    if announced and announced not in versions:
        versions = [announced, *versions]
    repository = package.get("repository") or {}
    archived = bool(repository.get("archived"))
    return PackageRecord(
        name=npm_name(org, str(package["name"])),
        latest_version=latest_version(versions),
        versions=versions,
        deprecated=archived,
        deprecation_message=f"its repository {repository.get('full_name')} is archived" if archived else None,
        repository=repository.get("full_name"),
    )


class GithubPackages:
    """The few GitHub Packages endpoints the sync reads (synchronous: call it in a thread)."""

    def __init__(self, github: Github, org: str) -> None:
        self._requester = github.requester
        self._base = f"/orgs/{quote(org)}/packages"

    def _pages(self, url: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        page = 1
        while True:
            _, data = self._requester.requestJsonAndCheck("GET", url, parameters={**parameters, "page": page})
            found.extend(data or [])
            if len(data or []) < PER_PAGE:
                return found
            page += 1

    def packages(self) -> list[dict[str, Any]]:
        return self._pages(self._base, {"package_type": "npm", "per_page": PER_PAGE})

    def get(self, name: str) -> dict[str, Any] | None:
        try:
            _, data = self._requester.requestJsonAndCheck("GET", f"{self._base}/npm/{quote(github_name(name), '')}")
        except GithubException as error:
            if error.status == 404:
                return None
            raise
        return dict(data)

    def versions(self, name: str) -> list[str]:
        url = f"{self._base}/npm/{quote(github_name(name), '')}/versions"
        return [str(v["name"]) for v in self._pages(url, {"per_page": PER_PAGE})]


class PackageSyncActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool) -> None:
        self._github = settings.github
        self._packages = PackageRepository(pool)

    def _registry(self, org: str) -> GithubPackages:
        try:
            return GithubPackages(make_github(self._github), org)
        except GithubNotConfigured as error:
            raise ApplicationError(str(error), type=PACKAGES_NOT_CONFIGURED, non_retryable=True) from None

    @activity.defn(name="sync_npm_packages")
    async def sync_npm_packages(self, request: SyncPackagesInput) -> SyncPackagesResult:
        """One package (a webhook's), or every npm package of the organisation (a full sync)."""
        org = request.org or self._github.org
        if not org:
            raise ApplicationError("set GITHUB_ORG (or name the org)", type=PACKAGES_NOT_CONFIGURED, non_retryable=True)
        try:
            if request.package:
                return await self._one(org, request.package, request.version)
            return await self._all(org)
        except GithubException as error:
            raise github_failure(error, f"cannot sync the npm packages of {org}") from None

    async def _one(self, org: str, name: str, announced: str | None) -> SyncPackagesResult:
        registry = self._registry(org)
        result = SyncPackagesResult(org=org)
        package = await asyncio.to_thread(registry.get, name)
        if package is None:
            gone = PackageRecord(npm_name(org, name), None, deprecated=True, deprecation_message=GONE)
            stored = await self._packages.get(gone.name)
            if stored is not None:
                gone = PackageRecord(stored.name, stored.latest_version, stored.versions, True, GONE, stored.repository)
            await self._packages.upsert(gone)
            result.deprecated.append(gone.name)
            return result
        versions = await asyncio.to_thread(registry.versions, name)
        await self._store(org, package, versions, announced, result)
        return result

    async def _all(self, org: str) -> SyncPackagesResult:
        registry = self._registry(org)
        result = SyncPackagesResult(org=org)
        listed = await asyncio.to_thread(registry.packages)
        for done, package in enumerate(listed, start=1):
            versions = await asyncio.to_thread(registry.versions, str(package["name"]))
            await self._store(org, package, versions, None, result)
            activity.heartbeat({"done": done, "total": len(listed)})
        # Only a complete listing may say what is gone: an exception above never reaches here.
        gone = await self._packages.deprecate_missing(f"@{org.lower()}/", result.synced, GONE)
        result.deprecated.extend(gone)
        return result

    async def _store(
        self, org: str, package: dict[str, Any], versions: list[str], announced: str | None, result: SyncPackagesResult
    ) -> None:
        record = package_record(org, package, versions, announced)
        await self._packages.upsert(record)
        result.synced.append(record.name)
        if record.deprecated:
            result.deprecated.append(record.name)
