"""ReviewPR end to end: real workflow, real Temporal and PostgreSQL, PyGithub and litellm against local fakes."""

from __future__ import annotations

import asyncpg
import pytest
from temporalio.client import Client

from tests.support.review_harness import llm_answer, review_harness

PHP = "php-sql__panique-mini__a386292_crud-update-song_PR125.diff"
NEST = "ts-nestjs__lujakob-nestjs-realworld__8f5ab17_fix-articles-feed-endpoint.diff"
PYTHON = "python__nsidnev-fastapi-realworld__e96b98a_db-connection-per-request_PR62.diff"


async def test_php_fixture_gets_summary_and_inline_findings_on_the_right_lines(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        head = h.seed_pull(PHP)
        h.llm.enqueue(llm_answer("Adds editing of songs; the views echo values unescaped."))  # type: ignore[union-attr]
        result = await h.review(head)
        assert result.status == "posted" and result.llm_used
        [summary] = h.summary_comments()
        body = summary["body"]
        assert f"pr-agent:head={head}" in body
        assert "Adds editing of songs" in body
        assert "php.unescaped-output" in body
        inline = {(c["path"], c["line"]) for c in h.inline_comments()}
        unescaped = {("application/views/songs/edit.php", line) for line in (8, 10, 12, 13)} | {
            ("application/views/songs/index.php", 46)
        }
        assert unescaped <= inline
        assert ("application/views/songs/index.php", 45) not in inline  # unchanged line
        # Editor links go through the API's https page (GitHub shows cursor:// and vscode:// as text).
        editor_page = f"{h.settings.admin.public_base_url}/ide/Codertocat/Hello-World/pull/2/"
        assert all(f"]({editor_page}" in c["body"] and "?editor=cursor)" in c["body"] for c in h.inline_comments())
        assert not any("cursor://" in c["body"] or "vscode://" in c["body"] for c in h.inline_comments())
        history = await pool.fetchrow("SELECT * FROM review_history WHERE head_sha = $1", head)
        assert history["status"] == "posted" and history["summary_comment_id"] == summary["id"]
        assert history["findings_total"] >= 5 and history["llm_used"]
        activity = await pool.fetchval("SELECT count(*) FROM github_activity WHERE activity_type = 'pull_request'")
        assert activity == 1


@pytest.mark.parametrize("diff", [NEST, PYTHON])
async def test_llm_comment_is_posted_inline_for_other_fixture_diffs(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, diff: str
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        head = h.seed_pull(diff)
        path, line = (
            ("src/article/article.controller.ts", 33) if diff == NEST else ("app/api/dependencies/database.py", 17)
        )
        comment = {
            "path": path,
            "line": line,
            "severity": "medium",
            "category": "correctness",
            "message": "Check this line",
            "suggestion": None,
        }
        h.llm.enqueue(llm_answer("Looks fine overall.", [comment], risk="medium"))  # type: ignore[union-attr]
        result = await h.review(head)
        assert result.status == "posted"
        [summary] = h.summary_comments()
        assert "Looks fine overall." in summary["body"]
        assert [(c["path"], c["line"]) for c in h.inline_comments()] == [(path, line)]
        prompt = h.llm.prompts[0][-1]["content"]  # type: ignore[union-attr]
        assert path in prompt  # the diff reached the model


async def test_without_llm_key_the_review_says_it_skipped_the_llm(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        head = h.seed_pull(PHP)
        result = await h.review(head)
        assert result.status == "posted" and not result.llm_used
        [summary] = h.summary_comments()
        assert "LLM review skipped: no LLM_API key configured" in summary["body"]
        assert len(h.inline_comments()) >= 5


async def test_second_run_for_same_head_is_a_noop_and_forced_run_posts_nothing_twice(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        head = h.seed_pull(PHP)
        await h.review(head)
        inline_before = len(h.inline_comments())
        again = await h.review(head)
        assert again.status == "skipped" and "already reviewed" in (again.skipped_reason or "")
        forced = await h.review(head, force=True)
        assert forced.status == "posted" and forced.inline_posted == 0
        assert len(h.summary_comments()) == 1
        assert len(h.inline_comments()) == inline_before


async def test_llm_429_then_success(temporal_client: Client, db_dsn: str, pool: asyncpg.Pool) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        head = h.seed_pull(PYTHON)
        assert h.llm is not None
        h.llm.faults.push(status=429, times=1, headers={"Retry-After": "1"})
        h.llm.enqueue(llm_answer("Second attempt worked."))
        result = await h.review(head)
        assert result.llm_used
        assert "Second attempt worked." in h.summary_comments()[0]["body"]
        assert h.llm.faults.injected == 1


@pytest.mark.slow
async def test_llm_500_until_exhausted_gives_analyzers_only_review(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        head = h.seed_pull(PHP)
        assert h.llm is not None
        h.llm.faults.push(status=500, times=100)
        result = await h.review(head)
        assert result.status == "posted" and not result.llm_used
        body = h.summary_comments()[0]["body"]
        assert "LLM review skipped: LLM provider failed after 4 attempts" in body
        assert "php.unescaped-output" in body


async def test_malformed_model_output_is_repaired_once_then_reported(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        head = h.seed_pull(PYTHON)
        assert h.llm is not None
        h.llm.enqueue("I think this is fine!", "still not json")
        result = await h.review(head)
        assert result.status == "posted" and not result.llm_used
        assert "unusable after one repair attempt" in h.summary_comments()[0]["body"]
        assert len(h.llm.chat_calls) == 2  # the answer and one repair, no retries on top


async def test_github_5xx_while_posting_is_retried_and_leaves_one_summary(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        head = h.seed_pull(PHP)
        h.github.faults.push(status=502, times=2, method="POST", path=r"/issues/\d+/comments$")
        h.github.faults.push(status=500, times=1, method="POST", path=r"/pulls/\d+/reviews$")
        result = await h.review(head)
        assert result.status == "posted"
        assert len(h.summary_comments()) == 1
        markers = [c["body"].split("pr-agent:finding=")[1][:16] for c in h.inline_comments()]
        assert len(markers) == len(set(markers))


CONSOLE_DIFF = """diff --git a/src/app.ts b/src/app.ts
index 1111111..2222222 100644
--- a/src/app.ts
+++ b/src/app.ts
@@ -1,3 +1,4 @@
 export function start(): void {
+  console.log("starting");
   run();
 }
"""
DISABLE = '[[rule]]\nid = "js.console-log"\nenabled = false\n'


@pytest.mark.parametrize(("ref", "disabled"), [("master", True), ("changes", False)])
async def test_repository_rule_overrides_come_from_the_target_branch_only(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, ref: str, disabled: bool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        head = h.seed_pull(diff_text=CONSOLE_DIFF)
        h.github.add_file("Codertocat/Hello-World", ".pr-agent/rules.toml", DISABLE, ref=ref)
        await h.review(head)
        rules_fired = {c["body"].split("pr-agent:finding=")[0] for c in h.inline_comments()}
        console = any("console.log" in body for body in rules_fired)
        assert console is not disabled  # a PR cannot switch off the rules it is reviewed by
