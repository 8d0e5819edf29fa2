"""A pull request's own fields through PyGithub: editing title, body and state, a locked
conversation, and a head branch that lives in a fork."""

from __future__ import annotations

import pytest
from github import Github, GithubException, UnknownObjectException
from github.PullRequest import PullRequest

from tests.fakes.github import FakeGitHub

SHA = "c" * 40


@pytest.fixture
def pull(github_fake: FakeGitHub, github_client: Github) -> PullRequest:
    github_fake.add_repo("acme/api")
    github_fake.add_pull("acme/api", 5, title="Change", head_ref="x", head_sha=SHA, body="Old body")
    return github_client.get_repo("acme/api").get_pull(5)


def test_editing_a_pull_request_answers_with_the_updated_pull(github_client: Github, pull: PullRequest) -> None:
    before = pull.updated_at
    pull.edit(title="Change x", body="Old body\n\n<!-- pr-agent:summary -->\nLooks fine")
    assert pull.updated_at is not None and before is not None and pull.updated_at > before
    assert (pull.title, pull.body.endswith("Looks fine")) == ("Change x", True)
    fresh = github_client.get_repo("acme/api").get_pull(5)
    assert (fresh.title, fresh.body) == (pull.title, pull.body)
    pull.edit(state="closed")
    assert (pull.state, pull.closed_at is not None) == ("closed", True)
    assert [p.number for p in github_client.get_repo("acme/api").get_pulls(state="closed")] == [5]
    with pytest.raises(GithubException) as refused:
        pull.edit(state="merged")
    assert refused.value.status == 422
    assert refused.value.data["errors"] == [{"resource": "PullRequest", "code": "invalid", "field": "state"}]


def test_a_locked_conversation_shows_on_the_pull_and_its_issue(github_fake: FakeGitHub, pull: PullRequest) -> None:
    assert (pull.locked, pull.active_lock_reason) == (False, None)
    github_fake.lock_pull("acme/api", 5, "resolved")
    pull.update()
    assert (pull.locked, pull.active_lock_reason) == (True, "resolved")
    issue = pull.as_issue()
    assert (issue.locked, issue.active_lock_reason) == (True, "resolved")
    issue.unlock()
    issue.lock("too heated")
    pull.update()
    assert (pull.locked, pull.active_lock_reason) == (True, "too heated")
    with pytest.raises(ValueError):
        github_fake.lock_pull("acme/api", 5, "boring")


def test_a_pull_request_from_a_fork(github_fake: FakeGitHub, github_client: Github) -> None:
    github_fake.add_repo("acme/api", files={"app.py": "x = 1\n"})
    github_fake.add_fork("acme/api", "alice/api")
    first = github_fake.commit_changes("alice/api", {"app.py": "x = 2\n"}, branch="patch", author_login="alice")
    number = github_fake.open_pull(
        "acme/api", title="Bump x", head_ref="patch", head_repo="alice/api", user_login="alice"
    )
    github_fake.lock_pull("acme/api", number)
    repo = github_client.get_repo("acme/api")
    pull = repo.get_pull(number)
    assert (pull.head.label, pull.head.ref, pull.head.sha, pull.head.user.login) == (
        "alice:patch",
        "patch",
        first,
        "alice",
    )
    assert (pull.head.repo.full_name, pull.head.repo.fork, pull.base.repo.full_name) == ("alice/api", True, "acme/api")
    assert (pull.maintainer_can_modify, pull.locked, pull.active_lock_reason) == (False, True, None)
    assert [p.number for p in repo.get_pulls(head="alice:patch")] == [number]
    with pytest.raises(UnknownObjectException):  # the branch is in the fork, not here
        repo.get_branch("patch")
    second = github_fake.commit_changes("alice/api", {"app.py": "x = 3\n"}, branch="patch")
    moved = repo.get_pull(number)  # a push to the fork moves the pull request upstream
    assert moved.head.sha == second and [c.sha for c in moved.get_commits()] == [first, second]
    assert [f.patch for f in moved.get_files()] == ["@@ -1 +1 @@\n-x = 1\n+x = 3"]
    assert repo.compare("main", "alice:patch").ahead_by == 2
    github_fake.add_pull(
        "acme/api",
        9,
        title="Hand-made",
        head_ref="main",
        head_sha="d" * 40,
        head_repo="bob/api",
        maintainer_can_modify=True,
    )
    other = repo.get_pull(9)
    assert (other.head.repo.full_name, other.maintainer_can_modify) == ("bob/api", True)
    assert repo.get_branch("main").commit.sha != "d" * 40  # a fork's "main" is not upstream's
