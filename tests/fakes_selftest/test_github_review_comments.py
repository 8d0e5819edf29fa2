"""Review comments through PyGithub: single and multi-line, GitHub's two wordings of a 422 for a
comment off the diff, replies, the COMMENTED review behind each standalone comment, a review
refused on purpose, and a head that moves while the review is being written."""

from __future__ import annotations

from typing import Any

import pytest
from github import Github, GithubException, UnknownObjectException
from github.PullRequest import PullRequest

from tests.fakes.github import FakeGitHub
from tests.fakes.github_seed_people import OFF_DIFF

SHA = "c" * 40
PATCH = "\n".join(
    [
        "@@ -1,3 +1,4 @@",
        " import os",
        "-x = 1",
        "+x = 2",
        "+y = 3",
        " print(x)",
        "@@ -20,3 +21,3 @@ def f():",
        " a = 1",
        "-b = 2",
        "+b = 3",
        " c = 4",
    ]
)
COMMENTS_DOCS = "https://docs.github.com/rest/pulls/comments#create-a-review-comment-for-a-pull-request"
REVIEWS_DOCS = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request"


@pytest.fixture
def pull(github_fake: FakeGitHub, github_client: Github) -> PullRequest:
    github_fake.add_repo("acme/api")
    files = [{"filename": "app/main.py", "patch": PATCH}]
    github_fake.add_pull("acme/api", 5, title="Change x", head_ref="x", head_sha=SHA, files=files)
    return github_client.get_repo("acme/api").get_pull(5)


def _refused(call: Any) -> Any:
    with pytest.raises(GithubException) as refused:
        call()
    assert refused.value.status == 422
    return refused.value.data


def test_single_and_multi_line_comments_sit_on_the_diff(github_fake: FakeGitHub, pull: PullRequest) -> None:
    single = pull.create_review_comment("y is unused", SHA, "app/main.py", line=3, side="RIGHT")
    ranged = pull.create_review_comment("this block", SHA, "app/main.py", line=4, start_line=2, start_side="RIGHT")
    across = pull.create_review_comment(
        "old and new", SHA, "app/main.py", line=3, side="RIGHT", start_line=2, start_side="LEFT"
    )
    assert (single.line, single.side, single.start_line, single.diff_hunk.split("\n")[-1]) == (
        3,
        "RIGHT",
        None,
        "+y = 3",
    )
    assert (ranged.start_line, ranged.start_side, ranged.line, ranged.side) == (2, "RIGHT", 4, "RIGHT")
    assert (across.start_line, across.start_side, across.line) == (2, "LEFT", 3)
    reviews = github_fake.reviews("acme/api", 5)
    assert [r["state"] for r in reviews] == ["COMMENTED"] * 3  # GitHub wraps each one in a review
    assert [c.pull_request_review_id for c in (single, ranged, across)] == [r["id"] for r in reviews]


def test_a_single_comment_off_the_diff_is_validation_failed_per_field(
    github_fake: FakeGitHub, pull: PullRequest
) -> None:
    off_line = _refused(lambda: pull.create_review_comment("far", SHA, "app/main.py", line=40))
    assert off_line == {
        "message": "Validation Failed",
        "errors": [
            {
                "resource": "PullRequestReviewComment",
                "code": "custom",
                "field": "pull_request_review_thread.line",
                "message": "could not be resolved",
            }
        ],
        "documentation_url": COMMENTS_DOCS,
        "status": "422",
    }
    other_hunk = _refused(lambda: pull.create_review_comment("range", SHA, "app/main.py", line=22, start_line=2))
    assert [(e["field"], e["message"]) for e in other_hunk["errors"]] == [
        (
            "pull_request_review_thread.start_line",
            "pull_request_review_thread.start_line must be part of the same hunk as the line.",
        )
    ]
    no_file = _refused(lambda: pull.create_review_comment("where", SHA, "docs/none.md", line=1))
    assert [(e["field"], e["code"]) for e in no_file["errors"]] == [
        ("pull_request_review_thread.path", "invalid"),
        ("pull_request_review_thread.diff_hunk", "missing_field"),
    ]
    stranger = _refused(lambda: pull.create_review_comment("when", "e" * 40, "app/main.py", line=3))
    assert (
        stranger["errors"][0]["message"] == "pull_request_review_thread.end_commit_oid is not part of the pull request"
    )
    assert github_fake.review_comments("acme/api", 5) == [] and github_fake.reviews("acme/api", 5) == []


