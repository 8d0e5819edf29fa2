"""GitHub fake routes for users, organisations, repositories, branches, commits, contents,
packages and app installations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.fakes import github_shapes as shapes
from tests.fakes import github_shapes_items as items
from tests.fakes.github_state import RepoRecord, parse_iso
from tests.fakes.http import RecordedRequest, Reply

if TYPE_CHECKING:
    from tests.fakes.github import FakeGitHub

Route = Callable[["FakeGitHub", RecordedRequest, dict[str, str]], Reply]
REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
ORG = r"/orgs/(?P<org>[^/]+)"
PACKAGE = ORG + r"/packages/(?P<ptype>[^/]+)/(?P<name>.+?)"


def register(fake: FakeGitHub) -> None:
    """Add this module's routes to `fake` (first full match wins, so order matters)."""
    table: list[tuple[str, str, Route]] = [
        ("GET", "/user", _get_viewer),
        ("GET", r"/users/(?P<login>[^/]+)", _get_user),
        ("GET", ORG, _get_org),
        ("GET", ORG + "/repos", _list_org_repos),
        ("GET", ORG + "/packages", _list_packages),
        ("GET", PACKAGE + "/versions", _list_versions),
        ("GET", PACKAGE, _get_package),
        ("GET", REPO, _get_repo),
        ("GET", REPO + "/branches/(?P<branch>.+)", _get_branch),
        ("GET", REPO + "/commits", _list_commits),
        ("GET", REPO + "/commits/(?P<sha>[^/]+)", _get_commit),
        ("GET", REPO + "/contents(?:/(?P<path>.*))?", _get_contents),
        ("GET", REPO + "/installation", _get_repo_installation),
        ("GET", ORG + "/installation", _get_org_installation),
        ("POST", r"/app/installations/(?P<iid>\d+)/access_tokens", _create_access_token),
    ]
    for method, pattern, handler in table:
        fake.route(method, pattern, _bind(fake, handler))


def _bind(fake: FakeGitHub, handler: Route) -> Callable[[RecordedRequest, dict[str, str]], Reply]:
    return lambda request, params: handler(fake, request, params)


