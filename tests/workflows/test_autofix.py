"""AutoFixPR end to end: the real workflow on the real Temporal and PostgreSQL, a real git repository
served to the clone step, and the GitHub stand-in receiving the push through its git data API."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import threading
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from temporalio import activity
from temporalio.client import Client

from contracts.autofix import AutofixRequest, PushFixInput, PushOutcome, ReplyInput
from contracts.review import ReviewResult
from contracts.starts import autofix_pr_start, review_pr_start
from contracts.webhooks import RoutingConfig, route_github
from core.metrics import REGISTRY
from core.temporal.client import start_workflow
from domain.findings import Finding
from domain.review.markers import finding_hash, finding_marker
from tests.support.review_harness import llm_answer
from tests.workflows.autofix_support import (
    AUTHOR,
    BARE_EXCEPT_LINE,
    BRANCH,
    FEATURE_FILES,
    MAIN_FILES,
    NUMBER,
    QUERY_LINE,
    REPO,
    AutofixWorld,
    autofix_world,
    git,
)

DISCOUNTS = "orders/discounts.py"
QUERY = Finding(
    DISCOUNTS,
    QUERY_LINE,
    "high",
    "sql.string-built-query",
    "SQL is built by splicing values into the query text: an injection risk.",
    "Pass the values as parameters of the query.",
    source="analyzer:string_sql",
)
PARAMETERISED = '    return db.execute("SELECT * FROM codes WHERE code = %s", (code,))'


def model_diff(old: str, new: str, path: str = DISCOUNTS) -> str:
    return (
        "The query takes the code as a parameter now.\n\n```diff\n"
        f"--- a/{path}\n+++ b/{path}\n@@ -14,2 +14,2 @@\n def find(db, code):\n-{old}\n+{new}\n```\n"
    )


OLD_QUERY = FEATURE_FILES[DISCOUNTS].splitlines()[QUERY_LINE - 1]


async def review_for_real(world: AutofixWorld) -> dict[str, Any]:
    """ReviewPR reviews the pull request (analyzers and an empty LLM review); its stored findings."""
    world.llm.enqueue(llm_answer("Adds discount codes."))
    plan = review_pr_start(repository=REPO, number=NUMBER, head_sha=world.head, trigger="admin")
    handle = await start_workflow(world.client, world.settings.temporal, plan)
    typed = world.client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=ReviewResult)
    assert (await typed.result()).status == "posted"
    raw = await world.pool.fetchval("SELECT findings FROM review_history WHERE review_type = 'review'")
    return {f["rule_id"]: f for f in (json.loads(raw) if isinstance(raw, str) else raw)}


async def test_an_analyzer_finding_with_an_exact_replacement_is_fixed_without_the_model(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        findings = await review_for_real(world)
        bare = findings["python.bare-except"]
        [summary] = [c for c in world.github.issue_comments(REPO, NUMBER) if "pr-agent:summary" in c["body"]]
        assert f"**{bare['id']}** [`{DISCOUNTS}:{BARE_EXCEPT_LINE}`]" in summary["body"]
        assert "`/auto-fix F1 F3`" in summary["body"]
        calls_before, head = len(world.llm.chat_calls), world.head

        result = await world.comment(f"/auto-fix {bare['id']}")

        [outcome] = result.outcomes
        assert outcome.status == "pushed" and [f.id for f in outcome.fixed] == [bare["id"]]
        assert len(world.llm.chat_calls) == calls_before  # an exact replacement needs no model
        [commit] = world.autofix_commits()
        assert world.branch_head() == commit == outcome.commit_sha
        record = world.github.repo_record(REPO)
        assert record is not None and record.commits[commit].parents == [head]
        assert f"PR-Agent-Autofix: {outcome.request_id}" in record.commits[commit].message
        fixed = world.file_on_branch(DISCOUNTS).splitlines()
        assert fixed[BARE_EXCEPT_LINE - 1] == "    except Exception:"
        assert fixed[QUERY_LINE - 1] == OLD_QUERY  # the other finding was not asked for
        [reply] = world.replies()
        assert (
            f"- {bare['id']} `{DISCOUNTS}:{BARE_EXCEPT_LINE}` `python.bare-except` — exact replacement" in reply["body"]
        )
        [row] = await world.autofix_rows()
        assert (row["status"], row["request_id"], row["findings_total"]) == ("pushed", outcome.request_id, 1)
        assert row["summary_comment_id"] == reply["id"]


async def test_a_model_fix_is_applied_checked_by_the_repository_and_pushed(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    config = (
        '[autofix]\ncheck = "python3 -m py_compile orders/discounts.py && python3 -c \\"import orders.discounts\\""\n'
    )
    main_files = {**MAIN_FILES, ".pr-agent/config.toml": config}
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path, main_files=main_files) as world:
        await world.seed_review(QUERY)
        world.llm.enqueue(model_diff(OLD_QUERY, PARAMETERISED))

        result = await world.comment("/auto-fix F1")

        [outcome] = result.outcomes
        assert outcome.status == "pushed", outcome
        assert outcome.fixed[0].how == "by the model (openai/fixer)"
        assert outcome.check_run is not None and outcome.check_run.passed
        assert "no network" in outcome.check_run.isolation
        assert world.file_on_branch(DISCOUNTS).splitlines()[QUERY_LINE - 1] == PARAMETERISED
        [prompt] = world.llm.prompts
        asked = prompt[-1]["content"]
        assert "sql.string-built-query" in asked and f"{QUERY_LINE}|     return db.execute(" in asked
        [reply] = world.replies()
        assert "passed (no network" in reply["body"]
        usage = await pool.fetchval("SELECT count(*) FROM api_usage WHERE purpose = 'autofix'")
        assert usage == 1


async def test_a_fix_that_breaks_parsing_is_not_pushed_and_the_reply_says_why(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(QUERY)
        world.llm.enqueue(model_diff(OLD_QUERY, '    return db.execute("SELECT * FROM codes WHERE code = %s", (code,)'))
        head = world.head

        result = await world.comment("/auto-fix")

        [outcome] = result.outcomes
        assert outcome.status == "failed" and not outcome.fixed
        assert world.branch_head() == head and world.autofix_commits() == []
        [reply] = world.replies()
        assert "nothing pushed" in reply["body"]
        assert f"`{DISCOUNTS}` no longer parses after the fix" in reply["body"]


async def test_a_push_whose_report_was_lost_makes_one_commit_and_one_reply(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    """The worker "dies" right after pushing, and again right after replying, before either is
    reported: Temporal retries both, and the retries find the commit and the reply by their markers."""
    lost = {"push": 0, "reply": 0}

    def die_after(activities: list[Any]) -> list[Any]:
        by_name = {getattr(a, "__temporal_activity_definition").name: a for a in activities}
        real_push, real_reply = by_name.pop("push_autofix_commit"), by_name.pop("reply_autofix")

        @activity.defn(name="push_autofix_commit")
        async def push_then_die(request: PushFixInput) -> PushOutcome:
            outcome: PushOutcome = await real_push(request)
            lost["push"] += 1
            if lost["push"] == 1:
                raise RuntimeError("worker lost after the push")
            return outcome

        @activity.defn(name="reply_autofix")
        async def reply_then_die(request: ReplyInput) -> int:
            comment_id: int = await real_reply(request)
            lost["reply"] += 1
            if lost["reply"] == 1:
                raise RuntimeError("worker lost after the reply")
            return comment_id

        return [*by_name.values(), push_then_die, reply_then_die]

    async with autofix_world(temporal_client, db_dsn, pool, tmp_path, patch_activities=die_after) as world:
        await world.seed_review(_bare_except_finding())

        result = await world.comment("/auto-fix F1", comment_id=555)
        again = await world.comment("/auto-fix F1", comment_id=555)  # the same comment, redelivered later

        assert [o.status for o in result.outcomes] == ["pushed"] and again.outcomes == []
        assert lost == {"push": 2, "reply": 2}
        assert len(world.autofix_commits()) == 1
        assert len(world.replies()) == 1
        assert len(await world.autofix_rows()) == 1


async def test_a_branch_that_moves_before_the_push_gets_no_stale_commit(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(_bare_except_finding())
        moved: list[str] = []

        def author_pushes() -> None:  # between the fix's read of the branch and its ref update
            text = FEATURE_FILES[DISCOUNTS].replace("rate = 0\n", "rate = 0.0\n")
            moved.append(world.commit({DISCOUNTS: text}, "Use a float rate"))

        world.github.triggers.before(author_pushes, method="PATCH", path=rf"/git/refs/heads/{BRANCH}$")

        result = await world.comment("/auto-fix F1")

        [outcome] = result.outcomes
        assert outcome.status == "stale", outcome
        assert world.branch_head() == moved[0] and world.autofix_commits() == []
        [reply] = world.replies()
        assert "its file changed since the review" in reply["body"]


async def test_a_branch_that_moved_elsewhere_is_fixed_on_its_new_head(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(_bare_except_finding())
        moved: list[str] = []
        world.github.triggers.before(
            lambda: moved.append(world.commit({"README.md": "# Orders\n\nDiscounts.\n"}, "Docs")),
            method="PATCH",
            path=rf"/git/refs/heads/{BRANCH}$",
        )

        result = await world.comment("/auto-fix F1")

        [outcome] = result.outcomes
        assert outcome.status == "pushed"
        [commit] = world.autofix_commits()
        record = world.github.repo_record(REPO)
        assert record is not None and record.commits[commit].parents == moved  # on top of the new head
        assert world.file_on_branch("README.md").endswith("Discounts.\n")
        assert world.file_on_branch(DISCOUNTS).splitlines()[BARE_EXCEPT_LINE - 1] == "    except Exception:"


async def test_someone_without_write_permission_is_refused(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(_bare_except_finding())
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
        await world.seed_review(_bare_except_finding(), head=head, number=8)

        result = await world.comment("/auto-fix", login="maintainer", number=8)

        [outcome] = result.outcomes
        assert outcome.status == "patch"
        assert fork_record.branches["fork-fix"] == head
        assert not any("PR-Agent-Autofix" in c.message for c in fork_record.commits.values())  # none made at all
        [reply] = [c for c in world.github.issue_comments(REPO, 8) if "pr-agent:autofix" in c["body"]]
        assert "```diff\ndiff --git a/orders/discounts.py b/orders/discounts.py" in reply["body"]
        assert "+    except Exception:" in reply["body"] and "does not let maintainers push" in reply["body"]


def _bare_except_finding() -> Finding:
    return Finding(
        DISCOUNTS,
        BARE_EXCEPT_LINE,
        "medium",
        "python.bare-except",
        "Bare `except:` also catches KeyboardInterrupt, SystemExit and asyncio cancellation, and hides bugs.",
        "```python\n    except Exception:\n```",
        source="analyzer:python",
    )


async def test_a_reply_in_a_findings_thread_fixes_that_finding_and_answers_in_the_thread(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        bare = _bare_except_finding()
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


async def test_a_signed_link_fixes_the_finding_it_names(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        bare = _bare_except_finding()
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


def _counter(outcome: str) -> float:
    return REGISTRY.get_sample_value("pr_agent_autofix_requests_total", {"outcome": outcome}) or 0.0


async def test_a_reply_in_a_thread_that_is_not_a_finding_fixes_nothing(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(QUERY, _bare_except_finding())
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


async def test_requests_on_one_pull_request_queue_and_run_one_at_a_time(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(_bare_except_finding())
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
        await world.seed_review(_bare_except_finding())
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


async def test_a_protected_branch_gets_a_pull_request_with_the_fix_instead(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(_bare_except_finding())
        protected = {
            "message": f"Protected branch update failed for refs/heads/{BRANCH}.",
            "documentation_url": "https://docs.github.com/rest/git/refs#update-a-reference",
            "status": "422",
        }
        world.github.faults.push(status=422, body=protected, method="PATCH", path=rf"/git/refs/heads/{BRANCH}$")
        head = world.head

        [outcome] = (await world.comment("/auto-fix")).outcomes

        assert outcome.status == "pull_request" and world.branch_head() == head
        record = world.github.repo_record(REPO)
        assert record is not None and outcome.branch is not None
        fix_branch_head = record.branches[outcome.branch]
        assert record.commits[fix_branch_head].parents == [head]
        [opened] = [pr for pr in record.pulls.values() if pr.head_ref == outcome.branch]
        assert opened.base_ref == BRANCH
        [reply] = world.replies()
        assert "opened a pull request" in reply["body"] and outcome.branch in reply["body"]
