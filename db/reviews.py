"""Review state: history per head, the PR's summary comment id, posted finding markers, LLM usage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import asyncpg

from domain.findings import Finding
from domain.review.finding_ids import number_findings
from domain.review.markers import finding_hash


@dataclass(frozen=True)
class ReviewRecord:
    repository: str
    pr_number: int
    head_sha: str
    status: str
    trigger: str
    pr_url: str | None = None
    skipped_reason: str | None = None
    workflow_id: str | None = None
    run_id: str | None = None
    summary_comment_id: int | None = None
    findings: tuple[Finding, ...] = ()
    inline_posted: int = 0
    llm_used: bool = False
    llm_skipped_reason: str | None = None
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    context_used: tuple[str, ...] = ()
    context_missing: tuple[str, ...] = ()
    duration_ms: int | None = None
    review_type: str = "review"  # review, improve, describe, ask, autofix
    review_scope: str | None = None  # whole, incremental (reviews only)
    reviewed_since: str | None = None  # the earlier head an incremental review started from
    details: dict[str, Any] = field(default_factory=dict)
    risk: str | None = None  # the model's overall risk; None when the LLM part was skipped


@dataclass(frozen=True)
class FindingLocation:
    repository: str
    pr_number: int
    path: str
    line: int
    head_sha: str
    pr_url: str | None


class ReviewRepository:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def was_posted(self, repository: str, number: int, head_sha: str, review_type: str = "review") -> bool:
        status = await self._pool.fetchval(
            """SELECT status FROM review_history
               WHERE repository = $1 AND pr_number = $2 AND head_sha = $3 AND review_type = $4""",
            repository,
            number,
            head_sha,
            review_type,
        )
        return status == "posted"

    async def last_posted_head(self, repository: str, number: int, review_type: str = "review") -> str | None:
        """The head of the newest posted run of this type on the pull request (None: never posted)."""
        value = await self._pool.fetchval(
            """SELECT head_sha FROM review_history
               WHERE repository = $1 AND pr_number = $2 AND review_type = $3 AND status = 'posted'
               ORDER BY created_at DESC, id DESC LIMIT 1""",
            repository,
            number,
            review_type,
        )
        return str(value) if value is not None else None

    async def summary_comment_id(self, repository: str, number: int) -> int | None:
        value = await self._pool.fetchval(
            "SELECT comment_id FROM pr_summary_comments WHERE repository = $1 AND pr_number = $2", repository, number
        )
        return int(value) if value is not None else None

    async def store_summary_comment(self, repository: str, number: int, comment_id: int, head_sha: str) -> None:
        await self._pool.execute(
            """INSERT INTO pr_summary_comments (repository, pr_number, comment_id, head_sha) VALUES ($1, $2, $3, $4)
               ON CONFLICT (repository, pr_number)
               DO UPDATE SET comment_id = EXCLUDED.comment_id, head_sha = EXCLUDED.head_sha, updated_at = now()""",
            repository,
            number,
            comment_id,
            head_sha,
        )

    async def posted_markers(self, repository: str, number: int) -> set[str]:
        rows = await self._pool.fetch(
            "SELECT marker FROM posted_findings WHERE repository = $1 AND pr_number = $2", repository, number
        )
        return {r["marker"] for r in rows}

    async def posted_finding_location(self, repository: str, number: int, marker: str) -> FindingLocation | None:
        """Where a posted inline finding sits (path, line, head), or None when no such finding was posted."""
        row = await self._pool.fetchrow(
            """SELECT f.path, f.line, f.head_sha,
                      (SELECT h.pr_url FROM review_history h WHERE h.repository = f.repository
                        AND h.pr_number = f.pr_number AND h.pr_url IS NOT NULL ORDER BY h.id DESC LIMIT 1) AS pr_url
                 FROM posted_findings f WHERE f.repository = $1 AND f.pr_number = $2 AND f.marker = $3""",
            repository,
            number,
            marker,
        )
        if row is None:
            return None
        return FindingLocation(repository, number, row["path"], row["line"], row["head_sha"], row["pr_url"])

    async def store_posted_markers(
        self,
        repository: str,
        number: int,
        head_sha: str,
        findings: list[Finding],
        comment_ids: Mapping[str, int] | None = None,
    ) -> None:
        """Posted inline findings with their rule and, when known, their comment's id (reactions are read by it)."""
        ids = comment_ids or {}
        await self._pool.executemany(
            """INSERT INTO posted_findings (repository, pr_number, marker, head_sha, path, line, comment_id,
                   rule_id, severity, source)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
               ON CONFLICT (repository, pr_number, marker)
               DO UPDATE SET comment_id = coalesce(posted_findings.comment_id, EXCLUDED.comment_id)""",
            [
                (repository, number, m, head_sha, f.path, f.line, ids.get(m), f.rule_id, f.severity, f.source)
                for f, m in ((f, finding_hash(f)) for f in findings)
            ],
        )

    async def record(self, record: ReviewRecord) -> None:
        """Upsert the review of one head (a forced re-review of the same head replaces the row)."""
        severities = dict(Counter(f.severity for f in record.findings))
        rules = dict(Counter(f.rule_id for f in record.findings))
        await self._pool.execute(
            """INSERT INTO review_history (repository, pr_number, head_sha, pr_url, status, skipped_reason, trigger,
                   workflow_id, run_id, summary_comment_id, findings_total, findings_by_severity, inline_posted,
                   llm_used, llm_skipped_reason, model, tokens_in, tokens_out, cost_usd, context_used,
                   context_missing, duration_ms, review_type, review_scope, reviewed_since, details, risk,
                   findings_by_rule, findings)
               VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,
                   $27,$28,$29)
               ON CONFLICT (repository, pr_number, head_sha, review_type) WHERE request_id IS NULL DO UPDATE SET
                   status = EXCLUDED.status, skipped_reason = EXCLUDED.skipped_reason, trigger = EXCLUDED.trigger,
                   workflow_id = EXCLUDED.workflow_id, run_id = EXCLUDED.run_id,
                   summary_comment_id = EXCLUDED.summary_comment_id, findings_total = EXCLUDED.findings_total,
                   findings_by_severity = EXCLUDED.findings_by_severity, inline_posted = EXCLUDED.inline_posted,
                   llm_used = EXCLUDED.llm_used, llm_skipped_reason = EXCLUDED.llm_skipped_reason,
                   model = EXCLUDED.model, tokens_in = EXCLUDED.tokens_in, tokens_out = EXCLUDED.tokens_out,
                   cost_usd = EXCLUDED.cost_usd, context_used = EXCLUDED.context_used,
                   context_missing = EXCLUDED.context_missing, duration_ms = EXCLUDED.duration_ms,
                   review_scope = EXCLUDED.review_scope, reviewed_since = EXCLUDED.reviewed_since,
                   details = EXCLUDED.details, risk = EXCLUDED.risk, findings_by_rule = EXCLUDED.findings_by_rule,
                   findings = EXCLUDED.findings, created_at = now()""",
            record.repository,
            record.pr_number,
            record.head_sha,
            record.pr_url,
            record.status,
            record.skipped_reason,
            record.trigger,
            record.workflow_id,
            record.run_id,
            record.summary_comment_id,
            len(record.findings),
            severities,
            record.inline_posted,
            record.llm_used,
            record.llm_skipped_reason,
            record.model,
            record.tokens_in,
            record.tokens_out,
            record.cost_usd,
            list(record.context_used),
            list(record.context_missing),
            record.duration_ms,
            record.review_type,
            record.review_scope,
            record.reviewed_since,
            record.details,
            record.risk,
            rules,
            stored_findings(list(record.findings)),
        )

    async def record_pull_request_activity(
        self, repository: str, number: int, title: str, author: str, url: str, branch: str, head_sha: str
    ) -> None:
        await self._pool.execute(
            """INSERT INTO github_activity (repository, activity_type, external_id, author, title, url, branch,
                   occurred_at, data)
               VALUES ($1, 'pull_request', $2, $3, $4, $5, $6, now(), $7)
               ON CONFLICT (repository, activity_type, external_id) DO UPDATE SET
                   title = EXCLUDED.title, data = EXCLUDED.data, recorded_at = now()""",
            repository,
            str(number),
            author,
            title,
            url,
            branch,
            {"head_sha": head_sha},
        )


