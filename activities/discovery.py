"""DiscoverRepos' and RegisterRepo's activities: list an organisation's repositories, and register
one repository with its profile (languages, frameworks, datastores, type, monorepo layout).

The profile is read through the GitHub API without cloning: one recursive tree listing and the
contents of the manifests in it (package.json, composer.json, pyproject, go.mod, compose files...).
PyGithub is synchronous, so each call runs in a thread; it never retries (Temporal does).
"""

from __future__ import annotations

import asyncio

import asyncpg
from github import GithubException
from github.Repository import Repository
from temporalio import activity

from clients.github import GithubFactory, github_factory, github_failure
from contracts.discovery import ListOrgReposInput, OrgRepository, RegisteredRepository, RegisterRepositoryInput
from core.settings import Settings
from core.temporal.client import task_queue
from db.repositories import RepositoryFacts, RepositoryStore
from domain.chunking import excluded_path_reason
from domain.repo_profile import is_manifest, profile_repository

MAX_MANIFESTS = 40
MAX_MANIFEST_BYTES = 512 * 1024


def manifest_paths(paths: list[str]) -> list[str]:
    """The manifests worth reading, shallowest first (the root's describe the repository best)."""
    found = [p for p in paths if is_manifest(p) and excluded_path_reason(p) is None]
    return sorted(found, key=lambda p: (p.count("/"), p))[:MAX_MANIFESTS]


def remote_facts(repo: Repository) -> RepositoryFacts:
    """GitHub's metadata for a repository plus its profile, read through the API."""
    branch = repo.default_branch
    head = _head_sha(repo, branch)
    paths: list[str] = []
    sizes: dict[str, int] = {}
    if head is not None:
        tree = repo.get_git_tree(head, recursive=True)
        blobs = [element for element in tree.tree if element.type == "blob"]
        paths = [element.path for element in blobs]
        sizes = {element.path: element.size or 0 for element in blobs}
    manifests = {
        path: repo.get_contents(path, ref=head).decoded_content.decode("utf-8", "replace")  # type: ignore[union-attr]
        for path in manifest_paths(paths)
        if head is not None and sizes.get(path, 0) <= MAX_MANIFEST_BYTES
    }
    profile = profile_repository(paths, manifests)
    return RepositoryFacts(
        full_name=repo.full_name,
        default_branch=branch,
        clone_url=repo.clone_url,
        html_url=repo.html_url,
        description=repo.description,
        archived=repo.archived,
        fork=repo.fork,
        head_sha=head,
        primary_language=profile.primary_language or repo.language,
        languages=profile.languages,
        frameworks=profile.frameworks,
        databases=profile.databases,
        repo_type=profile.repo_type,
        is_monorepo=profile.repo_type == "monorepo" or len(profile.packages) > 1,
        packages=profile.packages,
        github_id=repo.id,
    )


def _head_sha(repo: Repository, branch: str) -> str | None:
    try:
        return str(repo.get_branch(branch).commit.sha)
    except GithubException as error:
        if error.status == 404:
            return None  # an empty repository has no branch yet
        raise


class DiscoveryActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, *, github: GithubFactory | None = None) -> None:
        self._settings = settings
        self._repositories = RepositoryStore(pool)
        self._github = github or github_factory(settings.github)

    @activity.defn(name="list_org_repositories")
    async def list_org_repositories(self, request: ListOrgReposInput) -> list[OrgRepository]:
        """Every repository of the organisation (archived and forks included, flagged)."""

        def listing() -> list[OrgRepository]:
            org = self._github(None).get_organization(request.org)
            return [
                OrgRepository(full_name=r.full_name, archived=r.archived, fork=r.fork)
                for r in org.get_repos(type="all")
            ]

        try:
            return await asyncio.to_thread(listing)
        except GithubException as error:
            raise github_failure(error, f"cannot list the repositories of {request.org}") from error

    @activity.defn(name="register_repository")
    async def register_repository(self, request: RegisterRepositoryInput) -> RegisteredRepository:
        """Profile one repository through the API and upsert it into `repositories` (GitHub answers
        with the repository's name of today: a stored row with its id under another name follows)."""
        try:
            facts = await asyncio.to_thread(
                lambda: remote_facts(self._github(request.repository).get_repo(request.repository))
            )
        except GithubException as error:
            raise github_failure(error, f"cannot read {request.repository}") from error
        record, created = await self._repositories.upsert(
            facts, installation_id=request.installation_id, reactivate=request.reactivate
        )
        return RegisteredRepository(
            repository=record.full_name,
            default_branch=record.default_branch,
            clone_url=record.clone_url,
            archived=record.archived,
            fork=record.fork,
            head_sha=record.head_sha,
            newly_registered=created,
            repo_type=record.repo_type,
            last_commit_sha=record.last_commit_sha,
            last_investigated_sha=record.last_investigated_sha,
            investigations_queue=task_queue(self._settings.temporal, "investigations"),
            github_id=record.github_id,
            inactive_reason=record.inactive_reason,
        )
