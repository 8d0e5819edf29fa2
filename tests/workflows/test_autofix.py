"""AutoFixPR end to end: the real workflow on the real Temporal and PostgreSQL, a real git repository
served to the clone step, and the GitHub stand-in receiving the push through its git data API.
How fixes are made and pushed, and what keeps them to one commit on a fresh head."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import asyncpg
from temporalio import activity
from temporalio.client import Client

from contracts.autofix import PushFixInput, PushOutcome, ReplyInput
from contracts.review import ReviewResult
from contracts.starts import review_pr_start
from core.temporal.client import start_workflow
from tests.support.review_harness import llm_answer
from tests.workflows.autofix_support import (
    BARE_EXCEPT,
    BARE_EXCEPT_LINE,
    BRANCH,
    DISCOUNTS,
    FEATURE_FILES,
    MAIN_FILES,
    NUMBER,
    OLD_QUERY,
    PARAMETERISED,
    QUERY,
    QUERY_LINE,
    REPO,
    AutofixWorld,
    autofix_world,
    model_diff,
)


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
        await world.seed_review(BARE_EXCEPT)

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
        await world.seed_review(BARE_EXCEPT)
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
        await world.seed_review(BARE_EXCEPT)
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


async def test_a_protected_branch_gets_a_pull_request_with_the_fix_instead(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    async with autofix_world(temporal_client, db_dsn, pool, tmp_path) as world:
        await world.seed_review(BARE_EXCEPT)
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
