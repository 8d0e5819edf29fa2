"""Auto-fix state in review_history: the reviews' stored findings it resolves ids against, and one
row per answered request (`review_type = 'autofix'`, keyed by its request id)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import asyncpg

from domain.findings import Finding
from domain.review.finding_ids import NumberedFinding


@dataclass(frozen=True)
class StoredReview:
    head_sha: str
    findings: list[NumberedFinding]


@dataclass(frozen=True)
class AutofixRecord:
    request_id: str
    repository: str
    pr_number: int
    head_sha: str
    status: str
    trigger: str
    requester: str | None
    pr_url: str | None
    workflow_id: str | None
    run_id: str | None
    outcome: dict[str, Any]
    findings_fixed: int
    reason: str | None = None
    reply_comment_id: int | None = None
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    duration_ms: int | None = None


class AutofixRepository:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def latest_review(self, repository: str, number: int) -> StoredReview | None:
        """The pull request's newest posted review, with its findings."""
        row = await self._pool.fetchrow(
            """SELECT head_sha, findings FROM review_history
               WHERE repository = $1 AND pr_number = $2 AND review_type = 'review' AND status = 'posted'
               ORDER BY created_at DESC, id DESC LIMIT 1""",
            repository,
            number,
        )
        return _review(row) if row else None

    async def review_with_marker(self, repository: str, number: int, marker: str) -> StoredReview | None:
        """The newest posted review of the pull request that has the finding `marker`."""
        row = await self._pool.fetchrow(
            """SELECT head_sha, findings FROM review_history
               WHERE repository = $1 AND pr_number = $2 AND review_type = 'review' AND status = 'posted'
                 AND findings @> $3::jsonb
               ORDER BY created_at DESC, id DESC LIMIT 1""",
            repository,
            number,
            [{"marker": marker}],
        )
        return _review(row) if row else None

    async def answered(self, request_id: str) -> bool:
        """Whether this request was answered already (by this run or an earlier one)."""
        found = await self._pool.fetchval("SELECT 1 FROM review_history WHERE request_id = $1", request_id)
        return found is not None

    async def record(self, record: AutofixRecord) -> None:
        """The request's one row; recording it again (a retried activity) replaces it."""
        await self._pool.execute(
            """INSERT INTO review_history (review_type, request_id, repository, pr_number, head_sha, status,
                   skipped_reason, trigger, pr_url, workflow_id, run_id, summary_comment_id, findings_total,
                   model, tokens_in, tokens_out, cost_usd, duration_ms, llm_used, outcome, context_used)
               VALUES ('autofix', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                   $18, $19, $20)
               ON CONFLICT (request_id) WHERE request_id IS NOT NULL DO UPDATE SET
                   head_sha = EXCLUDED.head_sha, status = EXCLUDED.status,
                   skipped_reason = EXCLUDED.skipped_reason, run_id = EXCLUDED.run_id,
                   summary_comment_id = EXCLUDED.summary_comment_id, findings_total = EXCLUDED.findings_total,
                   model = EXCLUDED.model, tokens_in = EXCLUDED.tokens_in, tokens_out = EXCLUDED.tokens_out,
                   cost_usd = EXCLUDED.cost_usd, duration_ms = EXCLUDED.duration_ms,
                   llm_used = EXCLUDED.llm_used, outcome = EXCLUDED.outcome""",
            record.request_id,
            record.repository,
            record.pr_number,
            record.head_sha,
            record.status,
            record.reason,
            record.trigger,
            record.pr_url,
            record.workflow_id,
            record.run_id,
            record.reply_comment_id,
            record.findings_fixed,
            record.model,
            record.tokens_in,
            record.tokens_out,
            record.cost_usd,
            record.duration_ms,
            record.model is not None,
            record.outcome,
            [f"requested by @{record.requester}"] if record.requester else ["requested by a signed link"],
        )


def _review(row: asyncpg.Record) -> StoredReview:
    raw = row["findings"]
    items = json.loads(raw) if isinstance(raw, str) else raw
    return StoredReview(head_sha=row["head_sha"], findings=[_finding(item) for item in items or []])


def _finding(item: dict[str, Any]) -> NumberedFinding:
    finding = Finding(
        path=item["path"],
        line=int(item["line"]),
        severity=item["severity"],
        rule_id=item["rule_id"],
        message=item["message"],
        suggestion=item.get("suggestion"),
        source=item.get("source", "analyzer"),
    )
    return NumberedFinding(id=item["id"], marker=item["marker"], finding=finding)
