"""review_history after 006: a review per head, an auto-fix row per request beside it, and the
review's findings stored with the ids it shows."""

from __future__ import annotations

import asyncpg

from db.autofix import AutofixRecord, AutofixRepository
from db.reviews import ReviewRecord, ReviewRepository
from domain.findings import Finding

HEAD = "b" * 40
LOW = Finding("src/a.ts", 3, "low", "ts.let-never-reassigned", "never reassigned")
HIGH = Finding("app/db.py", 40, "high", "sql.string-built-query", "SQL built by splicing")


def review(*findings: Finding, head: str = HEAD) -> ReviewRecord:
    return ReviewRecord(
        repository="acme/shop", pr_number=7, head_sha=head, status="posted", trigger="webhook", findings=findings
    )


def autofix(request_id: str, status: str = "pushed") -> AutofixRecord:
    return AutofixRecord(
        request_id=request_id,
        repository="acme/shop",
        pr_number=7,
        head_sha=HEAD,
        status=status,
        trigger="comment",
        requester="dev-alice",
        pr_url=None,
        workflow_id="autofix:acme/shop#7",
        run_id="run",
        outcome={"status": status},
        findings_fixed=1,
    )


async def test_a_review_keeps_its_findings_with_their_ids_and_is_found_by_marker(pool: asyncpg.Pool) -> None:
    reviews, store = ReviewRepository(pool), AutofixRepository(pool)
    await reviews.record(review(LOW, HIGH))
    latest = await store.latest_review("acme/shop", 7)
    assert latest is not None and [(n.id, n.finding) for n in latest.findings] == [("F1", HIGH), ("F2", LOW)]
    by_marker = await store.review_with_marker("acme/shop", 7, latest.findings[1].marker)
    assert by_marker is not None and by_marker.head_sha == HEAD
    assert await store.review_with_marker("acme/shop", 7, "0" * 16) is None


async def test_autofix_rows_sit_beside_the_review_of_the_same_head_one_per_request(pool: asyncpg.Pool) -> None:
    reviews, store = ReviewRepository(pool), AutofixRepository(pool)
    await reviews.record(review(LOW))
    await store.record(autofix("comment-1", "failed"))
    await store.record(autofix("comment-1", "pushed"))  # a retried record replaces its own row
    await store.record(autofix("comment-2"))
    await reviews.record(review(LOW, HIGH))  # a forced re-review of the head replaces the review only
    rows = await pool.fetch("SELECT review_type, request_id, status, findings_total FROM review_history ORDER BY id")
    assert [(r["review_type"], r["request_id"], r["status"]) for r in rows] == [
        ("review", None, "posted"),
        ("autofix", "comment-1", "pushed"),
        ("autofix", "comment-2", "pushed"),
    ]
    assert rows[0]["findings_total"] == 2
    assert await store.answered("comment-1") and not await store.answered("comment-3")
    assert await reviews.was_posted("acme/shop", 7, HEAD)
