"""PyGithub writing to the GitHub fake (comments, reviews) and its error paths: 401, 404,
5xx without client retries, faults scoped to one route, timeouts. Review comments on and off the
diff, replies and review faults are in `test_github_review_comments`."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from github import (
    BadCredentialsException,
    Github,
    GithubException,
    GithubRetry,
    UnknownObjectException,
)
from github.PullRequest import PullRequest

from tests.fakes.github import FakeGitHub
from tests.fakes_selftest.clients import github_client
from tests.fakes_selftest.conftest import GITHUB_TOKEN

SHA = "c" * 40
PATCH = "@@ -1,3 +1,4 @@\n import os\n-x = 1\n+x = 2\n+y = 3\n print(x)"


@pytest.fixture
def pull(github_fake: FakeGitHub, github_client: Github) -> PullRequest:
    github_fake.add_repo("acme/api", language="Python")
    files = [{"filename": "app/main.py", "patch": PATCH}, {"filename": "README.md", "patch": PATCH}]
    github_fake.add_pull("acme/api", 5, title="Change x", head_ref="x", head_sha=SHA, files=files)
    return github_client.get_repo("acme/api").get_pull(5)


def test_creates_lists_and_edits_an_issue_comment(github_fake: FakeGitHub, pull: PullRequest) -> None:
    created = pull.create_issue_comment("Review in progress")
    assert created.user.login == "pr-agent[bot]" and created.body == "Review in progress"
    created.edit("Review done: 2 findings")
    assert [c.body for c in pull.get_issue_comments()] == ["Review done: 2 findings"]
    stored = github_fake.issue_comments("acme/api", 5)
    assert [(c["id"], c["body"]) for c in stored] == [(created.id, "Review done: 2 findings")]
    assert github_fake.requests_matching("PATCH", rf"/issues/comments/{created.id}$")


def test_a_review_with_inline_comments_becomes_review_comments(github_fake: FakeGitHub, pull: PullRequest) -> None:
    review = pull.create_review(
        body="Two findings",
        event="COMMENT",
        comments=[
            {"path": "app/main.py", "line": 3, "side": "RIGHT", "body": "y is unused"},
            {"path": "app/main.py", "start_line": 2, "line": 3, "body": "range"},
            {"path": "README.md", "position": 2, "body": "by position"},
        ],
    )
    assert review.state == "COMMENTED" and review.commit_id == SHA
    stored = github_fake.review_comments("acme/api", 5)
    assert [(c["path"], c["line"], c["side"], c["commit_id"], c["body"]) for c in stored] == [
        ("app/main.py", 3, "RIGHT", SHA, "y is unused"),
        ("app/main.py", 3, "RIGHT", SHA, "range"),
        ("README.md", 2, "LEFT", SHA, "by position"),
    ]
    assert stored[1]["start_line"] == 2
    assert stored[0]["diff_hunk"].endswith("+y = 3")
    listed = list(pull.get_review_comments())
    assert [c.pull_request_review_id for c in listed] == [review.id] * 3
    assert [r.state for r in pull.get_reviews()] == ["COMMENTED"]


def test_wrong_token_is_bad_credentials(github_fake: FakeGitHub) -> None:
    github_fake.add_repo("acme/api")
    client = github_client(github_fake.url, "ghp_wrong")
    with pytest.raises(BadCredentialsException) as refused:
        client.get_repo("acme/api")
    assert refused.value.status == 401 and refused.value.data["message"] == "Bad credentials"


def test_unknown_repo_and_pull_are_unknown_objects(github_fake: FakeGitHub, pull: PullRequest) -> None:
    client = github_client(github_fake.url, GITHUB_TOKEN)
    with pytest.raises(UnknownObjectException):
        client.get_repo("acme/nope")
    with pytest.raises(UnknownObjectException) as missing:
        client.get_repo("acme/api").get_pull(999)
    assert missing.value.data["message"] == "Not Found"


def test_5xx_surfaces_after_one_request_when_client_retries_are_off(github_fake: FakeGitHub, pull: PullRequest) -> None:
    github_fake.clear_requests()
    github_fake.faults.push(status=502, times=5, path=r"/pulls/5/files$")
    with pytest.raises(GithubException) as failed:
        list(pull.get_files())
    assert failed.value.status == 502
    assert len(github_fake.requests_matching("GET", r"/files$")) == 1


def test_pygithub_default_style_retry_would_stack_requests(github_fake: FakeGitHub) -> None:
    """Why product code must pass retry=None: a GithubRetry resends each 5xx by itself."""
    github_fake.add_repo("acme/api")
    retrying = github_client(github_fake.url, GITHUB_TOKEN, retry=GithubRetry(total=2, backoff_factor=0))
    github_fake.faults.push(status=500, times=2)
    assert retrying.get_repo("acme/api").name == "api"
    assert [r.status for r in github_fake.requests] == [500, 500, 200]


def test_a_fault_scoped_to_posting_comments_leaves_reads_alone(github_fake: FakeGitHub, pull: PullRequest) -> None:
    github_fake.faults.push(status=503, method="POST", path=r"/issues/\d+/comments$")
    assert list(pull.get_issue_comments()) == []
    with pytest.raises(GithubException) as failed:
        pull.create_issue_comment("hello")
    assert failed.value.status == 503
    assert pull.create_issue_comment("hello again").body == "hello again"


def test_a_slow_server_times_the_client_out(github_fake: FakeGitHub) -> None:
    github_fake.add_repo("acme/api")
    client = github_client(github_fake.url, GITHUB_TOKEN, timeout=1)
    github_fake.faults.push(delay=3.0)
    with pytest.raises(requests.exceptions.Timeout):
        client.get_repo("acme/api")


def test_concurrent_writers_each_get_their_own_comment(github_fake: FakeGitHub, pull: PullRequest) -> None:
    def post(i: int) -> int:
        client = github_client(github_fake.url, GITHUB_TOKEN)
        return client.get_repo("acme/api").get_pull(5).create_issue_comment(f"c{i}").id

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(post, range(16)))
    assert len(set(ids)) == 16
    assert sorted(c["body"] for c in github_fake.issue_comments("acme/api", 5)) == sorted(f"c{i}" for i in range(16))


def test_a_push_to_the_pull_moves_its_head_and_old_commits_stay_valid(
    github_fake: FakeGitHub, pull: PullRequest
) -> None:
    new_head = "d" * 40
    github_fake.push_to_pull("acme/api", 5, new_head, files=[{"filename": "app/main.py", "patch": PATCH}])
    fresh = github_client(github_fake.url, GITHUB_TOKEN).get_repo("acme/api").get_pull(5)
    assert fresh.head.sha == new_head and [c.sha for c in fresh.get_commits()] == [SHA, new_head]
    assert [f.filename for f in fresh.get_files()] == ["app/main.py"]
    stale = fresh.create_review_comment("on the old head", SHA, "app/main.py", line=3, side="RIGHT")
    assert stale.commit_id == SHA
