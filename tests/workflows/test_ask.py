"""AskPR on the real workflow, against the GitHub and model stand-ins: an /ask in an inline thread is
answered in that thread about its line, from evidence that includes earlier review findings; without
a key the evidence is given and the model part said to be skipped; a question is answered once."""

from __future__ import annotations

import uuid

import asyncpg
from temporalio.client import Client

from contracts.commands import CommandRequest
from contracts.starts import ask_pr_start
from domain.findings import Finding
from domain.review.markers import finding_marker
from tests.support.commands import DEVELOPER, open_pull, run
from tests.support.review_harness import review_harness

BASE = {"src/auth.ts": "export function allowed(admin: boolean, action: string): boolean {\n  return false;\n}\n"}
HEAD = {
    "src/auth.ts": (
        "export function allowed(admin: boolean, action: string): boolean {\n"
        "  if (admin || action) {\n"
        "    return true;\n"
        "  }\n"
        "  return false;\n"
        "}\n"
    )
}
FINDING = Finding("src/auth.ts", 2, "high", "llm.security", "Any non-empty action passes the check.", source="llm")


async def test_an_ask_in_an_inline_thread_is_answered_there_about_its_line(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        world = open_pull(h, BASE, HEAD)
        github = h.github
        root = github.add_review_comment(
            world.repo,
            world.number,
            f"**high** Any non-empty action passes the check.\n\n{finding_marker(FINDING)}",
            path="src/auth.ts",
            line=2,
            user_login=github.bot_login,
        )
        question = "/ask why is this a problem?"
        asked = github.add_review_comment(world.repo, world.number, question, in_reply_to=root, user_login=DEVELOPER)
        h.llm.enqueue("An empty check: `action` is any non-empty string, so everyone passes (`src/auth.ts:2`).")  # type: ignore[union-attr]
        request = CommandRequest(
            author=DEVELOPER,
            comment_id=asked,
            review_comment=True,
            thread_root_id=root,
            path="src/auth.ts",
            line=2,
            delivery_id=str(uuid.uuid4()),
        )
        plan = ask_pr_start(
            repository=world.repo, number=world.number, request=request, question="why is this a problem?"
        )
        result = await run(temporal_client, h, plan)

        assert result.status == "posted" and result.llm_used
        replies = [c for c in world.review_comments() if c["user"]["login"] == github.bot_login and c["id"] != root]
        [reply] = replies
        assert reply["in_reply_to_id"] == root and reply["path"] == "src/auth.ts"
        assert "so everyone passes (`src/auth.ts:2`)" in reply["body"] and f"@{DEVELOPER}" in reply["body"]
        assert "Looked at about `src/auth.ts:2`" in reply["body"]
        assert world.issue_comments() == []  # nothing in the conversation: the answer is in the thread
        assert world.bot_reactions(asked) == ["eyes"]
        prompt = h.llm.chat_calls[0].messages[1]["content"]  # type: ignore[union-attr]
        line_asked = prompt.split("## The line asked about", 1)[1].split("## Jira ticket", 1)[0]
        assert "    2 >   if (admin || action) {" in line_asked
        assert "- src/auth.ts:2: **high** Any non-empty action passes the check." in prompt
        assert await pool.fetchval("SELECT count(*) FROM api_usage WHERE purpose = 'ask'") == 1

        again = await run(temporal_client, h, plan)  # the same question (a replayed delivery): answered once
        assert again.status == "unchanged" and len(h.llm.chat_calls) == 1  # type: ignore[union-attr]
        assert len([c for c in world.review_comments() if c["user"]["login"] == github.bot_login]) == 2


async def test_without_a_key_the_evidence_is_given_and_the_model_part_said_skipped(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        world = open_pull(h, BASE, HEAD)
        request = world.comment("/ask when does allowed return true?")
        plan = ask_pr_start(
            repository=world.repo, number=world.number, request=request, question="when does allowed return true?"
        )
        result = await run(temporal_client, h, plan)

        assert result.status == "skipped" and not result.llm_used
        [reply] = [c for c in world.issue_comments() if c["user"]["login"] == h.github.bot_login]
        assert "> when does allowed return true?" in reply["body"]
        assert "the model part was skipped: no LLM_API key configured. Here is the evidence I found:" in reply["body"]
        assert "- `src/auth.ts:1-6` (changed):" in reply["body"] and "if (admin || action) {" in reply["body"]
        await run(temporal_client, h, plan)
        assert len([c for c in world.issue_comments() if c["user"]["login"] == h.github.bot_login]) == 1


async def test_an_ask_without_a_question_gets_the_usage(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        world = open_pull(h, BASE, HEAD)
        request = world.comment("/ask")
        result = await run(
            temporal_client, h, ask_pr_start(repository=world.repo, number=world.number, request=request, question="")
        )
        assert result.status == "skipped" and h.llm.chat_calls == []  # type: ignore[union-attr]
        [reply] = [c for c in world.issue_comments() if c["user"]["login"] == h.github.bot_login]
        assert "`/ask` needs a question after it" in reply["body"]
