"""Routing of the App's life-cycle events, as data: what each event and action starts, and why the
others are ignored. No Temporal, no database: `route_github` decides from the payload (and from what
is stored about the repository, passed in)."""

from __future__ import annotations

from typing import Any

import pytest

from contracts.common import REGISTER_REPO, RENAME_REPO, UPDATE_REPO_ACCESS
from contracts.discovery import RegisterRepoInput
from contracts.lifecycle import RepoRef, RepoRename, RepoStatus, UpdateRepoAccessInput
from contracts.webhooks import InvalidPayload, Routed, RoutingConfig, route_github
from tests.support.lifecycle_payloads import (
    installation_event,
    installation_repositories_event,
    pull_request_event,
    push_event,
    renamed_changes,
    repository_event,
    transferred_changes,
)

IID = 31337
ORG = "synthetic-org"
API = (501, f"{ORG}/api")
WEB = (502, f"{ORG}/web")


def route(event: str, payload: Any, stored: RepoStatus | None = None) -> Routed:
    return route_github(event, payload, RoutingConfig(), "delivery-7", stored)


def access_request(routed: Routed) -> UpdateRepoAccessInput:
    (start,) = routed.starts
    assert (start.workflow, start.workflow_id) == (UPDATE_REPO_ACCESS, "access:delivery-7")
    assert isinstance(start.input, UpdateRepoAccessInput)
    return start.input


REFS = [RepoRef(full_name=API[1], github_id=API[0]), RepoRef(full_name=WEB[1], github_id=WEB[0])]


def test_installation_created_registers_and_reactivates_every_listed_repository() -> None:
    routed = route("installation", installation_event("created", IID, ORG, [API, WEB]))
    request = access_request(routed)
    assert (request.change, request.repositories, request.installation_id) == ("register", REFS, IID)
    assert request.reactivate and not request.whole_installation
    assert routed.action == "created" and routed.repository is None


@pytest.mark.parametrize(("action", "reactivate"), [("unsuspend", True), ("new_permissions_accepted", False)])
def test_unsuspend_and_new_permissions_register_the_whole_installation(action: str, reactivate: bool) -> None:
    request = access_request(route("installation", installation_event(action, IID, ORG)))
    assert (request.change, request.repositories, request.installation_id) == ("register", [], IID)
    assert request.whole_installation and request.reactivate is reactivate


@pytest.mark.parametrize(
    ("action", "detach", "reason"), [("suspend", False, "suspended"), ("deleted", True, "uninstalled")]
)
def test_suspend_and_delete_stop_work_on_the_whole_installation(action: str, detach: bool, reason: str) -> None:
    request = access_request(route("installation", installation_event(action, IID, ORG, [API])))
    assert (request.change, request.installation_id, request.whole_installation) == ("deactivate", IID, True)
    assert request.detach is detach and reason in (request.reason or "")
    assert request.repositories == REFS[:1]


def test_unknown_installation_action_is_ignored_with_its_name() -> None:
    routed = route("installation", installation_event("renamed_target", IID, ORG, [API]))
    assert routed.ignored and routed.ignored_reason == "installation action 'renamed_target' needs no work"


def test_installation_created_without_repositories_is_ignored() -> None:
    routed = route("installation", installation_event("created", IID, ORG, []))
    assert routed.ignored and routed.ignored_reason == "installation created lists no repositories"


def test_repositories_added_are_registered_and_given_back() -> None:
    routed = route("installation_repositories", installation_repositories_event("added", IID, ORG, added=[API, WEB]))
    request = access_request(routed)
    assert (request.change, request.repositories, request.installation_id) == ("register", REFS, IID)
    assert request.reactivate and not request.whole_installation


def test_repositories_removed_stop_work_on_them_only() -> None:
    payload = installation_repositories_event("removed", IID, ORG, removed=[WEB])
    routed = route("installation_repositories", payload)
    request = access_request(routed)
    assert (request.change, request.repositories) == ("deactivate", REFS[1:])
    assert request.detach and not request.whole_installation
    assert request.reason == f"removed from the GitHub App installation {IID}"
    assert routed.repository == WEB[1]


def test_installation_repositories_unknown_action_or_empty_list_is_ignored() -> None:
    unknown = route("installation_repositories", installation_repositories_event("moved", IID, ORG, added=[API]))
    assert unknown.ignored_reason == "installation_repositories action 'moved' needs no work"
    empty = route("installation_repositories", installation_repositories_event("removed", IID, ORG))
    assert empty.ignored_reason == "installation_repositories removed lists no repositories"


@pytest.mark.parametrize("action", ["created", "unarchived"])
def test_created_and_unarchived_repositories_are_registered(action: str) -> None:
    (start,) = route("repository", repository_event(action, *API)).starts
    assert (start.workflow, start.workflow_id) == (REGISTER_REPO, f"register:{API[1]}")
    assert isinstance(start.input, RegisterRepoInput) and start.input.repository == API[1]