def stored_findings(findings: list[Finding]) -> list[dict[str, object]]:
    """A review's findings as stored with it: each with the id the review shows and its marker."""
    return [
        {"id": n.id, "marker": n.marker, **{k: getattr(n.finding, k) for k in FINDING_FIELDS}}
        for n in number_findings(findings)
    ]


FINDING_FIELDS = ("path", "line", "severity", "rule_id", "message", "suggestion", "source")


@dataclass(frozen=True)
class UsageTotal:
    calls: int
    tokens_in: int
    tokens_out: int
    cost_usd: float


class UsageRepository:
    """LLM usage and the monthly budget it is held to."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def month_spend_and_limit(self) -> tuple[float, float | None]:
        row = await self._pool.fetchrow(
            """SELECT (SELECT coalesce(sum(cost_usd), 0)::float FROM api_usage
                       WHERE created_at >= date_trunc('month', now())) AS spent,
                      (SELECT monthly_limit_usd::float FROM budget_settings WHERE scope = 'global') AS limit_usd"""
        )
        return float(row["spent"]), (float(row["limit_usd"]) if row["limit_usd"] is not None else None)

    async def record(
        self,
        request_key: str,
        model: str,
        purpose: str,
        tokens_in: int,
        tokens_out: int,
        cost_usd: float,
        repository: str | None,
        pr_url: str | None,
        workflow_id: str | None,
    ) -> None:
        await self._pool.execute(
            """INSERT INTO api_usage (request_key, provider, model, purpose, tokens_in, tokens_out, cost_usd,
                   repository, pr_url, workflow_id)
               VALUES ($1, split_part($2, '/', 1), $2, $3, $4, $5, $6, $7, $8, $9)
               ON CONFLICT (request_key) DO NOTHING""",
            request_key,
            model,
            purpose,
            tokens_in,
            tokens_out,
            cost_usd,
            repository,
            pr_url,
            workflow_id,
        )

    async def totals_by_purpose(
        self, since: datetime, repositories: list[str], workflow_id: str | None = None
    ) -> dict[str, UsageTotal]:
        """Calls, tokens and cost per purpose (review, verify, judge, ...) since `since`, for these
        repositories or recorded under `workflow_id`."""
        rows = await self._pool.fetch(
            """SELECT purpose, count(*) AS calls, sum(tokens_in)::bigint AS tokens_in,
                      sum(tokens_out)::bigint AS tokens_out, sum(cost_usd)::float AS cost_usd
                 FROM api_usage
                WHERE created_at >= $1 AND (repository = ANY($2) OR workflow_id = $3)
                GROUP BY purpose ORDER BY purpose""",
            since,
            repositories,
            workflow_id,
        )
        return {
            r["purpose"]: UsageTotal(int(r["calls"]), int(r["tokens_in"]), int(r["tokens_out"]), float(r["cost_usd"]))
            for r in rows
        }
