"""Reviews that land right on GitHub, on the real ReviewPR workflow against the GitHub and model stand-ins:
committable multi-line suggestions byte for byte, suggestions that would break the file held back,
refused comments listed while the rest are posted once, nothing inline for a head that moved on,
incremental follow-up reviews, and a whole review after a force-push."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
from temporalio.client import Client

from contracts.review import ReviewResult
from contracts.starts import review_pr_start
from core.temporal.client import start_workflow
from tests.support.review_harness import ReviewHarness, llm_answer, review_harness

BASE_AUTH = "export function allowed(admin: boolean, action: string): boolean {\n  return false;\n}\n"
HEAD_AUTH = (
    "export function allowed(admin: boolean, action: string): boolean {\n"  # 1
    "  if (admin || action) {\n"  # 2
    "    return true;\n"  # 3
    "  }\n"  # 4
    "  return false;\n"  # 5
    "}\n"
)
BASE_ORDERS = "export const orders: string[] = [];\n"
HEAD_ORDERS = "export const orders: string[] = [];\nexport function total(): number {\n  return orders.length;\n}\n"


def _comment(line: int, message: str, **extra: Any) -> dict[str, Any]:
    return {"path": "src/auth.ts", "line": line, "severity": "high", "category": "bug", "message": message, **extra}


def _open_pull(h: ReviewHarness) -> tuple[str, int, str]:
    """A repository with history and a pull request changing two files; returns (repo, number, head)."""
    repo = f"acme/shop-{uuid.uuid4().hex[:6]}"
    h.github.add_repo(repo, files={"src/auth.ts": BASE_AUTH, "src/orders.ts": BASE_ORDERS})
    head = h.github.commit_changes(repo, {"src/auth.ts": HEAD_AUTH, "src/orders.ts": HEAD_ORDERS}, branch="feature")
    number = h.github.open_pull(repo, title="Allow actions", head_ref="feature")
    return repo, number, head


async def _review(client: Client, h: ReviewHarness, repo: str, number: int, head: str, **kw: Any) -> ReviewResult:
    plan = review_pr_start(repository=repo, number=number, head_sha=head, trigger="webhook", **kw)
    handle = await start_workflow(client, h.settings.temporal, plan)
    typed = client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=ReviewResult)
    return await typed.result()


def _diff_section(prompt: str) -> str:
    return prompt.split("## The change", 1)[1].split("## Your answer", 1)[0]


def _summary(h: ReviewHarness, repo: str, number: int) -> str:
    [summary] = [c["body"] for c in h.github.issue_comments(repo, number) if "pr-agent:summary" in c["body"]]
    return summary


async def test_an_indented_multi_line_suggestion_is_posted_byte_for_byte(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        repo, number, head = _open_pull(h)
        replacement = "  if (admin && action === 'read') {\n    return true;\n  }"
        h.llm.enqueue(llm_answer("s", [_comment(4, "Any action passes.", start_line=2, suggestion=replacement)]))  # type: ignore[union-attr]
        result = await _review(temporal_client, h, repo, number, head)
        assert result.status == "posted"
        [comment] = h.github.review_comments(repo, number)
        assert (comment["start_line"], comment["line"], comment["path"]) == (2, 4, "src/auth.ts")
        assert f"```suggestion\n{replacement}\n```" in comment["body"]


async def test_a_suggestion_that_breaks_parsing_is_posted_without_its_block(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        repo, number, head = _open_pull(h)
        h.llm.enqueue(llm_answer("s", [_comment(2, "Any action passes.", suggestion="  if (admin && action {")]))  # type: ignore[union-attr]
        await _review(temporal_client, h, repo, number, head)
        [comment] = h.github.review_comments(repo, number)
        assert "Any action passes." in comment["body"] and "```suggestion" not in comment["body"]
        assert "no longer parse" in comment["body"]
        summary = _summary(h, repo, number)
        assert "1 suggested change left out" in summary and "`src/auth.ts:2`" in summary


async def test_a_refused_batch_posts_every_valid_comment_once_and_lists_the_refused_one(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        repo, number, head = _open_pull(h)
        h.llm.enqueue(llm_answer("s", [_comment(2, "First problem."), _comment(3, "Second problem.")]))  # type: ignore[union-attr]
        h.github.fail_next_review(repo, number, status=422)
        refusal = {
            "message": "Validation Failed",
            "errors": [
                {
                    "resource": "PullRequestReviewComment",
                    "code": "custom",
                    "field": "line",
                    "message": "could not be resolved",
                }
            ],
        }
        h.github.faults.push(status=422, body=refusal, method="POST", path=f"/repos/{repo}/pulls/{number}/comments")
        result = await _review(temporal_client, h, repo, number, head)
        assert result.status == "posted"
        posted = h.github.review_comments(repo, number)
        assert [c["line"] for c in posted] == [3]
        summary = _summary(h, repo, number)
        assert "### Not posted inline" in summary and "could not be resolved" in summary and "src/auth.ts:2" in summary
        details = await pool.fetchval("SELECT details FROM review_history WHERE head_sha = $1", head)
        assert [n["line"] for n in details["inline_rejected"]] == [2]

        h.llm.enqueue(llm_answer("s", [_comment(2, "First problem."), _comment(3, "Second problem.")]))  # type: ignore[union-attr]
        await _review(temporal_client, h, repo, number, head, force=True)  # `/review` again on the same head
        assert sorted(c["line"] for c in h.github.review_comments(repo, number)) == [2, 3]  # the refused one, once


async def test_a_head_that_moved_before_posting_gets_no_stale_inline_comments(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        repo, number, head = _open_pull(h)
        moved: list[str] = []

        def push_while_thinking(body: dict[str, Any]) -> str:
            # A push whose webhook has not arrived yet: GitHub's head moves while the model answers.
            moved.append(h.github.commit_changes(repo, {"src/orders.ts": HEAD_ORDERS + "// later\n"}, branch="feature"))
            return llm_answer("s", [_comment(2, "A problem.")])

        h.llm.responder = push_while_thinking  # type: ignore[union-attr]
        result = await _review(temporal_client, h, repo, number, head)
        assert result.status == "posted"
        assert h.github.review_comments(repo, number) == []
        assert f"moved on to `{moved[0][:7]}`" in _summary(h, repo, number)


async def test_a_follow_up_head_asks_the_model_only_about_the_new_commits(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        repo, number, first = _open_pull(h)
        h.llm.enqueue(llm_answer("first"), llm_answer("second", [_comment(5, "Now wrong.")]))  # type: ignore[union-attr]
        await _review(temporal_client, h, repo, number, first)
        fixed = HEAD_AUTH.replace("  return false;", "  return action === 'read';")
        second = h.github.commit_changes(repo, {"src/auth.ts": fixed}, branch="feature", message="Fix-up")
        await _review(temporal_client, h, repo, number, second)
        whole, follow_up = (p[-1]["content"] for p in h.llm.prompts)  # type: ignore[union-attr]
        assert "return orders.length" in whole and "return orders.length" not in follow_up
        assert "return action === 'read'" in follow_up and "Incremental review" in follow_up
        assert len(_diff_section(follow_up)) < len(_diff_section(whole))
        assert f"incremental review of `{first[:7]}..{second[:7]}`" in _summary(h, repo, number)
        assert [c["line"] for c in h.github.review_comments(repo, number)] == [5]
        scope = await pool.fetchrow(
            "SELECT review_scope, reviewed_since FROM review_history WHERE head_sha = $1", second
        )
        assert (scope["review_scope"], scope["reviewed_since"]) == ("incremental", first)


async def test_a_force_push_gets_a_whole_review_and_review_full_forces_one(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        repo, number, first = _open_pull(h)
        h.llm.enqueue(llm_answer("one"), llm_answer("two"), llm_answer("three"))  # type: ignore[union-attr]
        await _review(temporal_client, h, repo, number, first)
        base = h.github.repo_record(repo).branches["main"]  # type: ignore[union-attr]
        rewritten = h.github.commit_changes(
            repo,
            {"src/auth.ts": HEAD_AUTH, "src/orders.ts": HEAD_ORDERS + "// squashed\n"},
            branch="feature",
            parents=[base],
        )
        await _review(temporal_client, h, repo, number, rewritten)
        assert "return orders.length" in h.llm.prompts[-1][-1]["content"]  # type: ignore[union-attr]
        summary = _summary(h, repo, number)
        assert f"whole review: the last reviewed head {first[:7]} is not in this head's history" in summary

        again = h.github.commit_changes(repo, {"src/orders.ts": HEAD_ORDERS + "// again\n"}, branch="feature")
        await _review(temporal_client, h, repo, number, again, full=True)
        assert "return orders.length" in h.llm.prompts[-1][-1]["content"]  # type: ignore[union-attr]
        assert "whole review" in _summary(h, repo, number)
