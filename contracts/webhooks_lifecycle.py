"""Routing of the App's life-cycle events: `installation`, `installation_repositories`, `repository`.

Repositories given to the App are registered (and indexed and investigated); those taken from it,
deleted or archived are no longer worked on, with their stored data kept; a renamed or transferred
repository keeps its row, index and history under the new name (RenameRepo, by GitHub's id).
Every action is decided here, and an action that needs no work is ignored with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from contracts.lifecycle import RepoRef, RepoRename, UpdateRepoAccessInput
from contracts.routing import InvalidPayload, Routed, RoutingConfig, parse
from contracts.starts import WorkflowStart, register_repo_start, rename_repo_start, update_repo_access_start
from domain.webhooks.events import (
    InstallationEvent,
    InstallationRepositoriesEvent,
    InstalledRepo,
    RepositoryEvent,
)

# The answer of a repository action: the start it plans, or why it needs none.
_Decision = WorkflowStart | str


def route_installation(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    event = parse(InstallationEvent, payload)
    routed = Routed(action=event.action, repository=_only(event.repositories or []))
    request = _installation_change(event.action, event.installation.id, _refs(event.repositories or []))
    if request is None:
        routed.ignored_reason = f"installation action {event.action!r} needs no work"
    elif not request.repositories and not request.whole_installation:
        routed.ignored_reason = f"installation {event.action} lists no repositories"
    else:
        routed.starts.append(update_repo_access_start(key=delivery_id, request=request))
    return routed


def _installation_change(action: str, installation_id: int, repos: list[RepoRef]) -> UpdateRepoAccessInput | None:
    """created: its repositories are given to the App. unsuspend: given back. new_permissions_accepted:
    registered again (the App may read more now), without bringing back what was stopped.
    suspend / deleted: the App stops working on every repository of the installation."""
    if action == "created":
        return UpdateRepoAccessInput(
            change="register", repositories=repos, installation_id=installation_id, reactivate=True
        )
    if action in ("unsuspend", "new_permissions_accepted"):
        return UpdateRepoAccessInput(
            change="register",
            repositories=repos,
            installation_id=installation_id,
            whole_installation=True,
            reactivate=action == "unsuspend",
        )
    if action in ("suspend", "deleted"):
        suspended = action == "suspend"
        return UpdateRepoAccessInput(
            change="deactivate",
            repositories=repos,
            installation_id=installation_id,
            whole_installation=True,
            detach=not suspended,
            reason=f"the GitHub App installation {installation_id} is suspended"
            if suspended
            else f"the GitHub App was uninstalled (installation {installation_id})",
        )
    return None


def route_installation_repositories(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    event = parse(InstallationRepositoriesEvent, payload)
    installation_id = event.installation.id
    routed = Routed(action=event.action)
    if event.action == "added":
        listed = event.repositories_added
        request = UpdateRepoAccessInput(
            change="register", repositories=_refs(listed), installation_id=installation_id, reactivate=True
        )
    elif event.action == "removed":
        listed = event.repositories_removed
        request = UpdateRepoAccessInput(
            change="deactivate",
            repositories=_refs(listed),
            installation_id=installation_id,
            detach=True,
            reason=f"removed from the GitHub App installation {installation_id}",
        )
    else:
        routed.ignored_reason = f"installation_repositories action {event.action!r} needs no work"
        return routed
    routed.repository = _only(listed)
    if not listed:
        routed.ignored_reason = f"installation_repositories {event.action} lists no repositories"
    else:
        routed.starts.append(update_repo_access_start(key=delivery_id, request=request))
    return routed


def route_repository(payload: Any, config: RoutingConfig, delivery_id: str) -> Routed:
    event = parse(RepositoryEvent, payload)
    routed = Routed(action=event.action, repository=event.repository.full_name)
    decide = _REPOSITORY_ACTIONS.get(event.action)
    decision = decide(event, delivery_id) if decide else f"repository action {event.action!r} needs no work"
    if isinstance(decision, str):
        routed.ignored_reason = decision
    else:
        routed.starts.append(decision)
    return routed


def _register(event: RepositoryEvent, delivery_id: str) -> _Decision:
    """created, unarchived: (re)registered from GitHub's answer, then indexed and investigated."""
    return register_repo_start(repository=event.repository.full_name, trigger="webhook")


def _archived(event: RepositoryEvent, delivery_id: str) -> _Decision:
    request = UpdateRepoAccessInput(change="archive", repositories=[_ref(event)])
    return update_repo_access_start(key=delivery_id, request=request)


def _deleted(event: RepositoryEvent, delivery_id: str) -> _Decision:
    request = UpdateRepoAccessInput(
        change="deactivate", repositories=[_ref(event)], detach=True, reason="deleted on GitHub"
    )
    return update_repo_access_start(key=delivery_id, request=request)


def _renamed(event: RepositoryEvent, delivery_id: str) -> _Decision:
    change = event.changes.repository if event.changes else None
    if change is None:
        raise InvalidPayload("not a valid RepositoryEvent payload: changes.repository.name.from: required for renamed")
    owner = event.repository.full_name.split("/", 1)[0]
    return _rename(event, f"{owner}/{change.name.before}")


def _transferred(event: RepositoryEvent, delivery_id: str) -> _Decision:
    before = event.changes.owner.before if event.changes and event.changes.owner else None
    account = (before.organization or before.user) if before is not None else None
    if account is None:
        raise InvalidPayload("not a valid RepositoryEvent payload: changes.owner.from: required for transferred")
    name = event.repository.full_name.split("/", 1)[1]
    return _rename(event, f"{account.login}/{name}")


def _rename(event: RepositoryEvent, old_full_name: str) -> _Decision:
    repo = event.repository
    if repo.id is None:
        raise InvalidPayload(f"not a valid RepositoryEvent payload: repository.id: required for {event.action}")
    if old_full_name == repo.full_name:
        return f"repository {event.action} to the name it already had"
    rename = RepoRename(
        github_id=repo.id,
        old_full_name=old_full_name,
        new_full_name=repo.full_name,
        clone_url=repo.clone_url,
        html_url=repo.html_url,
    )
    return rename_repo_start(rename=rename, trigger="webhook")


def _edited(event: RepositoryEvent, delivery_id: str) -> _Decision:
    if event.changes is not None and event.changes.default_branch is not None:
        return _register(event, delivery_id)  # stores the new default branch and indexes its head
    return "repository edit needs no work (only a new default branch does)"


def _visibility(event: RepositoryEvent, delivery_id: str) -> _Decision:
    return f"repository {event.action}: the App's access and the stored data stay as they are"


_REPOSITORY_ACTIONS: dict[str, Callable[[RepositoryEvent, str], _Decision]] = {
    "created": _register,
    "unarchived": _register,
    "archived": _archived,
    "deleted": _deleted,
    "renamed": _renamed,
    "transferred": _transferred,
    "edited": _edited,
    "privatized": _visibility,
    "publicized": _visibility,
}


def _ref(event: RepositoryEvent) -> RepoRef:
    return RepoRef(full_name=event.repository.full_name, github_id=event.repository.id)


def _refs(repos: list[InstalledRepo]) -> list[RepoRef]:
    return [RepoRef(full_name=r.full_name, github_id=r.id) for r in repos]


def _only(repos: list[InstalledRepo]) -> str | None:
    return repos[0].full_name if len(repos) == 1 else None