def test_archived_repository_is_flagged() -> None:
    request = access_request(route("repository", repository_event("archived", *API, archived=True)))
    assert (request.change, request.repositories) == ("archive", REFS[:1])


def test_deleted_repository_stops_work_and_keeps_data() -> None:
    request = access_request(route("repository", repository_event("deleted", *API)))
    assert (request.change, request.repositories, request.reason) == ("deactivate", REFS[:1], "deleted on GitHub")


def test_renamed_repository_signals_rename_by_github_id() -> None:
    payload = repository_event("renamed", 501, f"{ORG}/api-gateway", renamed_changes("api"))
    (start,) = route("repository", payload).starts
    assert (start.workflow, start.workflow_id, start.signal) == (RENAME_REPO, "rename:501", "renamed")
    assert start.signal_arg == RepoRename(
        github_id=501,
        old_full_name=f"{ORG}/api",
        new_full_name=f"{ORG}/api-gateway",
        clone_url=f"https://github.com/{ORG}/api-gateway.git",
        html_url=f"https://github.com/{ORG}/api-gateway",
    )


@pytest.mark.parametrize("kind", ["organization", "user"])
def test_transferred_repository_is_renamed_from_its_old_owner(kind: str) -> None:
    payload = repository_event("transferred", 501, "new-home/api", transferred_changes(ORG, kind))
    (start,) = route("repository", payload).starts
    assert isinstance(start.signal_arg, RepoRename)
    assert (start.signal_arg.old_full_name, start.signal_arg.new_full_name) == (f"{ORG}/api", "new-home/api")


@pytest.mark.parametrize(
    ("action", "changes"),
    [("renamed", None), ("renamed", {"description": {"from": "x"}}), ("transferred", None)],
)
def test_rename_without_what_changed_is_an_invalid_payload(action: str, changes: dict[str, Any] | None) -> None:
    with pytest.raises(InvalidPayload, match="changes"):
        route("repository", repository_event(action, *API, changes))


def test_rename_without_repository_id_is_an_invalid_payload() -> None:
    payload = repository_event("renamed", *API, renamed_changes("old"))
    del payload["repository"]["id"]
    with pytest.raises(InvalidPayload, match=r"repository\.id"):
        route("repository", payload)


def test_default_branch_edit_registers_again_and_other_edits_are_ignored() -> None:
    (start,) = route("repository", repository_event("edited", *API, {"default_branch": {"from": "main"}})).starts
    assert start.workflow == REGISTER_REPO
    other = route("repository", repository_event("edited", *API, {"description": {"from": "old words"}}))
    assert other.ignored_reason == "repository edit needs no work (only a new default branch does)"


@pytest.mark.parametrize("action", ["privatized", "publicized"])
def test_visibility_changes_are_ignored_with_the_reason(action: str) -> None:
    routed = route("repository", repository_event(action, *API))
    assert routed.ignored and routed.ignored_reason == (
        f"repository {action}: the App's access and the stored data stay as they are"
    )


def test_unknown_repository_action_is_ignored() -> None:
    routed = route("repository", repository_event("starred", *API))
    assert routed.ignored and routed.ignored_reason == "repository action 'starred' needs no work"


def test_pull_request_on_an_archived_repository_is_ignored() -> None:
    by_payload = route("pull_request", pull_request_event(*API, archived=True))
    assert by_payload.ignored and "archived" in (by_payload.ignored_reason or "")
    stored = RepoStatus(full_name=API[1], archived=True)
    payload = pull_request_event(*API)
    del payload["repository"]["archived"]  # the payload does not say: what is stored decides
    assert route("pull_request", payload, stored).ignored_reason == (
        "the repository is archived: it is not reviewed or indexed until it is unarchived"
    )


def test_payload_saying_unarchived_wins_over_what_is_stored() -> None:
    stored = RepoStatus(full_name=API[1], archived=True)
    assert not route("pull_request", pull_request_event(*API, archived=False), stored).ignored


def test_work_on_a_repository_the_app_no_longer_has_is_ignored_with_why() -> None:
    stored = RepoStatus(full_name=API[1], inactive_reason=f"removed from the GitHub App installation {IID}")
    reason = f"the App no longer works on this repository: removed from the GitHub App installation {IID}"
    assert route("pull_request", pull_request_event(*API), stored).ignored_reason == reason
    push = push_event(*API, after="f" * 40, clone_url="https://github.com/x.git")
    assert route("push", push, stored).ignored_reason == reason
    assert not route("pull_request", pull_request_event(*API), RepoStatus(full_name=API[1])).ignored


def test_an_event_ignored_for_its_own_reason_keeps_it() -> None:
    closed = pull_request_event(*API, archived=True)
    closed["action"] = "closed"
    assert route("pull_request", closed).ignored_reason == "pull_request action 'closed' does not start a review"


def test_push_carries_the_github_id_to_index_repo() -> None:
    routed = route("push", push_event(*API, after="a" * 40, clone_url="https://github.com/x.git"))
    assert routed.starts[0].input.github_id == API[0]
