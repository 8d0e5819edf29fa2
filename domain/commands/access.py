"""Who may run a command on a pull request, and the short reply to someone who may not.

GitHub answers GET /repos/{o}/{r}/collaborators/{login}/permission with `permission`, the legacy
base role (admin, write, read, none: maintain reads as write, triage as read), and `role_name`, the
role itself (admin, maintain, write, triage, read, or a custom role's name). Commands cost money
and write on the pull request, so they need write access, or triage (people who manage pull
requests without pushing code).
"""

from __future__ import annotations

ALLOWED_PERMISSIONS = frozenset({"admin", "write"})
ALLOWED_ROLES = frozenset({"admin", "maintain", "write", "triage"})


def may_run_commands(permission: str | None, role_name: str | None) -> bool:
    return (permission or "").lower() in ALLOWED_PERMISSIONS or (role_name or "").lower() in ALLOWED_ROLES


def permission_refusal(login: str, repository: str, command: str, permission: str | None) -> str:
    held = f"your access is `{permission}`" if permission and permission != "none" else "you have no access"
    return (
        f"@{login} sorry, `/{command}` can only be run by people with write or triage access to "
        f"{repository} ({held}). A maintainer can run it for you."
    )


def locked_refusal(login: str, command: str) -> str:
    return f"@{login} this conversation is locked, so `/{command}` does not run here. Unlock it to use commands."