def _get_viewer(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    return Reply(200, shapes.user(fake.url, fake.bot_login))


def _get_user(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    kind = "Organization" if fake.is_org(p["login"]) else None
    return Reply(200, shapes.user(fake.url, p["login"], kind=kind))


def _get_org(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    if not fake.is_org(p["org"]):
        return fake.error_reply(404)
    return Reply(200, shapes.organization(fake.url, p["org"]))


def _list_org_repos(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    if not fake.is_org(p["org"]):
        return fake.error_reply(404)
    kind = request.param("type", "all")
    repos = [r for r in fake.repos_of(p["org"]) if _repo_kind_matches(r, kind or "all")]
    rendered = [shapes.repo(fake.url, r, owner_kind="Organization") for r in repos]
    return fake.listing(request, rendered)


def _repo_kind_matches(repo: RepoRecord, kind: str) -> bool:
    return {
        "public": not repo.private,
        "private": repo.private,
        "forks": repo.fork,
        "sources": not repo.fork,
    }.get(kind, True)


def _get_repo(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    return Reply(200, shapes.repo(fake.url, repo, owner_kind="Organization"))


def _get_branch(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None or p["branch"] not in repo.branches:
        return fake.error_reply(404, "Branch not found")
    return Reply(200, items.branch(fake.url, repo, p["branch"]))


def _get_commit(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    sha = repo.branches.get(p["sha"], p["sha"])
    matches = [c for s, c in repo.commits.items() if s.startswith(sha)] if len(sha) >= 7 else []
    if len(matches) != 1:
        return fake.error_reply(422, f"No commit found for SHA: {p['sha']}")
    return Reply(200, items.commit(fake.url, repo, matches[0], detail=True))


def _list_commits(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    start = request.param("sha") or repo.default_branch
    start = repo.branches.get(start, start)
    if start not in repo.commits:
        return fake.error_reply(404, f"No commit found for SHA: {start}")
    commits = [repo.commits[s] for s in _walk(repo, start)]
    since, until, path = request.param("since"), request.param("until"), request.param("path")
    if since:
        commits = [c for c in commits if parse_iso(c.date) >= parse_iso(since)]
    if until:
        commits = [c for c in commits if parse_iso(c.date) <= parse_iso(until)]
    if path:
        commits = [c for c in commits if any(f["filename"] == path for f in c.files)]
    return fake.listing(request, [items.commit(fake.url, repo, c, detail=False) for c in commits])


def _walk(repo: RepoRecord, start: str) -> list[str]:
    """Commits reachable from `start`, newest first (breadth-first over parents)."""
    seen: list[str] = []
    frontier = [start]
    while frontier:
        sha = frontier.pop(0)
        if sha in seen or sha not in repo.commits:
            continue
        seen.append(sha)
        frontier.extend(repo.commits[sha].parents)
    return seen


def _get_contents(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    repo = fake.repo_from(p)
    if repo is None:
        return fake.error_reply(404)
    ref = request.param("ref") or repo.default_branch
    tree = repo.tree_at(ref)
    if tree is None:
        return fake.error_reply(404, f"No commit found for the ref {ref}")
    path = (p.get("path") or "").strip("/")
    if path in tree:
        if "raw" in request.headers.get("accept", ""):
            return Reply(200, tree[path], content_type="application/vnd.github.raw")
        return Reply(200, items.content(fake.url, repo, path, tree[path], ref))
    listing = _directory(fake, repo, tree, path, ref)
    return Reply(200, listing) if listing else fake.error_reply(404)


def _directory(
    fake: FakeGitHub, repo: RepoRecord, tree: dict[str, bytes], path: str, ref: str
) -> list[dict[str, object]]:
    prefix = f"{path}/" if path else ""
    entries: dict[str, bytes | None] = {}
    for name, data in tree.items():
        if name.startswith(prefix):
            child, _, rest = name[len(prefix) :].partition("/")
            entries[prefix + child] = None if rest else data
    return [items.content(fake.url, repo, name, entries[name], ref) for name in sorted(entries)]


def _list_packages(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    kind = request.param("package_type")
    if not kind:
        return fake.validation_failed({"field": "package_type", "code": "missing_field"})
    found = [items.package(fake.url, pkg) for pkg in fake.packages_of(p["org"], kind)]
    return fake.listing(request, found)


def _get_package(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    package = fake.package_record(p["org"], p["ptype"], p["name"])
    if package is None:
        return fake.error_reply(404, "Package not found.")
    return Reply(200, items.package(fake.url, package))


def _list_versions(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    package = fake.package_record(p["org"], p["ptype"], p["name"])
    if package is None:
        return fake.error_reply(404, "Package not found.")
    newest_first = list(reversed(package.versions))
    rendered = [items.package_version(fake.url, package, v) for v in newest_first]
    return fake.listing(request, rendered)


def _installation_reply(fake: FakeGitHub, account: str) -> Reply:
    installation = fake.installation_for(account)
    if installation is None:
        return fake.error_reply(404)
    return Reply(200, _installation_json(fake, installation.id, account))


def _installation_json(fake: FakeGitHub, installation_id: int, account: str) -> dict[str, object]:
    return {
        "id": installation_id,
        "account": shapes.user(fake.url, account, kind="Organization"),
        "app_id": fake.app_id,
        "target_type": "Organization",
        "repository_selection": "all",
        "access_tokens_url": f"{fake.url}/app/installations/{installation_id}/access_tokens",
        "repositories_url": f"{fake.url}/installation/repositories",
        "html_url": f"{fake.url}/organizations/{account}/settings/installations/{installation_id}",
        "permissions": {"contents": "read", "pull_requests": "write", "issues": "write"},
        "events": ["pull_request", "push", "issue_comment"],
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:00:00Z",
    }


def _get_repo_installation(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    return _installation_reply(fake, p["owner"])


def _get_org_installation(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    return _installation_reply(fake, p["org"])


def _create_access_token(fake: FakeGitHub, request: RecordedRequest, p: dict[str, str]) -> Reply:
    installation = fake.installation(int(p["iid"]))
    if installation is None:
        return fake.error_reply(404)
    token, expires_at = fake.issue_installation_token(installation.id)
    body = {
        "token": token,
        "expires_at": expires_at,
        "permissions": {"contents": "read", "pull_requests": "write", "issues": "write"},
        "repository_selection": "all",
    }
    return Reply(201, body)
