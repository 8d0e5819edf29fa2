"""Comparing commits through PyGithub on content-based history: ahead/behind/diverged/identical,
the three-dot files with real patches, commits oldest first over pages, 404s for refs GitHub
does not know (a force-pushed commit once collected), and single commits that agree with it."""

from __future__ import annotations

import httpx
import pytest
from github import Github, GithubException, UnknownObjectException
from github.Repository import Repository

from tests.fakes.github import FakeGitHub
from tests.fakes_selftest.conftest import GITHUB_TOKEN

APP = "def main():\n    x = 1\n    return x\n"


@pytest.fixture
def repo(github_fake: FakeGitHub, github_client: Github) -> Repository:
    github_fake.add_repo("acme/api", files={"app.py": APP, "README.md": "# api\n"})
    return github_client.get_repo("acme/api")


def test_a_branch_ahead_of_main_shows_its_commits_and_real_patches(github_fake: FakeGitHub, repo: Repository) -> None:
    root = repo.get_branch("main").commit.sha
    one = github_fake.commit_changes("acme/api", {"app.py": APP.replace("1", "2"), "new.py": "y = 1"}, branch="feature")
    two = github_fake.commit_changes("acme/api", {"README.md": None}, branch="feature", message="Drop the readme")
    compared = repo.compare("main", "feature")
    assert (compared.status, compared.ahead_by, compared.behind_by, compared.total_commits) == ("ahead", 2, 0, 2)
    assert [c.sha for c in compared.commits] == [one, two]
    assert compared.merge_base_commit.sha == root and compared.base_commit.sha == root
    files = {f.filename: (f.status, f.additions, f.deletions, f.patch) for f in compared.files}
    assert files == {
        "README.md": ("removed", 0, 1, "@@ -1 +0,0 @@\n-# api"),
        "app.py": ("modified", 1, 1, "@@ -1,3 +1,3 @@\n def main():\n-    x = 1\n+    x = 2\n     return x"),
        "new.py": ("added", 1, 0, "@@ -0,0 +1 @@\n+y = 1\n\\ No newline at end of file"),
    }
    back = repo.compare("feature", "main")
    assert (back.status, back.ahead_by, back.behind_by, list(back.commits), back.files) == ("behind", 0, 2, [], [])
    same = repo.compare(two[:7], "feature")
    assert (same.status, same.ahead_by, same.behind_by) == ("identical", 0, 0)


def test_diverged_branches_compare_from_their_merge_base(github_fake: FakeGitHub, repo: Repository) -> None:
    root = repo.get_branch("main").commit.sha
    github_fake.commit_changes("acme/api", {"app.py": APP + "\nmain()\n"}, branch="feature")
    github_fake.commit_changes("acme/api", {"NOTES.md": "notes\n"})  # main moves on too
    compared = repo.compare("main", "feature")
    assert (compared.status, compared.ahead_by, compared.behind_by) == ("diverged", 1, 1)
    assert compared.merge_base_commit.sha == root
    assert [f.filename for f in compared.files] == ["app.py"]  # three dots: main's own change is not in it
    assert compared.files[0].patch == "@@ -1,3 +1,5 @@\n def main():\n     x = 1\n     return x\n+\n+main()"


def test_single_commits_agree_with_the_comparison(github_fake: FakeGitHub, repo: Repository) -> None:
    root = repo.get_branch("main").commit.sha
    sha = github_fake.commit_changes("acme/api", {"app.py": APP.replace("x", "value")}, message="Rename x")
    commit = repo.get_commit(sha)
    assert [p.sha for p in commit.parents] == [root] and commit.commit.message == "Rename x"
    assert [(f.filename, f.additions, f.deletions) for f in commit.files] == [("app.py", 2, 2)]
    assert commit.stats.total == 4
    assert repo.get_contents("app.py", ref=sha).decoded_content.decode() == APP.replace("x", "value")  # type: ignore[union-attr]
    assert repo.get_contents("app.py", ref=root).decoded_content.decode() == APP  # type: ignore[union-attr]


