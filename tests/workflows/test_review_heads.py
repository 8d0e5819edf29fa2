"""One review per head, the newest head wins: bursts, new heads mid-review, duplicate deliveries."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import asyncpg
import httpx
from temporalio import activity
from temporalio.client import Client, WorkflowHandle

from contracts.review import RecordReviewInput, ReviewResult
from contracts.starts import review_pr_start
from core.temporal.client import TemporalGateway, start_workflow
from tests.fakes.github_diff import files_from_unified_diff
from tests.support.api import app_client
from tests.support.fixtures import fixture_bytes, github_headers
from tests.support.review_harness import llm_answer, review_harness
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

PYTHON = "python__nsidnev-fastapi-realworld__e96b98a_db-connection-per-request_PR62.diff"
REPO, NUMBER, WORKFLOW_ID = "Codertocat/Hello-World", 2, "review:Codertocat/Hello-World#2"


def sha(n: int) -> str:
    return f"{n:040x}"


async def run_count(client: Client, task_queue: str) -> int:
    """Runs of the PR's workflow on this test's queue (other tests reuse the same workflow id)."""
    query = f"WorkflowId = '{WORKFLOW_ID}' AND TaskQueue = '{task_queue}'"
    return len([w async for w in client.list_workflows(query)])


async def test_fifty_synchronize_deliveries_give_one_run_reviewing_the_last_head(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        h.seed_pull(PYTHON)
        files = files_from_unified_diff(fixture_bytes(f"diffs/{PYTHON}").decode())
        payload = json.loads(fixture_bytes("github/octokit-webhooks__pull_request_synchronize.payload.json"))
        for n in range(1, 51):  # fifty pushes land on GitHub; their webhooks arrive together, in any order
            h.github.push_to_pull(REPO, NUMBER, sha(n), files=files)
        gate = asyncio.Semaphore(10)

        async def deliver(http: httpx.AsyncClient, n: int) -> int:
            payload["pull_request"]["head"]["sha"] = sha(n)
            body = json.dumps(payload).encode()
            headers = github_headers("test-webhook-secret", body, "pull_request", f"burst-{n}")
            async with gate:
                return (await http.post("/api/v1/github_webhooks", content=body, headers=headers)).status_code

        async with app_client(h.settings, pool, TemporalGateway(h.settings, temporal_client)) as http:
            statuses = await asyncio.gather(*(deliver(http, n) for n in range(1, 51)))
        assert statuses == [202] * 50
        handle = temporal_client.get_workflow_handle(WORKFLOW_ID, result_type=ReviewResult)
        result = await handle.result()
        assert result.heads_reviewed == [sha(50)]
        assert await run_count(temporal_client, h.settings.temporal.queue_reviews) == 1
        assert len(h.summary_comments()) == 1 and f"pr-agent:head={sha(50)}" in h.summary_comments()[0]["body"]
        posted = await pool.fetch("SELECT head_sha FROM review_history WHERE status = 'posted'")
        assert [r["head_sha"] for r in posted] == [sha(50)]


async def test_new_head_during_llm_call_cancels_it_and_reviews_only_the_newest(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool) as h:
        first = h.seed_pull(PYTHON)
        assert h.llm is not None
        h.llm.faults.push(delay=20.0, times=1, path="chat/completions")  # the first LLM call hangs
        h.llm.enqueue(llm_answer("Review of the newest head."))
        handle = await h.start(first, trigger="demo")  # no settle delay: straight to work
        await _wait_for_step(handle, "llm")
        await _wait_until(lambda: h.llm is not None and h.llm.faults.injected == 1)  # the first call is in flight
        files = files_from_unified_diff(fixture_bytes(f"diffs/{PYTHON}").decode())
        h.github.push_to_pull(REPO, NUMBER, sha(7), files=files)
        await h.signal_head(sha(7))
        typed = temporal_client.get_workflow_handle(WORKFLOW_ID, result_type=ReviewResult)
        result = await asyncio.wait_for(typed.result(), timeout=60)
        assert result.heads_superseded == [first] and result.heads_reviewed == [sha(7)]
        [summary] = h.summary_comments()
        assert f"pr-agent:head={sha(7)}" in summary["body"] and first not in summary["body"]
        assert "Review of the newest head." in summary["body"]
        rows = await pool.fetch("SELECT head_sha, status FROM review_history")
        assert [(r["head_sha"], r["status"]) for r in rows] == [(sha(7), "posted")]


async def _wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.05)

    await asyncio.wait_for(poll(), timeout)


async def _wait_for_step(handle: WorkflowHandle, step: str, timeout: float = 20.0) -> None:
    async def poll() -> None:
        while (await handle.query("progress"))["step"] != step:
            await asyncio.sleep(0.1)

    await asyncio.wait_for(poll(), timeout)


async def test_run_killed_between_posting_and_recording_posts_nothing_twice_when_run_again(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    posted = asyncio.Event()

    @activity.defn(name="record_review")
    async def record_never_finishes(_: RecordReviewInput) -> None:
        posted.set()  # post_review has returned: everything is on the PR, nothing recorded yet
        await asyncio.sleep(3600)

    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        head = h.seed_pull("php-sql__panique-mini__a386292_crud-update-song_PR125.diff")
        deps = WorkerDeps(h.settings, pool)
        registration = REGISTRATIONS["reviews"](deps)
        registration.activities = [
            a for a in registration.activities if getattr(a, "__temporal_activity_definition").name != "record_review"
        ] + [record_never_finishes]
        stalled = h.settings.temporal.model_copy(update={"queue_reviews": h.settings.temporal.queue_reviews + "-x"})
        stalled_settings = h.settings.model_copy(update={"temporal": stalled})
        async with build_worker(temporal_client, WorkerDeps(stalled_settings, pool), "reviews", registration):
            handle = await start_workflow(
                temporal_client,
                stalled,
                review_pr_start(repository=REPO, number=NUMBER, head_sha=head, trigger="demo", delivery_id="kill-1"),
            )
            await asyncio.wait_for(posted.wait(), 30)
            await handle.terminate("worker killed")  # the run dies before record_review completes
        comments_before, inline_before = len(h.summary_comments()), len(h.inline_comments())
        assert comments_before == 1 and inline_before >= 5
        result = await h.review(head)  # a replay of the delivery: a fresh run on the healthy worker
        assert result.status == "posted" and result.inline_posted == 0
        assert len(h.summary_comments()) == 1 and len(h.inline_comments()) == inline_before
