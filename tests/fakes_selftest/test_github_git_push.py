"""Pushing a commit through GitHub's git database API with PyGithub: blobs, trees on a base tree,
commits, moving a ref (fast-forward only unless forced), opening a pull request, and what later
reads see: the branch, the pull request's head, commits and files, and the contents at the sha."""

from __future__ import annotations

import base64

import pytest
from github import Github, GithubException, InputGitTreeElement, UnknownObjectException
from github.Repository import Repository

from tests.fakes.github import FakeGitHub
from tests.fakes.github_objects import blob_sha

APP = "def main():\n    return 1\n"


@pytest.fixture
def repo(github_fake: FakeGitHub, github_client: Github) -> Repository:
    github_fake.add_repo("acme/api", files={"app.py": APP, "lib/util.py": "u = 1\n", "README.md": "# api\n"})
    github_fake.commit_changes("acme/api", {"app.py": APP.replace("1", "2")}, branch="fix", message="Return 2")
    github_fake.open_pull("acme/api", 7, title="Fix", head_ref="fix")
    return github_client.get_repo("acme/api")


def _push(repo: Repository, branch: str, elements: list[InputGitTreeElement], *, onto: str | None = None) -> str:
    """Blob-tree-commit on top of the branch head (or `onto`), the way a bot pushes a fix."""
    parent = repo.get_git_commit(onto or repo.get_git_ref(f"heads/{branch}").object.sha)
    tree = repo.create_git_tree(elements, base_tree=parent.tree)
    return repo.create_git_commit(f"Push to {branch}", tree, [parent]).sha


def test_a_push_moves_the_branch_and_the_pull_request_head(github_fake: FakeGitHub, repo: Repository) -> None:
    old_head = repo.get_pull(7).head.sha
    blob = repo.create_git_blob(base64.b64encode(b"u = 2\n").decode(), "base64")
    assert blob.sha == blob_sha(b"u = 2\n") and repo.get_git_blob(blob.sha).content.replace("\n", "") == "dSA9IDIK"
    sha = _push(
        repo,
        "fix",
        [
            InputGitTreeElement("lib/util.py", "100644", "blob", sha=blob.sha),
            InputGitTreeElement("README.md", "100644", "blob", sha=None),
            InputGitTreeElement("docs/new.md", "100644", "blob", content="new\n"),
        ],
    )
    assert repo.get_branch("fix").commit.sha == old_head  # creating a commit moves nothing
    ref = repo.get_git_ref("heads/fix")
    ref.edit(sha)
    assert (ref.ref, ref.object.sha, repo.get_branch("fix").commit.sha) == ("refs/heads/fix", sha, sha)
    pull = repo.get_pull(7)
    assert pull.head.sha == sha and [c.sha for c in pull.get_commits()] == [old_head, sha]
    assert {f.filename: f.status for f in pull.get_files()} == {
        "README.md": "removed",
        "app.py": "modified",
        "docs/new.md": "added",
        "lib/util.py": "modified",
    }
    assert repo.get_contents("lib/util.py", ref=sha).decoded_content == b"u = 2\n"  # type: ignore[union-attr]
    with pytest.raises(UnknownObjectException):
        repo.get_contents("README.md", ref=sha)
    assert repo.get_contents("README.md", ref=old_head).decoded_content == b"# api\n"  # type: ignore[union-attr]
    tree = repo.get_git_tree(repo.get_git_commit(sha).tree.sha, recursive=True)
    assert sorted(e.path for e in tree.tree if e.type == "blob") == ["app.py", "docs/new.md", "lib/util.py"]
    assert [(f.filename, f.status) for f in repo.get_commit(sha).files] == [
        ("README.md", "removed"),
        ("docs/new.md", "added"),
        ("lib/util.py", "modified"),
    ]


def test_a_ref_moves_only_forward_unless_forced(github_fake: FakeGitHub, repo: Repository) -> None:
    main = repo.get_branch("main").commit.sha
    old_head = repo.get_pull(7).head.sha
    rewritten = _push(repo, "fix", [InputGitTreeElement("app.py", "100644", "blob", content="again\n")], onto=main)
    ref = repo.get_git_ref("heads/fix")
    with pytest.raises(GithubException) as refused:
        ref.edit(rewritten)
    assert refused.value.status == 422 and refused.value.data["message"] == "Update is not a fast forward"
    assert repo.get_pull(7).head.sha == old_head
    ref.edit(rewritten, force=True)
    forced = repo.get_pull(7)
    assert forced.head.sha == rewritten and [c.sha for c in forced.get_commits()] == [rewritten]
    with pytest.raises(GithubException) as stale:  # the old head is no longer part of the pull request
        forced.create_review_comment("late", old_head, "app.py", line=1)
    assert stale.value.status == 422


def test_a_branch_and_pull_request_opened_through_the_api(github_fake: FakeGitHub, repo: Repository) -> None:
    main = repo.get_branch("main").commit.sha
    created = repo.create_git_ref("refs/heads/feat", main)
    assert (created.ref, created.object.sha) == ("refs/heads/feat", main)
    with pytest.raises(GithubException) as empty:
        repo.create_pull(base="main", head="feat", title="Nothing yet")
    assert empty.value.data["errors"][0]["message"] == "No commits between main and feat"
    sha = _push(repo, "feat", [InputGitTreeElement("feat.py", "100644", "blob", content="f = 1\n")])
    repo.get_git_ref("heads/feat").edit(sha)
    pull = repo.create_pull(base="main", head="acme:feat", title="Add feat", body="Adds feat.py")
    assert (pull.number, pull.head.sha, pull.user.login, pull.body) == (8, sha, "pr-agent[bot]", "Adds feat.py")
    assert [(f.filename, f.status, f.patch) for f in pull.get_files()] == [
        ("feat.py", "added", "@@ -0,0 +1 @@\n+f = 1")
    ]
    with pytest.raises(GithubException) as twice:
        repo.create_pull(base="main", head="feat", title="Again")
    assert twice.value.data["errors"][0]["message"] == "A pull request already exists for acme:feat."
    with pytest.raises(GithubException) as exists:
        repo.create_git_ref("refs/heads/feat", main)
    assert exists.value.data["message"] == "Reference already exists"


def test_what_the_git_database_refuses(github_fake: FakeGitHub, repo: Repository) -> None:
    head = repo.get_git_commit(repo.get_git_ref("heads/fix").object.sha)
    with pytest.raises(GithubException) as missing_path:
        repo.create_git_tree([InputGitTreeElement("nope.txt", "100644", "blob", sha=None)], base_tree=head.tree)
    assert (missing_path.value.status, missing_path.value.data["message"]) == (422, "GitRPC::BadObjectState")
    requester = repo.requester
    for payload, message in [
        ({"message": "m", "tree": "0" * 40, "parents": [head.sha]}, "Tree SHA does not exist"),
        (
            {"message": "m", "tree": head.tree.sha, "parents": ["0" * 40]},
            "Parent SHA does not exist or is not a commit object",
        ),
    ]:
        with pytest.raises(GithubException) as refused:
            requester.requestJsonAndCheck("POST", f"{repo.url}/git/commits", input=payload)
        assert (refused.value.status, refused.value.data["message"]) == (422, message)
    with pytest.raises(GithubException) as no_ref:
        requester.requestJsonAndCheck("PATCH", f"{repo.url}/git/refs/heads/nope", input={"sha": head.sha})
    assert no_ref.value.data["message"] == "Reference does not exist"
    with pytest.raises(UnknownObjectException):
        repo.get_git_ref("heads/nope").object  # noqa: B018 - PyGithub fetches on first attribute
