"""The App's life cycle: repositories given to the App or taken from it, archived, deleted, renamed
or transferred. Workflow ids, inputs and results of RenameRepo and UpdateRepoAccess.

GitHub's repository id is what stays the same through renames and transfers, so RenameRepo is keyed
by it; every rename of one repository goes through its one workflow, in the order GitHub sent them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from contracts.common import Trigger

RENAMED_SIGNAL = "renamed"


def rename_workflow_id(github_id: int) -> str:
    return f"rename:{github_id}"


def access_workflow_id(key: str) -> str:
    """UpdateRepoAccess per webhook delivery: a replayed delivery finds its own run."""
    return f"access:{key}"


@dataclass(frozen=True, kw_only=True)
class RepoStatus:
    """What webhook routing reads of a stored repository: whether the App still works on it."""

    full_name: str
    archived: bool = False
    inactive_reason: str | None = None


@dataclass(kw_only=True)
class RepoRef:
    full_name: str
    github_id: int | None = None


@dataclass(kw_only=True)
class RepoRename:
    """Signal `renamed`: the repository with `github_id` is now `new_full_name` (a rename or a transfer)."""

    github_id: int
    old_full_name: str
    new_full_name: str
    clone_url: str | None = None
    html_url: str | None = None


@dataclass(kw_only=True)
class RenameRepoInput:
    """RenameRepo is started by signal-with-start: the renames come as `renamed` signals, in order."""

    github_id: int
    trigger: Trigger = "webhook"


RenameStatus = Literal["renamed", "already", "stale", "unknown"]


@dataclass(kw_only=True)
class RenameRepoOutcome:
    """`already`: nothing left to move; `stale`: the repository has moved on to another name since;
    `unknown`: neither the id nor the old name is stored (the App never registered it)."""

    old_full_name: str
    new_full_name: str
    status: RenameStatus
    moved: dict[str, int] = field(default_factory=dict)  # rows moved, per table
    merged_duplicate: bool = False  # a row created under the new name before the rename was folded in


@dataclass(kw_only=True)
class RenameRepoResult:
    github_id: int
    renames: list[RenameRepoOutcome] = field(default_factory=list)


AccessChange = Literal["register", "deactivate", "archive"]


@dataclass(kw_only=True)
class UpdateRepoAccessInput:
    """What an installation or repository event changes for the App.

    `register`: (re)register the repositories, and index and investigate them (RegisterRepo each);
    with `reactivate`, those the App had stopped working on are worked on again (they were given back).
    `deactivate`: the App stops working on them, for `reason`; their data is kept. With `detach` they
    also leave the installation (removed, uninstalled), so an unsuspend of it does not bring them back.
    `archive`: archived on GitHub: kept, not indexed or reviewed until unarchived.
    `whole_installation`: every stored repository of `installation_id` too (events that list none)."""

    change: AccessChange
    repositories: list[RepoRef] = field(default_factory=list)
    installation_id: int | None = None
    whole_installation: bool = False
    reactivate: bool = False
    detach: bool = False
    reason: str | None = None
    trigger: Trigger = "webhook"


@dataclass(kw_only=True)
class UpdateRepoAccessResult:
    change: AccessChange
    repositories: list[str] = field(default_factory=list)  # changed (deactivate, archive) or registered
    failed: list[str] = field(default_factory=list)  # registrations that failed
    started: list[str] = field(default_factory=list)  # workflow ids the registrations started or signalled
