"""Synthetic webhook payloads for the App's life cycle (made up for the tests; not real deliveries).

They follow the shapes GitHub documents (octokit/webhooks payload examples for `installation`,
`installation_repositories` and `repository`): installation events carry `installation` (id,
account, repository_selection...) and lists of {id, node_id, name, full_name, private};
`repository` events are the real `repository created` fixture with its repository swapped and the
action's `changes` added; pull_request and push payloads are the real octokit fixtures with their
repository swapped.
"""

from __future__ import annotations

import copy
import zlib
from collections.abc import Sequence
from typing import Any

from tests.support.fixtures import fixture_json

_REPOSITORY_CREATED = "github/octokit-webhooks__repository_created.payload.json"
_PULL_REQUEST_OPENED = "github/octokit-webhooks__pull_request_opened.payload.json"
_PUSH_NEW_BRANCH = "github/octokit-webhooks__push_with-new-branch.payload.json"


def _account(login: str, kind: str = "Organization") -> dict[str, Any]:
    return {
        "login": login,
        "id": zlib.crc32(login.encode()),
        "node_id": f"O_{login}",
        "type": kind,
        "site_admin": False,
    }


def _installation(installation_id: int, account: str, selection: str) -> dict[str, Any]:
    return {
        "id": installation_id,
        "account": _account(account),
        "repository_selection": selection,
        "access_tokens_url": f"https://api.github.com/app/installations/{installation_id}/access_tokens",
        "repositories_url": "https://api.github.com/installation/repositories",
        "html_url": f"https://github.com/organizations/{account}/settings/installations/{installation_id}",
        "app_id": 424242,
        "target_id": 1,
        "target_type": "Organization",
        "permissions": {"contents": "read", "metadata": "read", "pull_requests": "write", "issues": "write"},
        "events": ["pull_request", "push", "issue_comment", "repository"],
        "created_at": "2025-03-01T10:00:00.000Z",
        "updated_at": "2025-03-01T10:00:00.000Z",
        "single_file_name": None,
        "suspended_at": None,
        "suspended_by": None,
    }


def listed(repositories: Sequence[tuple[int, str]]) -> list[dict[str, Any]]:
    """Repositories as installation events list them: (GitHub id, full name) pairs."""
    return [
        {"id": gid, "node_id": f"R_{gid}", "name": name.split("/", 1)[1], "full_name": name, "private": True}
        for gid, name in repositories
    ]


def installation_event(
    action: str, installation_id: int, account: str, repositories: list[tuple[int, str]] | None = None
) -> dict[str, Any]:
    """`installation` (created, deleted, suspend, unsuspend, new_permissions_accepted); `repositories`
    None leaves the list out, as GitHub does for suspend and unsuspend."""
    payload: dict[str, Any] = {
        "action": action,
        "installation": _installation(installation_id, account, "selected"),
        "sender": _account("synthetic-admin", "User"),
    }
    if repositories is not None:
        payload["repositories"] = listed(repositories)
    return payload


def installation_repositories_event(
    action: str,
    installation_id: int,
    account: str,
    *,
    added: Sequence[tuple[int, str]] = (),
    removed: Sequence[tuple[int, str]] = (),
) -> dict[str, Any]:
    return {
        "action": action,
        "installation": _installation(installation_id, account, "selected"),
        "repository_selection": "selected",
        "repositories_added": listed(added),
        "repositories_removed": listed(removed),
        "requester": None,
        "sender": _account("synthetic-admin", "User"),
    }


def with_repository(payload: dict[str, Any], github_id: int, full_name: str, **fields: Any) -> dict[str, Any]:
    """A copy of `payload` whose repository is `full_name` (GitHub id `github_id`), URLs included."""
    payload = copy.deepcopy(payload)
    repo = payload["repository"]
    old_name = repo["full_name"]
    for key, value in list(repo.items()):
        if isinstance(value, str) and old_name in value:
            repo[key] = value.replace(old_name, full_name)
    owner, name = full_name.split("/", 1)
    repo.update(id=github_id, node_id=f"R_{github_id}", name=name, full_name=full_name)
    repo["owner"] = {**repo["owner"], "login": owner}
    repo.update(fields)
    return payload


def repository_event(
    action: str, github_id: int, full_name: str, changes: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """`repository` with `action` (archived, renamed, transferred...), from the real created payload."""
    payload = with_repository(fixture_json(_REPOSITORY_CREATED), github_id, full_name, **fields)
    payload["action"] = action
    if changes is not None:
        payload["changes"] = changes
    return payload


def renamed_changes(old_name: str) -> dict[str, Any]:
    return {"repository": {"name": {"from": old_name}}}


def transferred_changes(old_owner: str, kind: str = "organization") -> dict[str, Any]:
    return {"owner": {"from": {kind: _account(old_owner, "Organization" if kind == "organization" else "User")}}}


def pull_request_event(github_id: int, full_name: str, number: int = 2, **fields: Any) -> dict[str, Any]:
    """pull_request opened (head ec26c3e...) on `full_name`, from the real octokit fixture."""
    payload = with_repository(fixture_json(_PULL_REQUEST_OPENED), github_id, full_name, **fields)
    payload["number"] = payload["pull_request"]["number"] = number
    return payload


def push_event(github_id: int, full_name: str, after: str, clone_url: str, branch: str = "main") -> dict[str, Any]:
    """A push of `after` to `branch`, from the real octokit push fixture."""
    payload = with_repository(fixture_json(_PUSH_NEW_BRANCH), github_id, full_name, clone_url=clone_url)
    payload.update(ref=f"refs/heads/{branch}", after=after, created=False, commits=[], head_commit=None)
    return payload