def test_unknown_refs_and_collected_commits_are_404(github_fake: FakeGitHub, repo: Repository) -> None:
    root = repo.get_branch("main").commit.sha
    pushed = github_fake.commit_changes("acme/api", {"app.py": "print(1)\n"}, branch="feature")
    rewritten = github_fake.commit_changes("acme/api", {"app.py": "print(2)\n"}, branch="feature", parents=[root])
    before_gc = repo.compare(pushed, "feature")  # GitHub keeps serving a force-pushed commit for a while
    assert (before_gc.status, [c.sha for c in before_gc.commits]) == ("diverged", [rewritten])
    github_fake.forget_commit("acme/api", pushed)
    with pytest.raises(UnknownObjectException) as collected:
        repo.compare(pushed, "feature").status  # noqa: B018 - PyGithub fetches on first attribute
    assert collected.value.data["message"] == "Not Found"
    with pytest.raises(GithubException) as no_commit:
        repo.get_commit(pushed)
    assert no_commit.value.status == 422 and no_commit.value.data["message"] == f"No commit found for SHA: {pushed}"
    with pytest.raises(UnknownObjectException):
        repo.compare("main", "no-such-branch").status  # noqa: B018
    github_fake.commit_changes("acme/api", {"other.txt": "x"}, branch="orphan", parents=[])
    with pytest.raises(GithubException) as unrelated:  # PyGithub: UnknownObject only for "Not Found"
        repo.compare("main", "orphan").status  # noqa: B018
    assert unrelated.value.status == 404
    assert unrelated.value.data["message"] == "No common ancestor between main and orphan."


def test_comparison_commits_page_and_files_come_with_the_first_page(github_fake: FakeGitHub, repo: Repository) -> None:
    shas = [github_fake.commit_changes("acme/api", {f"f{n}.txt": f"{n}\n"}, branch="long") for n in range(5)]
    github_fake.clear_requests()
    compared = repo.compare("main", "long", comparison_commits_per_page=2)
    assert [c.sha for c in compared.commits] == shas and len(compared.files) == 5
    pages = [(r.param("page"), r.param("per_page")) for r in github_fake.requests_matching("GET", r"/compare/")]
    assert pages == [("1", "2"), ("2", "2"), ("3", "2")]  # the first page is the comparison itself
    with httpx.Client(headers={"Authorization": f"token {GITHUB_TOKEN}"}) as http:
        second = http.get(f"{github_fake.url}/repos/acme/api/compare/main...long", params={"page": 2, "per_page": 2})
        diff = http.get(
            f"{github_fake.url}/repos/acme/api/compare/main...long", headers={"Accept": "application/vnd.github.diff"}
        )
    assert [c["sha"] for c in second.json()["commits"]] == shas[2:4] and "files" not in second.json()
    assert 'rel="next"' in second.headers["Link"] and 'rel="prev"' in second.headers["Link"]
    assert diff.headers["content-type"].startswith("application/vnd.github.diff")
    assert (
        "diff --git a/f0.txt b/f0.txt\nnew file mode 100644\n--- /dev/null\n+++ b/f0.txt\n@@ -0,0 +1 @@\n+0"
        in diff.text
    )


def test_hand_seeded_files_are_what_a_comparison_of_them_lists(github_fake: FakeGitHub, repo: Repository) -> None:
    patch = "@@ -1 +1 @@\n-a\n+b"
    github_fake.add_pull(
        "acme/api", 3, title="Legacy", head_ref="old", head_sha="d" * 40, files=[{"filename": "a.txt", "patch": patch}]
    )
    compared = repo.compare("main", "old")
    assert (compared.ahead_by, [(f.filename, f.patch) for f in compared.files]) == (1, [("a.txt", patch)])
