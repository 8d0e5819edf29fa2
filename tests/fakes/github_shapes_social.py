"""GitHub REST v3 JSON shapes for people around a repository: reactions and their roll-up on a
comment, author associations, and collaborator permissions.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.github_shapes import user
from tests.fakes.github_state import ReactionRecord, RepoRecord

REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes")
# role -> the legacy `permission` GitHub reports for it (maintain and triage fold into the base roles)
ROLE_PERMISSIONS = {"admin": "admin", "maintain": "write", "write": "write", "triage": "read", "read": "read"}
_GRANTS = {  # what each role may do, as the `permissions` hash of a collaborator says
    "admin": ("admin", "maintain", "push", "triage", "pull"),
    "maintain": ("maintain", "push", "triage", "pull"),
    "write": ("push", "triage", "pull"),
    "triage": ("triage", "pull"),
    "read": ("pull",),
    "none": (),
}


def reaction(base: str, r: ReactionRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "node_id": f"REA_{r.id}",
        "user": user(base, r.user_login),
        "content": r.content,
        "created_at": r.created_at,
    }


def reaction_rollup(url: str, reactions: list[ReactionRecord]) -> dict[str, Any]:
    """The `reactions` summary GitHub embeds in a comment (`url` is the comment's API URL)."""
    rollup: dict[str, Any] = {"url": f"{url}/reactions", "total_count": len(reactions)}
    rollup.update({content: sum(r.content == content for r in reactions) for content in REACTIONS})
    return rollup


def association(repo: RepoRecord, login: str, explicit: str | None = None) -> str:
    """The `author_association` of `login` on `repo`: the seeded one, else OWNER for the
    repository's owner, COLLABORATOR for a collaborator, CONTRIBUTOR for the author of a merged
    pull request, NONE otherwise (an app's bot included)."""
    if explicit:
        return explicit
    if login.lower() == repo.owner.lower():
        return "OWNER"
    if login.lower() in repo.collaborators:
        return "COLLABORATOR"
    if any(pr.merged and pr.user_login.lower() == login.lower() for pr in repo.pulls.values()):
        return "CONTRIBUTOR"
    return "NONE"


def collaborator_permission(base: str, login: str, role: str, permission: str) -> dict[str, Any]:
    """`GET .../collaborators/{username}/permission`: the legacy `permission`, the `role_name`
    and the user with its `permissions` hash."""
    granted = _GRANTS.get(role, _GRANTS.get(permission, ()))
    person = user(base, login)
    person["permissions"] = {name: name in granted for name in ("admin", "maintain", "push", "triage", "pull")}
    person["role_name"] = role
    return {"permission": permission, "role_name": role, "user": person}