def test_a_review_off_the_diff_is_one_unprocessable_sentence(github_fake: FakeGitHub, pull: PullRequest) -> None:
    def review(*comments: Any) -> Any:
        return _refused(lambda: pull.create_review(event="COMMENT", body="x", comments=list(comments)))

    ok = {"path": "app/main.py", "line": 3, "body": "fine"}
    off_line = review(ok, {"path": "app/main.py", "line": 40, "body": "far"})
    assert off_line == {
        "message": "Unprocessable Entity",
        "errors": [OFF_DIFF],
        "documentation_url": REVIEWS_DOCS,
        "status": "422",
    }
    both = review({"path": "app/main.py", "start_line": 30, "line": 40, "body": "far range"})
    assert both["errors"] == [
        "Pull request review thread line must be part of the diff, Pull request review thread start line must be "
        "part of the same hunk as the line., and Pull request review thread diff hunk can't be blank"
    ]
    start_only = review({"path": "app/main.py", "start_line": 2, "line": 22, "body": "two hunks"})
    assert start_only["errors"] == ["Pull request review thread start line must be part of the same hunk as the line."]
    no_file = review({"path": "docs/none.md", "line": 1, "body": "where"})
    assert no_file["errors"] == [
        "Pull request review thread path is invalid and Pull request review thread diff hunk can't be blank"
    ]
    assert github_fake.review_comments("acme/api", 5) == [] and github_fake.reviews("acme/api", 5) == []


def test_replies_join_the_thread_of_the_comment_they_answer(github_fake: FakeGitHub, pull: PullRequest) -> None:
    root = github_fake.add_review_comment("acme/api", 5, "why y?", path="app/main.py", line=3, user_login="alice")
    reply = pull.create_review_comment_reply(root, "it is used later")
    assert (reply.in_reply_to_id, reply.path, reply.line, reply.user.login) == (root, "app/main.py", 3, "pr-agent[bot]")
    nested = pull.create_review_comment_reply(reply.id, "replying to the reply")
    assert nested.in_reply_to_id == root  # one thread, however deep the answer
    via_body = pull.create_review_comment("again", SHA, "ignored.py", in_reply_to=root)
    assert (via_body.in_reply_to_id, via_body.path) == (root, "app/main.py")  # GitHub ignores all but body
    assert pull.get_review_comment(nested.id).body == "replying to the reply"
    listed = [(c.user.login, getattr(c, "in_reply_to_id", None)) for c in pull.get_review_comments()]
    assert listed == [("alice", None)] + [("pr-agent[bot]", root)] * 3
    with pytest.raises(UnknownObjectException):
        pull.create_review_comment_reply(999_999, "to nothing")


def test_the_next_review_can_be_refused_with_422_or_404(github_fake: FakeGitHub, pull: PullRequest) -> None:
    comments: list[Any] = [{"path": "app/main.py", "line": 3, "body": "y is unused"}]
    github_fake.fail_next_review("acme/api", 5)
    refused = _refused(lambda: pull.create_review(event="COMMENT", comments=comments))
    assert refused["message"] == "Unprocessable Entity" and refused["errors"] == [OFF_DIFF]
    github_fake.fail_next_review("acme/api", 5, status=404)
    with pytest.raises(UnknownObjectException) as gone:
        pull.create_review(event="COMMENT", comments=comments)
    assert gone.value.data["message"] == "Not Found"
    assert github_fake.reviews("acme/api", 5) == []
    assert pull.create_review(event="COMMENT", comments=comments).state == "COMMENTED"  # only the next one
    assert len(github_fake.review_comments("acme/api", 5)) == 1


def test_a_head_that_moves_while_the_review_is_written(github_fake: FakeGitHub, github_client: Github) -> None:
    original = "".join(f"line {n}\n" for n in range(1, 11))
    github_fake.add_repo("acme/web", files={"app.py": original})
    github_fake.commit_changes("acme/web", {"app.py": original.replace("line 2\n", "LINE 2\n")}, branch="fix")
    number = github_fake.open_pull("acme/web", title="Shout", head_ref="fix")
    repo = github_client.get_repo("acme/web")
    pull = repo.get_pull(number)
    read_head = pull.head.sha
    assert [f.filename for f in pull.get_files()] == ["app.py"]
    github_fake.move_head_before("acme/web", number, changes={"app.py": original})  # the author reverts
    comment: Any = {"path": "app.py", "line": 2, "body": "why shout?"}
    review = pull.create_review(commit=repo.get_commit(read_head), event="COMMENT", comments=[comment])
    assert review.commit_id == read_head  # placed on the diff of the head it names
    moved = repo.get_pull(number)
    assert moved.head.sha != read_head and list(moved.get_files()) == []
    assert next(c.sha for c in moved.get_commits()) == read_head
    stale = _refused(lambda: moved.create_review(event="COMMENT", comments=[comment]))
    assert stale["errors"] == [
        "Pull request review thread path is invalid and Pull request review thread diff hunk can't be blank"
    ]
    assert github_fake.triggers.pending == 0
