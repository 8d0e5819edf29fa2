"""Routing comment commands as data: which workflow each command starts, and what is ignored and why."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contracts.commands import AskInput, CommandInput, CommandRequest
from contracts.review import ReviewPullRequestInput
from contracts.webhooks import Routed, RoutingConfig, route_github
from tests.support.fixtures import fixture_json

ISSUE_COMMENT = "github/go-playground-webhooks__pull-request-issue-comment.json"  # chhsia0/knative-route-demo#3
REVIEW_COMMENT = "github/synthetic__pull_request_review_comment_created.json"  # acme-synthetic/orders-api#42
CONFIG = RoutingConfig(bot_logins=("dependabot[bot]",), app_login="pr-agent[bot]")


def comment(body: str, **changes: Any) -> dict[str, Any]:
    payload = copy.deepcopy(fixture_json(ISSUE_COMMENT))
    payload["comment"]["body"] = body
    payload.update(changes)
    return payload


def route(payload: dict[str, Any], event: str = "issue_comment") -> Routed:
    return route_github(event, payload, CONFIG, "delivery-1")


@pytest.mark.parametrize(
    ("body", "workflow", "workflow_id"),
    [
        ("/review", "ReviewPR", "review:chhsia0/knative-route-demo#3"),
        ("/improve", "ImprovePR", "improve:chhsia0/knative-route-demo#3"),
        ("/describe", "DescribePR", "describe:chhsia0/knative-route-demo#3"),
        ("/help", "HelpPR", "help:chhsia0/knative-route-demo#3:546616131"),
        ("/ask why?", "AskPR", "ask:chhsia0/knative-route-demo#3:546616131"),
    ],
)
def test_each_command_starts_its_workflow(body: str, workflow: str, workflow_id: str) -> None:
    [start] = route(comment(body)).starts
    assert (start.workflow, start.workflow_id) == (workflow, workflow_id)
    assert start.repository == "chhsia0/knative-route-demo" and start.pr_number == 3 and start.trigger == "comment"


def test_improve_and_describe_signal_with_start_so_a_burst_runs_once() -> None:
    for body in ("/improve", "/describe"):
        [start] = route(comment(body)).starts
        assert start.signal == "command"
        assert isinstance(start.input, CommandInput) and start.signal_arg == start.input.request
        assert start.input.request == CommandRequest(
            trigger="comment", author="chhsia0", comment_id=546616131, delivery_id="delivery-1"
        )


def test_review_full_and_the_question_of_ask_are_read() -> None:
    [review] = route(comment("/review full")).starts
    assert isinstance(review.input, ReviewPullRequestInput) and review.input.full and review.input.force
    [ask] = route(comment("/ask why does it\nretry forever?")).starts
    assert isinstance(ask.input, AskInput) and ask.input.question == "why does it\nretry forever?"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("/deploy now", "'/deploy' is not a command we know (try /help)"),
        ("LGTM, thanks!", "the comment holds no command"),
        ("> /improve\nquoting it", "the comment holds no command"),
    ],
)
def test_unknown_commands_and_plain_comments_are_ignored_with_a_reason(body: str, reason: str) -> None:
    routed = route(comment(body))
    assert routed.ignored and routed.ignored_reason == reason


@pytest.mark.parametrize(
    ("user", "kind"),
    [("pr-agent[bot]", "Bot"), ("PR-Agent[bot]", "User"), ("dependabot[bot]", "Bot"), ("ci-helper", "Bot")],
)
def test_comments_from_bots_and_from_this_app_are_ignored(user: str, kind: str) -> None:
    payload = comment("/improve")
    payload["comment"]["user"] = payload["sender"] = {"login": user, "type": kind}
    routed = route(payload)
    assert routed.ignored and routed.ignored_reason == f"comment by {user} (a bot): bots do not give commands"


def test_an_edit_runs_the_command_only_when_it_added_it() -> None:
    added = route(comment("/improve", action="edited", changes={"body": {"from": "looks good"}}))
    assert [s.workflow for s in added.starts] == ["ImprovePR"]
    fixed_typo = route(comment("/improve", action="edited", changes={"body": {"from": "/imprve"}}))
    assert [s.workflow for s in fixed_typo.starts] == ["ImprovePR"]
    for before in ("/improve", "/improve please", "/ask something else"):
        again = route(comment("/improve", action="edited", changes={"body": {"from": before}}))
        assert again.ignored and again.ignored_reason == (
            "the edit did not add the command (it ran when the comment was written)"
        )
    untouched = route(comment("/improve", action="edited", changes={}))
    assert untouched.ignored


def test_a_deleted_comment_runs_nothing() -> None:
    routed = route(comment("/improve", action="deleted"))
    assert routed.ignored and routed.ignored_reason == "issue_comment action 'deleted' is not a command"


def test_an_ask_in_an_inline_thread_is_answered_in_that_thread_about_its_line() -> None:
    routed = route(fixture_json(REVIEW_COMMENT), "pull_request_review_comment")
    [start] = routed.starts
    assert start.workflow_id == "ask:acme-synthetic/orders-api#42:1587201934"
    assert isinstance(start.input, AskInput)
    assert start.input.question == "why is this query a problem, and what should it look like?"
    assert start.input.request == CommandRequest(
        trigger="comment",
        author="dana-dev",
        comment_id=1587201934,
        review_comment=True,
        thread_root_id=1587198820,
        path="src/orders/orders.service.ts",
        line=12,
        delivery_id="delivery-1",
    )


def test_a_plain_reply_in_a_thread_is_feedback_not_a_command() -> None:
    payload = copy.deepcopy(fixture_json(REVIEW_COMMENT))
    payload["comment"]["body"] = "Nit: rename this."
    routed = route(payload, "pull_request_review_comment")
    assert [s.workflow for s in routed.starts] == ["RecordFeedback"]
