"""DescribePR on the real workflow, against the GitHub and model stand-ins: the description goes into a
marked section of the body, the author's text and an edit made while the model wrote are kept, the same
head is left alone, and without a key the facts are written and the model part is said to be skipped."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
from temporalio.client import Client

from contracts.starts import describe_pr_start
from domain.describe.body import END, START
from tests.support.commands import PullRequestWorld, open_pull, run
from tests.support.review_harness import review_harness

BASE = {"src/orders.ts": "export const orders: string[] = [];\n"}
TOTAL = "export function total(): number {\n  return orders.length;\n}\n"
HEAD = {"src/orders.ts": BASE["src/orders.ts"] + TOTAL}
AUTHOR_TEXT = "Adds a total.\n\nThe dashboard needs the number of orders."
ANSWER = {
    "what": "Adds `total()`, the number of orders.",
    "why": "The dashboard shows it.",
    "files": [{"path": "src/orders.ts", "summary": "New `total()` function."}, {"path": "nope.ts", "summary": "x"}],
    "risk": "None beyond the new export.",
    "labels": ["Feature", "api", "feature"],
}


async def describe(client: Client, world: PullRequestWorld) -> Any:
    request = world.comment("/describe")
    return await run(client, world.h, describe_pr_start(repository=world.repo, number=world.number, request=request))


async def test_the_authors_text_and_an_edit_made_meanwhile_are_kept(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        world = open_pull(h, BASE, HEAD, title="SHOP-42 order totals", body=AUTHOR_TEXT)

        def edit_while_writing(body: dict[str, Any]) -> str:
            # The author edits the description on GitHub while the model is still answering.
            pr = h.github.pull_record(world.repo, world.number)
            pr.body = (pr.body or "") + "\n\nEdited while PR Agent was writing."
            return json.dumps(ANSWER)

        h.llm.responder = edit_while_writing  # type: ignore[union-attr]
        result = await describe(temporal_client, world)

        assert result.status == "posted" and result.llm_used
        body = world.body()
        assert body.startswith(AUTHOR_TEXT + "\n\nEdited while PR Agent was writing.\n\n" + START)
        assert body.count(START) == 1 and body.rstrip().endswith(END)
        section = body[body.index(START) :]
        assert (
            "### What\nAdds `total()`, the number of orders." in section
            and "### Why\nThe dashboard shows it." in section
        )
        assert "| `src/orders.ts` | modified | +3 −0 | New `total()` function. |" in section
        assert "nope.ts" not in section
        assert "No ticket: Jira ticket SHOP-42 not synced and Jira is not configured." in section
        assert "Analyzers and house rules: **low** (no findings)." in section
        assert "### Labels suggested\n`feature`, `api`" in section
        assert result.rendered_text.strip() in body

        calls = len(h.llm.chat_calls)  # type: ignore[union-attr]
        again = await describe(temporal_client, world)  # the same head, the section still there
        assert again.status == "unchanged" and world.body() == body
        assert len(h.llm.chat_calls) == calls  # type: ignore[union-attr]
        kind = await pool.fetchval("SELECT review_type FROM review_history WHERE head_sha = $1", world.head)
        assert kind == "describe"


async def test_a_new_head_replaces_only_the_section(temporal_client: Client, db_dsn: str, pool: asyncpg.Pool) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        world = open_pull(h, BASE, HEAD, body=AUTHOR_TEXT)
        h.llm.enqueue(json.dumps(ANSWER), json.dumps(ANSWER | {"what": "Adds `total()` and `empty()`."}))  # type: ignore[union-attr]
        await describe(temporal_client, world)
        record = h.github.pull_record(world.repo, world.number)
        record.body = (record.body or "").replace("Adds a total.", "Adds a total (reworded).") + "\n\nPS: thanks"
        world.push({"src/orders.ts": HEAD["src/orders.ts"] + "export const empty = (): boolean => !orders.length;\n"})
        result = await describe(temporal_client, world)

        body = world.body()
        assert result.status == "posted" and body.count(START) == 1
        assert body.startswith("Adds a total (reworded).") and body.rstrip().endswith("PS: thanks")
        assert "Adds `total()` and `empty()`." in body and f"head `{world.head[:7]}`" in body


async def test_without_a_key_the_facts_are_written_and_the_model_part_said_skipped(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        world = open_pull(h, BASE, HEAD, body=AUTHOR_TEXT)
        result = await describe(temporal_client, world)
        body = world.body()
        assert result.status == "skipped" and body.startswith(AUTHOR_TEXT)
        assert "_The model's part (what and why, file notes, labels) was skipped: no LLM_API key configured._" in body
        assert "### Walkthrough\n| file | change | +/- |" in body and "`src/orders.ts`" in body
        assert "### Risk" in body and "### What" not in body
        again = await describe(temporal_client, world)
        assert again.status == "skipped" and world.body() == body  # nothing new: the same section
