"""AutoFixPR end to end, who may ask and how: permission, forks, inline threads, signed links, one
request at a time, and the limits and checks that stop a fix (see test_autofix.py for the setting)."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import threading
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client

from contracts.autofix import AutofixRequest
from contracts.starts import autofix_pr_start
from contracts.webhooks import RoutingConfig, route_github
from core.metrics import REGISTRY
from core.temporal.client import start_workflow
from domain.review.markers import finding_hash, finding_marker
from tests.workflows.autofix_support import (
    AUTHOR,
    BARE_EXCEPT,
    BARE_EXCEPT_LINE,
    DISCOUNTS,
    FEATURE_FILES,
    NUMBER,
    OLD_QUERY,
    QUERY,
    QUERY_LINE,
    REPO,
    autofix_world,
    git,
    model_diff,
)


async def test_someone_without_write_permission_is_refused(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(BARE_EXCEPT)
        world.github.add_collaborator(REPO, "triager", "triage")
        head = world.head

        result = await world.comment("/auto-fix", login="triager")

        [outcome] = result.outcomes
        assert outcome.status == "refused"
        assert world.branch_head() == head and world.autofix_commits() == []
        [reply] = world.replies()
        assert "@triager needs write permission" in reply["body"] and "`read`" in reply["body"]
        [row] = await world.autofix_rows()
        assert row["status"] == "refused"


async def test_a_fork_that_maintainers_may_not_push_to_gets_the_patch_in_a_reply(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        fork = "outside-dev/orders"
        world.github.add_fork(REPO, fork)
        fork_record = world.github.repo_record(fork)
        assert fork_record is not None
        fork_record.clone_url = str(world.bare)  # a fork network shares its objects: one remote serves both
        git(world.work, "checkout", "-q", "-b", "fork-fix", "main")
        text = FEATURE_FILES[DISCOUNTS]
        head = world.commit({DISCOUNTS: text}, "Discount codes (from a fork)", branch="fork-fix", repo=fork)
        world.github.open_pull(REPO, 8, title="From a fork", head_ref="fork-fix", head_repo=fork, user_login="outsider")
        world.github.add_collaborator(REPO, "maintainer", "maintain")
        await world.seed_review(BARE_EXCEPT, head=head, number=8)

        result = await world.comment("/auto-fix", login="maintainer", number=8)

        [outcome] = result.outcomes
        assert outcome.status == "patch"
        assert fork_record.branches["fork-fix"] == head
        assert not any("PR-Agent-Autofix" in c.message for c in fork_record.commits.values())  # none made at all
        [reply] = [c for c in world.github.issue_comments(REPO, 8) if "pr-agent:autofix" in c["body"]]
        assert "```diff\ndiff --git a/orders/discounts.py b/orders/discounts.py" in reply["body"]
        assert "+    except Exception:" in reply["body"] and "does not let maintainers push" in reply["body"]


async def test_a_reply_in_a_findings_thread_fixes_that_finding_and_answers_in_the_thread(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        bare = BARE_EXCEPT
        await world.seed_review(QUERY, bare)
        body = f"**[medium] python.bare-except**\n\n{finding_marker(bare)}"
        inline = world.github.add_review_comment(
            REPO, NUMBER, body, path=DISCOUNTS, line=BARE_EXCEPT_LINE, user_login="pr-agent[bot]"
        )
        pushed_before = _counter("pushed")
        caplog.set_level(logging.INFO, logger="activities.autofix_reply")
        payload = {
            "action": "created",
            "comment": {
                "id": 777,
                "body": "/auto-fix",
                "in_reply_to_id": inline,
                "user": {"login": AUTHOR, "type": "User"},
            },
            "pull_request": {"number": NUMBER},
            "repository": {"full_name": REPO},
        }
        [plan] = route_github("pull_request_review_comment", payload, RoutingConfig(), "delivery-777").starts
        await start_workflow(world.client, world.settings.temporal, plan)

        [outcome] = (await world.result()).outcomes

        assert outcome.status == "pushed" and [f.rule_id for f in outcome.fixed] == ["python.bare-except"]
        assert world.file_on_branch(DISCOUNTS).splitlines()[QUERY_LINE - 1] == OLD_QUERY  # F1 was not asked for
        [reply] = world.replies()
        assert reply.get("in_reply_to_id") == inline  # answered in the finding's thread
        assert _counter("pushed") == pushed_before + 1
        [line] = [vars(r) for r in caplog.records if getattr(r, "action", None) == "autofix"]
        assert (line["outcome"], line["findings_fixed"], line["request_id"]) == ("pushed", ["F2"], "comment-777")


async def test_a_reply_in_a_thread_that_is_not_a_finding_fixes_nothing(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(QUERY, BARE_EXCEPT)
        human = world.github.add_review_comment(REPO, NUMBER, "Why a dict here?", path=DISCOUNTS, line=18)
        payload = {
            "action": "created",
            "comment": {"id": 778, "body": "/auto-fix", "in_reply_to_id": human, "user": {"login": AUTHOR}},
            "pull_request": {"number": NUMBER},
            "repository": {"full_name": REPO},
        }
        [plan] = route_github("pull_request_review_comment", payload, RoutingConfig(), "delivery-778").starts
        head = world.head
        await start_workflow(world.client, world.settings.temporal, plan)

        [outcome] = (await world.result()).outcomes

        assert outcome.status == "nothing" and world.branch_head() == head
        [reply] = world.replies()
        assert "not about a finding" in reply["body"] and reply.get("in_reply_to_id") == human


async def test_a_signed_link_fixes_the_finding_it_names(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        bare = BARE_EXCEPT
        await world.seed_review(QUERY, bare)
        request = AutofixRequest(
            request_id="link-0123456789abcdef01234567",
            repository=REPO,
            number=NUMBER,
            trigger="link",
            marker=finding_hash(bare),
            head_sha=world.head,
        )
        await start_workflow(world.client, world.settings.temporal, autofix_pr_start(request))

        [outcome] = (await world.result()).outcomes

        assert outcome.status == "pushed" and [f.id for f in outcome.fixed] == ["F2"]
        [row] = await world.autofix_rows()
        assert (row["trigger"], row["context_used"]) == ("link", ["requested by a signed link"])


async def test_requests_on_one_pull_request_queue_and_run_one_at_a_time(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(BARE_EXCEPT)
        world.github.add_collaborator(REPO, "triager", "triage")
        first_is_running = threading.Event()
        second_is_queued = threading.Event()

        def hold_first() -> None:  # the first request is inside its first step until the second is signalled
            first_is_running.set()
            second_is_queued.wait(30)

        world.github.triggers.before(hold_first, method="GET", path=r"/collaborators/triager/permission$")
        first = asyncio.create_task(world.comment("/auto-fix", login="triager"))
        assert await asyncio.to_thread(first_is_running.wait, 30)
        second = asyncio.create_task(world.comment("/auto-fix F1"))
        await asyncio.sleep(0.5)  # the signal reaches the running workflow
        second_is_queued.set()

        result, again = await asyncio.gather(first, second)

        assert [o.status for o in result.outcomes] == ["refused", "pushed"]  # one run, in the order asked
        assert again.outcomes == result.outcomes
        assert len(world.autofix_commits()) == 1 and len(world.replies()) == 2


async def test_a_fix_over_the_line_limit_is_not_pushed(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path, AUTOFIX_MAX_CHANGED_LINES="1") as world:
        await world.seed_review(BARE_EXCEPT)
        head = world.head

        [outcome] = (await world.comment("/auto-fix")).outcomes

        assert outcome.status == "failed" and world.branch_head() == head
        [reply] = world.replies()
        assert "over the limit of 1 (AUTOFIX_MAX_CHANGED_LINES)" in reply["body"]


async def test_a_fix_that_adds_a_credential_is_not_pushed_and_the_value_is_not_repeated(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(QUERY)
        token = "ghp_" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe9Dc8"
        world.llm.enqueue(model_diff(OLD_QUERY, f'    return db.execute("SELECT 1", token="{token}")'))
        head = world.head

        [outcome] = (await world.comment("/auto-fix F1")).outcomes

        assert outcome.status == "failed" and world.branch_head() == head
        [reply] = world.replies()
        assert "looks like a credential" in reply["body"] and token not in reply["body"]
        [row] = await world.autofix_rows()
        assert token not in json.dumps(row["outcome"])
        handle = world.client.get_workflow_handle(f"autofix:{REPO}#{NUMBER}")
        history = (await handle.fetch_history()).to_json()
        payloads = [base64.b64decode(data) for data in re.findall(r'"data":\s*"([A-Za-z0-9+/=]+)"', history)]
        assert payloads and not any(token.encode() in data for data in payloads)  # not in the history either


def _counter(outcome: str) -> float:
    return REGISTRY.get_sample_value("pr_agent_autofix_requests_total", {"outcome": outcome}) or 0.0
