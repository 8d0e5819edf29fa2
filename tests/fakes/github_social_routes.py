"""GitHub fake routes about people: collaborator permissions and reactions on comments.

Permissions follow GitHub: `permission` is the legacy base role (maintain reads as write,
triage as read), `role_name` the role itself; someone who is not a collaborator still gets a 200
(read on a public repository, none on a private one), and only a login that is no user at all
is a 404 ("{login} is not a user"). Reactions: the caller (the app's bot) reacts; reacting again
with the same content answers 200 with the existing reaction instead of 201.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.fakes import github_shapes_social as social
from tests.fakes.github_state import CommentRecord, ReactionRecord, RepoRecord, next_id, now_iso
from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

Route = Callable[["FakeGitHub", RecordedRequest, dict[str, str]], Reply]
REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
COLLABORATOR = REPO + r"/collaborators/(?P<login>[^/]+)"
COMMENT = REPO + r"/(?P<kind>pulls|issues)/comments/(?P<cid>\d+)/reactions"
PERMISSION_DOCS = "https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user"
REACTIONS_DOCS = "https://docs.github.com/rest/reactions/reactions"


def register(fake: FakeGitHub) -> None:
    """Add this module's routes to `fake`."""
    table: list[tuple[str, str, Route]] = [
        ("GET", COLLABORATOR + "/permission", _permission),
        ("GET", COLLABORATOR, _is_collaborator),
        ("GET", COMMENT, _list_reactions),
        ("POST", COMMENT, _create_reaction),
        ("DELETE", COMMENT + r"/(?P<rid>\d+)", _delete_reaction),
    ]
    for method, pattern, handler in table:
        fake.route(method, pattern, _bind(fake, handler))


def _bind(fake: FakeGitHub, handler: Route) -> Callable[[RecordedRequest, dict[str, str]], Reply]:
    return lambda request, params: handler(fake, request, params)


def role_of(repo: RepoRecord, login: str) -> tuple[str, str]:
    """(role_name, permission) of `login` on `repo`."""
    role = repo.collaborators.get(login.lower())
    if role is None and login.lower() == repo.owner.lower():
        role = "admin"
    if role is None:
        role = "none" if repo.private else "read"
    return role, social.ROLE_PERMISSIONS.get(role, "none")


def _permission(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    if not fake.user_exists(p["login"]):
        return fake.error_reply(404, f"{p['login']} is not a user", documentation_url=PERMISSION_DOCS)
    role, permission = role_of(repo, p["login"])
    return Reply(200, social.collaborator_permission(fake.url, p["login"], role, permission))


def _is_collaborator(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None or p["login"].lower() not in repo.collaborators:
        return fake.error_reply(404)
    return Reply(204, None)


def _comment(fake: FakeGitHub, p: dict[str, str]) -> tuple[RepoRecord, CommentRecord] | None:
    repo = fake.repo_from(p)
    if repo is None:
        return None
    find = repo.find_review_comment if p["kind"] == "pulls" else repo.find_issue_comment
    comment = find(int(p["cid"]))
    return (repo, comment) if comment else None


def _list_reactions(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = _comment(fake, p)
    if found is None:
        return fake.error_reply(404)
    repo, comment = found
    content = request.param("content")
    if content is not None and content not in social.REACTIONS:
        return fake.validation_failed({"resource": "Reaction", "code": "invalid", "field": "content"})
    listed = [r for r in repo.reactions.get(comment.id, []) if content is None or r.content == content]
    return fake.listing(request, [social.reaction(fake.url, r) for r in listed])


def _create_reaction(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = _comment(fake, p)
    if found is None:
        return fake.error_reply(404)
    repo, comment = found
    content = request.json.get("content") if isinstance(request.json, dict) else None
    if content not in social.REACTIONS:
        error = {"resource": "Reaction", "code": "invalid", "field": "content"}
        return fake.validation_failed(error, documentation_url=REACTIONS_DOCS)
    reactions = repo.reactions.setdefault(comment.id, [])
    same = next((r for r in reactions if r.user_login == fake.bot_login and r.content == content), None)
    if same is not None:
        return Reply(200, social.reaction(fake.url, same))
    reaction = ReactionRecord(next_id(), str(content), fake.bot_login, now_iso())
    reactions.append(reaction)
    return Reply(201, social.reaction(fake.url, reaction))


def _delete_reaction(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    found = _comment(fake, p)
    reactions = found[0].reactions.get(found[1].id, []) if found else []
    reaction = next((r for r in reactions if r.id == int(p["rid"])), None)
    if reaction is None:
        return fake.error_reply(404)
    reactions.remove(reaction)
    return Reply(204, None)
