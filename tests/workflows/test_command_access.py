"""Who may run a command, on the real workflows: someone without write or triage access gets one short
reply and nothing else runs; a locked conversation refuses commands; triage is enough; permission is
read through the API once and cached; /help answers with the commands and their settings."""

from __future__ import annotations

import asyncpg
from temporalio.client import Client

from contracts.starts import ask_pr_start, help_pr_start, improve_pr_start
from domain.improve.render import IMPROVE_MARKER
from tests.support.commands import DEVELOPER, READER, open_pull, run
from tests.support.review_harness import review_harness

BASE = {"src/a.ts": "export const a = 1;\n"}
HEAD = {"src/a.ts": "export const a = 1;\nexport const b = 2;\n"}
PERMISSION = r"/collaborators/[^/]+/permission$"


async def test_a_reader_is_refused_with_one_reply_and_nothing_else_runs(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        world = open_pull(h, BASE, HEAD)
        first, second = world.comment("/improve", login=READER), world.comment("/improve", login=READER)
        for request in (first, second):
            result = await run(
                temporal_client, h, improve_pr_start(repository=world.repo, number=world.number, request=request)
            )
            assert result.status == "refused" and result.refused == 1

        replies = [c for c in world.issue_comments() if c["user"]["login"] == h.github.bot_login]
        assert [r["body"].split("\n")[0] for r in replies] == [
            f"@{READER} sorry, `/improve` can only be run by people with write or triage access to {world.repo} "
            "(your access is `read`). A maintainer can run it for you."
        ] * 2  # one per command comment
        assert h.llm.chat_calls == [] and world.review_comments() == []  # type: ignore[union-attr]
        assert world.issue_comments(IMPROVE_MARKER) == []
        assert world.bot_reactions(first.comment_id or 0) == []
        assert len(h.github.requests_matching("GET", PERMISSION)) == 1  # the second read came from the cache
        assert await pool.fetchval("SELECT count(*) FROM review_history") == 0


async def test_triage_may_run_commands_and_a_locked_conversation_refuses_them(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        world = open_pull(h, BASE, HEAD)
        h.github.add_collaborator(world.repo, "tia-triage", "triage")
        request = world.comment("/help", login="tia-triage")
        result = await run(
            temporal_client, h, help_pr_start(repository=world.repo, number=world.number, request=request)
        )
        assert result.status == "posted"
        [help_reply] = [c for c in world.issue_comments() if c["user"]["login"] == h.github.bot_login]
        body = help_reply["body"]
        assert body.startswith("@tia-triage here is what I can do on a pull request.")
        for command in ("`/review`", "`/review full`", "`/improve`", "`/ask QUESTION`", "`/describe`", "`/help`"):
            assert command in body
        assert "`IMPROVE_MAX_SUGGESTIONS` = 8" in body and "`IMPROVE_MIN_SCORE` = 6" in body
        assert "no LLM key is configured" in body

        h.github.lock_pull(world.repo, world.number, "too heated")
        request = world.comment("/ask what changed?", login=DEVELOPER)
        plan = ask_pr_start(repository=world.repo, number=world.number, request=request, question="what changed?")
        locked = await run(temporal_client, h, plan)
        assert locked.status == "refused"
        last = world.issue_comments()[-1]
        assert last["body"].startswith(f"@{DEVELOPER} this conversation is locked, so `/ask` does not run here.")
        assert await pool.fetchval("SELECT count(*) FROM review_history") == 0
