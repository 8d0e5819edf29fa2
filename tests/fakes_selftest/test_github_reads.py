"""PyGithub reading from the GitHub fake: repositories, pull requests, files with patches,
pagination, branches, commits, contents and packages."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from github import Auth, Github, GithubException
from github.ContentFile import ContentFile
from github.PaginatedList import PaginatedList
from github.Repository import Repository

from tests.fakes.github import FakeGitHub, files_from_unified_diff
from tests.fakes_selftest.clients import github_client
from tests.support.fixtures import fixture_json, fixture_path

TS_DIFF = fixture_path("diffs/ts-nestjs__lujakob-nestjs-realworld__8f5ab17_fix-articles-feed-endpoint.diff")
HEAD, BASE = "ec26c3e57ca3a959ca5aad62de7213c562f8c821", "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"


def _seed_fixture_pull(fake: FakeGitHub) -> list[dict[str, Any]]:
    event = fixture_json("github/octokit-webhooks__pull_request_opened.payload.json")
    files = files_from_unified_diff(TS_DIFF.read_text())
    assert fake.add_pull_from_event(event, files=files) == ("Codertocat/Hello-World", 2)
    return files


def test_reads_a_pull_request_like_the_webhook_describes_it(github_fake: FakeGitHub, github_client: Github) -> None:
    files = _seed_fixture_pull(github_fake)
    pr = github_client.get_repo("Codertocat/Hello-World").get_pull(2)
    assert (pr.number, pr.title, pr.state, pr.draft) == (
        2,
        "Update the README with new information.",
        "open",
        False,
    )
    assert (pr.head.ref, pr.head.sha, pr.base.ref, pr.base.sha) == ("changes", HEAD, "master", BASE)
    assert pr.user.login == "Codertocat" and pr.head.repo.full_name == "Codertocat/Hello-World"
    assert [label.name for label in pr.labels] == ["bug"] and pr.base.repo.default_branch == "master"
    assert pr.changed_files == len(files) == 6
    assert pr.additions == sum(f["additions"] for f in files)
    got = [(f.filename, f.status, f.additions, f.deletions, f.patch) for f in pr.get_files()]
    assert got == [(f["filename"], f["status"], f["additions"], f["deletions"], f["patch"]) for f in files]
    assert [c.sha for c in pr.get_commits()] == [HEAD]


def test_pull_files_paginate_with_link_headers(github_fake: FakeGitHub, github_client: Github) -> None:
    github_fake.add_repo("acme/big")
    files = [{"filename": f"src/f{i:02}.py", "patch": "@@ -0,0 +1 @@\n+x"} for i in range(65)]
    github_fake.add_pull("acme/big", 1, title="Big", head_ref="big", head_sha="b" * 40, files=files)
    pr = github_client.get_repo("acme/big").get_pull(1)
    github_fake.clear_requests()
    names = [f.filename for f in pr.get_files()]
    assert names == [f["filename"] for f in files]
    pages = github_fake.requests_matching("GET", r"/pulls/1/files$")
    assert [r.param("page", "1") for r in pages] == ["1", "2", "3"]
    assert pr.get_files().totalCount == 65


def test_pulls_state_all_lists_every_pull_newest_first_over_pages(
    github_fake: FakeGitHub, github_client: Github
) -> None:
    github_fake.add_repo("acme/api")
    for n in range(1, 41):
        state = "closed" if n % 4 == 0 else "open"
        created = f"2024-02-{(n % 28) + 1:02}T{n % 24:02}:00:00Z"
        github_fake.add_pull(
            "acme/api", n, title=f"PR {n}", head_ref=f"b{n}", head_sha=f"{n:040x}", state=state, created_at=created
        )
    repo = github_client.get_repo("acme/api")
    every = list(repo.get_pulls(state="all"))
    assert len(every) == 40 and sorted(p.number for p in every) == list(range(1, 41))
    opened = [p.created_at for p in every]
    assert opened == sorted(opened, reverse=True)
    assert {p.number for p in repo.get_pulls()} == {n for n in range(1, 41) if n % 4}


def test_org_repos_paginate_and_carry_what_discovery_reads(github_fake: FakeGitHub, github_client: Github) -> None:
    for i in range(35):
        github_fake.add_repo(
            f"acme/svc-{i:02}",
            language="PHP" if i % 2 else "TypeScript",
            archived=i == 3,
            fork=i == 4,
            default_branch="develop" if i == 5 else "main",
        )
    repos: PaginatedList[Repository] = github_client.get_organization("acme").get_repos()
    listed = list(repos)
    assert [r.name for r in listed] == [f"svc-{i:02}" for i in range(35)]
    assert listed[3].archived and listed[4].fork and not listed[0].archived
    assert listed[5].default_branch == "develop" and listed[1].language == "PHP"
    assert len(github_fake.requests_matching("GET", r"^/orgs/acme/repos$")) == 2


def test_branch_commit_and_contents_at_a_ref(github_fake: FakeGitHub, github_client: Github) -> None:
    github_fake.add_repo("acme/web", head_sha="1" * 40, files={"README.md": "# web\n"})
    sha = github_fake.add_commit(
        "acme/web",
        "2" * 40,
        message="Add app",
        date="2024-03-01T10:00:00Z",
        files=[{"filename": "src/app.ts", "status": "added", "patch": "@@ -0,0 +1 @@\n+x"}],
    )
    github_fake.add_file("acme/web", "src/app.ts", "export const x = 1;\n", ref=sha)
    repo = github_client.get_repo("acme/web")
    assert repo.get_branch("main").commit.sha == sha
    commit = repo.get_commit(sha)
    assert commit.commit.message == "Add app" and [p.sha for p in commit.parents] == ["1" * 40]
    assert [f.filename for f in commit.files] == ["src/app.ts"] and commit.stats.additions == 1
    app, readme = repo.get_contents("src/app.ts", ref=sha), repo.get_contents("README.md")
    assert isinstance(app, ContentFile) and isinstance(readme, ContentFile)
    assert app.decoded_content == b"export const x = 1;\n" and readme.decoded_content == b"# web\n"
    listing = repo.get_contents("", ref="main")
    assert isinstance(listing, list)
    assert sorted((c.path, c.type) for c in listing) == [("README.md", "file"), ("src", "dir")]


def test_commits_filter_by_branch_and_since(github_fake: FakeGitHub, github_client: Github) -> None:
    github_fake.add_repo("acme/api", head_sha="0" * 40)
    for day in (1, 5, 9):
        github_fake.add_commit("acme/api", f"{day:040}", date=f"2024-04-{day:02}T00:00:00Z")
    github_fake.add_commit("acme/api", "f" * 40, branch="feature", parents=["0" * 40])
    repo = github_client.get_repo("acme/api")
    since = datetime(2024, 4, 4, tzinfo=UTC)
    assert [c.sha for c in repo.get_commits(sha="main", since=since)] == [f"{9:040}", f"{5:040}"]
    assert [c.sha for c in repo.get_commits(sha="feature")] == ["f" * 40, "0" * 40]


def test_org_packages_through_the_requester(github_fake: FakeGitHub, github_client: Github) -> None:
    github_fake.add_package("acme", "ui-kit", versions=["1.0.0", "1.1.0", "2.0.0"])
    github_fake.add_package("acme", "base-image", package_type="container")
    requester = github_client.requester
    _, packages = requester.requestJsonAndCheck("GET", "/orgs/acme/packages", parameters={"package_type": "npm"})
    assert [(p["name"], p["package_type"], p["version_count"]) for p in packages] == [("ui-kit", "npm", 3)]
    _, versions = requester.requestJsonAndCheck("GET", "/orgs/acme/packages/npm/ui-kit/versions")
    assert [v["name"] for v in versions] == ["2.0.0", "1.1.0", "1.0.0"]


def test_app_installation_auth_gets_a_token_then_uses_it(github_fake: FakeGitHub) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    with FakeGitHub(token=None, app_id=4242, app_public_key=public) as fake:
        fake.add_repo("acme/api")
        fake.add_installation(77, account="acme")
        auth = Auth.AppAuth(4242, pem).get_installation_auth(77)
        client = github_client(fake.url, None, auth=auth)
        assert client.get_repo("acme/api").full_name == "acme/api"
        token_call, repo_call = fake.requests
        assert token_call.path == "/app/installations/77/access_tokens"
        assert token_call.headers["authorization"].startswith("Bearer ey")
        assert repo_call.headers["authorization"] == f"token {fake.issued_tokens[0]}"
        wrong_app = Auth.AppAuth(9999, pem).get_installation_auth(77)
        stranger = github_client(fake.url, None, auth=wrong_app)
        with pytest.raises(GithubException) as refused:
            stranger.get_repo("acme/api")
    assert refused.value.status == 401
    claims = jwt.decode(token_call.headers["authorization"].split()[1], public, algorithms=["RS256"])
    assert str(claims["iss"]) == "4242"
