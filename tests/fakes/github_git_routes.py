"""GitHub fake: git commits and references, the rest of pushing a commit through the API.

`GET/POST .../git/commits`, `GET .../git/ref/{ref}`, `GET .../git/refs/{ref}`,
`POST .../git/refs`, `PATCH`/`DELETE .../git/refs/{ref}`. Moving a branch moves the head of the
open pull requests it heads, as a push does. Refusals are GitHub's 422s: "Tree SHA does not
exist", "Parent SHA does not exist or is not a commit object", "Update is not a fast forward",
"Reference already exists", "Reference does not exist", "Object does not exist".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.fakes import github_shapes_git as git_shapes
from tests.fakes.github_graph import ancestors, move_branch, new_commit
from tests.fakes.github_state import RepoRecord, now_iso, stable_id
from tests.fakes.github_trees import find_tree
from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

Route = Callable[["FakeGitHub", RecordedRequest, dict[str, str]], Reply]
GIT = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/git"
COMMITS_DOCS = "https://docs.github.com/rest/git/commits#create-a-commit"
REFS_DOCS = "https://docs.github.com/rest/git/refs"


def register(fake: FakeGitHub) -> None:
    """Add this module's routes to `fake`."""
    table: list[tuple[str, str, Route]] = [
        ("GET", GIT + r"/commits/(?P<sha>[0-9a-fA-F]+)", _get_commit),
        ("POST", GIT + "/commits", _create_commit),
        ("GET", GIT + r"/ref/(?P<ref>.+)", _get_ref),
        ("GET", GIT + r"/refs/(?P<ref>.+)", _get_ref),
        ("POST", GIT + "/refs", _create_ref),
        ("PATCH", GIT + r"/refs/(?P<ref>.+)", _update_ref),
        ("DELETE", GIT + r"/refs/(?P<ref>.+)", _delete_ref),
    ]
    for method, pattern, handler in table:
        fake.route(method, pattern, _bind(fake, handler))


def _bind(fake: FakeGitHub, handler: Route) -> Callable[[RecordedRequest, dict[str, str]], Reply]:
    return lambda request, params: handler(fake, request, params)


def _unprocessable(fake: FakeGitHub, message: str, docs: str = REFS_DOCS) -> Reply:
    return fake.error_reply(422, message, documentation_url=docs)


def _get_commit(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    found = repo.commits.get(p["sha"].lower()) if repo else None
    if repo is None or found is None:
        return fake.error_reply(404)
    return Reply(200, git_shapes.git_commit(fake.url, repo, found))


def _create_commit(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    spec: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
    if not isinstance(spec.get("message"), str):
        return _unprocessable(fake, 'Invalid request.\n\n"message" wasn\'t supplied.', COMMITS_DOCS)
    files = find_tree(repo, str(spec.get("tree")))
    if files is None:
        return _unprocessable(fake, "Tree SHA does not exist", COMMITS_DOCS)
    parents = [str(sha) for sha in spec.get("parents") or []]
    if any(sha not in repo.commits for sha in parents):
        return _unprocessable(fake, "Parent SHA does not exist or is not a commit object", COMMITS_DOCS)
    login, name, email, date = _author(fake, spec.get("author"))
    record = new_commit(repo, dict(files), parents, message=spec["message"], author=(login, name, email), date=date)
    return Reply(201, git_shapes.git_commit(fake.url, repo, record))


def _author(fake: FakeGitHub, given: Any) -> tuple[str | None, str, str, str]:
    """(login, name, email, date): the given author, else the app's bot, as GitHub records it."""
    if isinstance(given, dict) and given.get("name") and given.get("email"):
        return None, str(given["name"]), str(given["email"]), str(given.get("date") or now_iso())
    bot = fake.bot_login
    return bot, bot, f"{stable_id(bot)}+{bot}@users.noreply.github.com", now_iso()


def _branch(ref: str) -> str | None:
    """The branch a ref names ("heads/x" or "refs/heads/x"), None for anything else (tags)."""
    ref = ref.removeprefix("refs/")
    return ref.removeprefix("heads/") if ref.startswith("heads/") else None


def _get_ref(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    branch = _branch(p["ref"])
    if repo is None or branch is None or branch not in repo.branches:
        return fake.error_reply(404, documentation_url=REFS_DOCS)
    return Reply(200, git_shapes.ref(fake.url, repo, f"refs/heads/{branch}", repo.branches[branch]))


def _create_ref(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    spec: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
    name, sha = str(spec.get("ref") or ""), str(spec.get("sha") or "")
    branch = _branch(name) if name.startswith("refs/") else None
    if not branch:
        return _unprocessable(fake, "Reference name is not valid")  # wording not confirmed against GitHub
    if branch in repo.branches:
        return _unprocessable(fake, "Reference already exists")
    if sha not in repo.commits:
        return _unprocessable(fake, "Object does not exist")
    _move(fake, repo, branch, sha)
    return Reply(201, git_shapes.ref(fake.url, repo, name, sha))


def _update_ref(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    spec: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
    branch, sha = _branch(p["ref"]), str(spec.get("sha") or "")
    if branch is None or branch not in repo.branches:
        return _unprocessable(fake, "Reference does not exist")
    if sha not in repo.commits:
        return _unprocessable(fake, "Object does not exist")
    if not spec.get("force") and repo.branches[branch] not in ancestors(repo, sha):
        return _unprocessable(fake, "Update is not a fast forward")
    _move(fake, repo, branch, sha)
    return Reply(200, git_shapes.ref(fake.url, repo, f"refs/heads/{branch}", sha))


def _delete_ref(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    branch = _branch(p["ref"])
    if repo is None:
        return fake.error_reply(404)
    if branch is None or branch not in repo.branches:
        return _unprocessable(fake, "Reference does not exist")
    del repo.branches[branch]
    return Reply(204, None)


def _move(fake: FakeGitHub, repo: RepoRecord, branch: str, sha: str) -> None:
    move_branch(fake.all_repos(), repo, branch, sha)
