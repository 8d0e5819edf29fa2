"""ImprovePR on the real workflow, against the GitHub and model stand-ins: committable suggestions that
keep their indentation and land on the right lines, one result per run, nothing new on the same head,
earlier and moot suggestions not repeated on a new head, the model part said to be skipped without a
key, and a burst of /improve run once."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import asyncpg
from temporalio.client import Client

from contracts.starts import improve_pr_start
from domain.improve.render import IMPROVE_MARKER
from tests.support.commands import PullRequestWorld, open_pull, run
from tests.support.review_harness import ReviewHarness, review_harness

BASE = {"src/auth.ts": "export function allowed(admin: boolean, action: string): boolean {\n  return false;\n}\n"}
HEAD_AUTH = (
    "export function allowed(admin: boolean, action: string): boolean {\n"  # 1
    "  if (admin || action) {\n"  # 2
    "    return true;\n"  # 3
    "  }\n"  # 4
    "  return false;\n"  # 5
    "}\n"
)
EXISTING = "  if (admin || action) {\n    return true;\n  }"
IMPROVED = "  if (admin && action === 'read') {\n    return true;\n  }"


def suggestion(**over: Any) -> dict[str, Any]:
    base = {
        "path": "src/auth.ts",
        "start_line": 2,
        "line": 4,
        "existing_code": EXISTING,
        "improved_code": IMPROVED,
        "summary": "Only admins reading may pass.",
        "importance": "high",
        "category": "security",
    }
    return {**base, **over}


def answers(h: ReviewHarness, proposed: list[dict[str, Any]], scores: list[tuple[int, int]]) -> None:
    h.llm.enqueue(  # type: ignore[union-attr]
        json.dumps({"suggestions": proposed}),
        json.dumps({"scores": [{"index": i, "score": s, "reason": f"reason {i}"} for i, s in scores]}),
    )


async def improve(client: Client, world: PullRequestWorld, body: str = "/improve") -> Any:
    request = world.comment(body)
    return await run(client, world.h, improve_pr_start(repository=world.repo, number=world.number, request=request))


async def test_suggestions_keep_their_indentation_land_on_their_lines_and_are_posted_once(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        world = open_pull(h, BASE, {"src/auth.ts": HEAD_AUTH})
        weak = suggestion(start_line=None, line=3, existing_code="    return true;", improved_code="    return !0;")
        answers(h, [suggestion(), weak], [(0, 9), (1, 3)])
        request = world.comment("/improve")
        plan = improve_pr_start(repository=world.repo, number=world.number, request=request)
        result = await run(temporal_client, h, plan)

        assert result.status == "posted" and result.llm_used and result.head_sha == world.head
        [comment] = world.review_comments()
        assert (comment["path"], comment["start_line"], comment["line"], comment["side"]) == (
            "src/auth.ts",
            2,
            4,
            "RIGHT",
        )
        assert f"```suggestion\n{IMPROVED}\n```" in comment["body"]  # byte for byte, indentation kept
        [summary] = world.issue_comments(IMPROVE_MARKER)
        assert "`src/auth.ts:4` Only admins reading may pass. (self-check 9/10)" in summary["body"]
        assert "1 suggestion dropped by the self-check" in summary["body"]
        assert world.bot_reactions(request.comment_id or 0) == ["eyes"]
        self_check = h.llm.chat_calls[1].messages[1]["content"]  # type: ignore[union-attr]
        assert "[0] src/auth.ts:2-4 (high, security)" in self_check and "[1] src/auth.ts:3-3" in self_check
        row = await pool.fetchrow(
            "SELECT status, review_type, llm_used, summary_comment_id, details FROM review_history WHERE head_sha = $1",
            world.head,
        )
        assert dict(row) | {"details": None} == {
            "status": "posted",
            "review_type": "improve",
            "llm_used": True,
            "summary_comment_id": summary["id"],
            "details": None,
        }
        assert row["details"]["suggestions_posted"] == 1
        usage = await pool.fetch("SELECT purpose FROM api_usage WHERE workflow_id = $1", plan.workflow_id)
        assert [r["purpose"] for r in usage] == ["improve", "improve"]

        again = await improve(temporal_client, world)  # the same head: nothing new, no model call
        assert again.status == "unchanged" and len(h.llm.chat_calls) == 2  # type: ignore[union-attr]
        assert len(world.review_comments()) == 1 and len(world.issue_comments(IMPROVE_MARKER)) == 1


async def test_on_a_new_head_earlier_and_moot_suggestions_are_not_repeated(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        world = open_pull(h, BASE, {"src/auth.ts": HEAD_AUTH})
        answers(h, [suggestion()], [(0, 9)])
        await improve(temporal_client, world)
        first_head = world.head
        world.push({"src/auth.ts": HEAD_AUTH.replace("  return false;\n}", "  // deny by default\n  return false;\n}")})
        gone = suggestion(start_line=None, line=5, existing_code="  return no;", improved_code="  return false;")
        new = suggestion(
            start_line=None,
            line=5,
            existing_code="  // deny by default",
            improved_code="  // Deny by default: only an admin reading may pass.",
            importance="medium",
        )
        answers(h, [suggestion(), gone, new], [(0, 9), (1, 8), (2, 7)])
        result = await improve(temporal_client, world)

        assert result.status == "posted" and result.head_sha == world.head
        lines = sorted((c["line"], c["commit_id"]) for c in world.review_comments())
        assert lines == sorted([(4, first_head), (5, world.head)])  # the earlier one stays, once
        [summary] = world.issue_comments(IMPROVE_MARKER)  # edited in place
        assert f"head `{world.head[:7]}`" in summary["body"] and "`src/auth.ts:5`" in summary["body"]
        assert "1 suggestion already posted on an earlier head." in summary["body"]
        assert "1 suggestion not repeated: this head no longer has the code to change." in summary["body"]


async def test_a_suggestion_naming_the_wrong_lines_is_held_back(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        world = open_pull(h, BASE, {"src/auth.ts": HEAD_AUTH})
        # The code it replaces sits on lines 2-3, not 3-4: committed, it would replace the wrong lines.
        shifted = suggestion(
            start_line=3,
            line=4,
            existing_code="  if (admin || action) {\n    return true;",
            improved_code="  if (admin) {\n    return true;",
        )
        broken = suggestion(improved_code="  if (admin && action === 'read' {\n    return true;\n  }", summary="x")
        answers(h, [shifted, broken], [(0, 9), (1, 9)])
        result = await improve(temporal_client, world)

        assert result.status == "posted" and world.review_comments() == []
        [summary] = world.issue_comments(IMPROVE_MARKER)
        assert "2 suggestions held back: refused by GitHub, or not applying cleanly to this head." in summary["body"]


async def test_without_a_key_the_model_part_is_said_to_be_skipped(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        world = open_pull(h, BASE, {"src/auth.ts": HEAD_AUTH})
        result = await improve(temporal_client, world)
        assert result.status == "skipped" and not result.llm_used
        [summary] = world.issue_comments(IMPROVE_MARKER)
        assert "No suggestions: the model part was skipped (no LLM_API key configured)." in summary["body"]
        assert world.review_comments() == []
        again = await improve(temporal_client, world)
        assert again.status == "skipped" and len(world.issue_comments(IMPROVE_MARKER)) == 1
        h.github.pull_record(world.repo, world.number).state = "closed"
        closed = await improve(temporal_client, world)
        [summary] = world.issue_comments(IMPROVE_MARKER)
        assert closed.status == "skipped" and "No suggestions: the pull request is closed." in summary["body"]


async def test_a_burst_of_improve_runs_once_and_acknowledges_every_comment(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        world = open_pull(h, BASE, {"src/auth.ts": HEAD_AUTH})
        answers(h, [suggestion()], [(0, 9)])
        requests = [world.comment("/improve") for _ in range(3)]
        plans = [improve_pr_start(repository=world.repo, number=world.number, request=r) for r in requests]
        results = await asyncio.gather(*(run(temporal_client, h, plan) for plan in plans))

        assert {r.status for r in results} == {"posted"} and results[0].requests == 3
        assert len(h.llm.chat_calls) == 2  # type: ignore[union-attr]
        assert len(world.review_comments()) == 1 and len(world.issue_comments(IMPROVE_MARKER)) == 1
        assert [world.bot_reactions(r.comment_id or 0) for r in requests] == [["eyes"]] * 3
