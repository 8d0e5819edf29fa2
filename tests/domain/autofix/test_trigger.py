"""`/auto-fix` is read from conversation comments and inline-thread replies, and nothing else starts it."""

from __future__ import annotations

import copy
from typing import Any

from domain.autofix.trigger import autofix_comment
from tests.support.fixtures import fixture_json

ISSUE_COMMENT = "github/go-playground-webhooks__pull-request-issue-comment.json"


def issue_comment(body: str, *, user_type: str = "User", action: str = "created") -> dict[str, Any]:
    payload = copy.deepcopy(fixture_json(ISSUE_COMMENT))
    payload["comment"]["body"] = body
    payload["comment"]["user"]["type"] = user_type
    payload["action"] = action
    return payload


def review_reply(body: str, in_reply_to: int | None = 4001) -> dict[str, Any]:
    """A `pull_request_review_comment` delivery as GitHub documents it (made up: the repository's
    fixtures have none): a reply in the thread of an inline comment."""
    return {
        "action": "created",
        "comment": {
            "id": 4002,
            "body": body,
            "path": "src/orders.ts",
            "line": 12,
            "in_reply_to_id": in_reply_to,
            "user": {"login": "dev-alice", "type": "User"},
        },
        "pull_request": {"number": 7, "head": {"ref": "feature", "sha": "a" * 40}},
        "repository": {"full_name": "acme/shop"},
        "sender": {"login": "dev-alice", "type": "User"},
    }


def test_a_conversation_comment_names_finding_ids() -> None:
    asked = autofix_comment("issue_comment", issue_comment("/auto-fix F2, f5 and 7 please"))
    assert asked is not None and asked.ignored is None
    payload = fixture_json(ISSUE_COMMENT)
    assert (asked.repository, asked.number) == (payload["repository"]["full_name"], payload["issue"]["number"])
    assert asked.finding_ids == ["F2", "F5", "F7"]
    assert asked.requester == payload["comment"]["user"]["login"]
    assert asked.comment_id == payload["comment"]["id"]


def test_plain_auto_fix_asks_for_every_finding() -> None:
    asked = autofix_comment("issue_comment", issue_comment("/autofix"))
    assert asked is not None and asked.finding_ids == [] and asked.ignored is None


def test_other_comments_are_not_ours() -> None:
    assert autofix_comment("issue_comment", issue_comment("/review")) is None
    assert autofix_comment("issue_comment", issue_comment("please /auto-fix this")) is None
    assert autofix_comment("push", issue_comment("/auto-fix")) is None


def test_bots_edits_and_plain_issues_start_nothing() -> None:
    assert autofix_comment("issue_comment", issue_comment("/auto-fix", user_type="Bot")).ignored  # type: ignore[union-attr]
    assert autofix_comment("issue_comment", issue_comment("/auto-fix", action="edited")).ignored  # type: ignore[union-attr]
    on_issue = issue_comment("/auto-fix")
    on_issue["issue"].pop("pull_request")
    assert "not issues" in (autofix_comment("issue_comment", on_issue).ignored or "")  # type: ignore[union-attr]


def test_a_thread_reply_asks_for_the_finding_it_answers() -> None:
    asked = autofix_comment("pull_request_review_comment", review_reply("/auto-fix"))
    assert asked is not None and asked.ignored is None
    assert (asked.repository, asked.number, asked.reply_to, asked.requester) == ("acme/shop", 7, 4001, "dev-alice")


def test_an_inline_auto_fix_that_answers_nothing_and_names_nothing_is_ignored() -> None:
    asked = autofix_comment("pull_request_review_comment", review_reply("/auto-fix", in_reply_to=None))
    assert asked is not None and asked.ignored is not None
