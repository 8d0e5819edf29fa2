"""Read models of the dashboard's overview, review list and API usage (plain SQL, typed results).

Per-day series are grouped in UTC and filled with zeros for days without rows, so a chart's
x axis is always the whole window. "Reviews" are the review runs of review_history (review_type
'review'); a pull request's other runs (/improve, /describe, /ask, auto-fix) are not counted as reviews.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

REVIEW_PAGE_SIZE = 50
NOT_ASSESSED = "not assessed"
RISKS = ("high", "medium", "low", NOT_ASSESSED)


@dataclass(frozen=True)
class Budget:
    monthly_limit_usd: float | None
    alert_threshold: float  # a fraction of the limit, 0.8 = 80 %
    spent_usd: float

    @property
    def used(self) -> float | None:
        return self.spent_usd / self.monthly_limit_usd if self.monthly_limit_usd else None

    @property
    def alerting(self) -> bool:
        return self.used is not None and self.used >= self.alert_threshold


@dataclass(frozen=True)
class DailyPoint:
    day: date
    values: dict[str, float]


@dataclass
class Overview:
    reviews: int
    posted: int
    findings: int
    llm_reviews: int
    budget: Budget
    deliveries: dict[str, int]
    days: list[DailyPoint] = field(default_factory=list)


def month_start(now: datetime | None = None) -> datetime:
    now = now or datetime.now(UTC)
    return now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


async def budget(pool: asyncpg.Pool) -> Budget:
    row = await pool.fetchrow(
        """SELECT (SELECT coalesce(sum(cost_usd), 0)::float8 FROM api_usage WHERE created_at >= $1) AS spent,
                  b.monthly_limit_usd::float8 AS limit_usd, coalesce(b.alert_threshold, 0.8)::float8 AS threshold
           FROM (SELECT 1) one LEFT JOIN budget_settings b ON b.scope = 'global'""",
        month_start(),
    )
    return Budget(row["limit_usd"], row["threshold"], row["spent"])


async def save_budget(pool: asyncpg.Pool, monthly_limit_usd: float | None, alert_threshold: float) -> None:
    """Set the global monthly budget (None removes the limit)."""
    if monthly_limit_usd is None:
        await pool.execute("DELETE FROM budget_settings WHERE scope = 'global'")
        return
    await pool.execute(
        """INSERT INTO budget_settings (scope, monthly_limit_usd, alert_threshold) VALUES ('global', $1, $2)
           ON CONFLICT (scope) DO UPDATE SET monthly_limit_usd = EXCLUDED.monthly_limit_usd,
               alert_threshold = EXCLUDED.alert_threshold, updated_at = now()""",
        monthly_limit_usd,
        alert_threshold,
    )


async def overview(pool: asyncpg.Pool, days: int = 30) -> Overview:
    since = month_start()
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            """SELECT count(*) AS reviews, count(*) FILTER (WHERE status = 'posted') AS posted,
                      coalesce(sum(findings_total), 0) AS findings, count(*) FILTER (WHERE llm_used) AS llm
               FROM review_history WHERE created_at >= $1 AND review_type = 'review'""",
            since,
        )
        statuses = await conn.fetch("SELECT status, count(*) AS n FROM webhook_deliveries GROUP BY status")
    series = await daily_series(pool, days)
    return Overview(
        row["reviews"], row["posted"], row["findings"], row["llm"], await budget(pool),
        {r["status"]: r["n"] for r in statuses}, series,
    )  # fmt: skip


async def daily_series(pool: asyncpg.Pool, days: int) -> list[DailyPoint]:
    """Reviews, findings and LLM cost per UTC day over the last `days` days (today included)."""
    first = datetime.now(UTC).date() - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    reviews = await pool.fetch(
        """SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*)::float8 AS reviews,
                  sum(findings_total)::float8 AS findings
           FROM review_history WHERE created_at >= $1 AND review_type = 'review' GROUP BY 1""",
        since,
    )
    costs = await pool.fetch(
        """SELECT (created_at AT TIME ZONE 'UTC')::date AS day, sum(cost_usd)::float8 AS cost
           FROM api_usage WHERE created_at >= $1 GROUP BY 1""",
        since,
    )
    values: dict[date, dict[str, float]] = {first + timedelta(days=n): {} for n in range(days)}
    for row in reviews:
        values.setdefault(row["day"], {}).update(reviews=row["reviews"], findings=row["findings"])
    for row in costs:
        values.setdefault(row["day"], {})["cost"] = row["cost"]
    keys = ("reviews", "findings", "cost")
    return [DailyPoint(day, {k: v.get(k, 0.0) for k in keys}) for day, v in sorted(values.items())]


@dataclass(frozen=True)
class ReviewFilter:
    repository: str | None = None
    author: str | None = None
    risk: str | None = None
    since: date | None = None
    until: date | None = None
    page: int = 1


@dataclass(frozen=True)
class ReviewRow:
    repository: str
    pr_number: int
    head_sha: str
    pr_url: str | None
    status: str
    skipped_reason: str | None
    trigger: str | None
    workflow_id: str | None
    run_id: str | None
    findings_total: int
    findings_by_severity: dict[str, int]
    llm_used: bool
    llm_skipped_reason: str | None
    model: str | None
    tokens_in: int
    tokens_out: int
    cost_usd: float
    duration_ms: int | None
    created_at: datetime
    risk: str | None
    author: str | None
    title: str | None


_REVIEW_WHERE = """
    FROM review_history r
    LEFT JOIN github_activity a ON a.repository = r.repository AND a.activity_type = 'pull_request'
         AND a.external_id = r.pr_number::text
    WHERE r.review_type = 'review' AND ($1::text IS NULL OR r.repository = $1) AND ($2::text IS NULL OR a.author = $2)
      AND ($3::text IS NULL OR ($3 = 'not assessed' AND r.risk IS NULL) OR r.risk = $3)
      AND ($4::timestamptz IS NULL OR r.created_at >= $4) AND ($5::timestamptz IS NULL OR r.created_at < $5)"""
_REVIEW_COLUMNS = ", ".join(f"r.{name}" for name in list(ReviewRow.__dataclass_fields__)[:-2]) + ", a.author, a.title"


async def reviews(pool: asyncpg.Pool, wanted: ReviewFilter) -> tuple[list[ReviewRow], int]:
    """One page of reviews, newest first, and how many match in all."""
    args = _filter_args(wanted)
    async with pool.acquire() as conn:
        total = await conn.fetchval(f"SELECT count(*) {_REVIEW_WHERE}", *args)
        rows = await conn.fetch(
            f"SELECT {_REVIEW_COLUMNS} {_REVIEW_WHERE} ORDER BY r.created_at DESC, r.id DESC LIMIT $6 OFFSET $7",
            *args,
            REVIEW_PAGE_SIZE,
            (max(1, wanted.page) - 1) * REVIEW_PAGE_SIZE,
        )
    return [_review(row) for row in rows], int(total)


def _filter_args(wanted: ReviewFilter) -> list[Any]:
    def start(day: date | None) -> datetime | None:
        return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None

    until = start(wanted.until + timedelta(days=1)) if wanted.until else None
    return [wanted.repository, wanted.author, wanted.risk, start(wanted.since), until]


def _review(row: asyncpg.Record) -> ReviewRow:
    values = {name: row[name] for name in ReviewRow.__dataclass_fields__}
    values["cost_usd"] = float(values["cost_usd"])
    values["findings_by_severity"] = dict(values["findings_by_severity"] or {})
    return ReviewRow(**values)


async def review_filter_choices(pool: asyncpg.Pool) -> tuple[list[str], list[str]]:
    """Repositories that have reviews, and pull-request authors (for the filter's suggestions)."""
    repositories = await pool.fetch(
        "SELECT DISTINCT repository FROM review_history WHERE review_type = 'review' ORDER BY 1"
    )
    authors = await pool.fetch(
        """SELECT author FROM github_activity WHERE activity_type = 'pull_request' AND author IS NOT NULL
           GROUP BY author ORDER BY count(*) DESC, author LIMIT 200"""
    )
    return [r["repository"] for r in repositories], sorted(r["author"] for r in authors)


@dataclass(frozen=True)
class UsageSlice:
    name: str
    calls: int
    tokens_in: int
    tokens_out: int
    cost_usd: float


async def usage_this_month(pool: asyncpg.Pool) -> tuple[list[UsageSlice], list[UsageSlice]]:
    """This month's LLM usage by model and by operation (review, investigate, knowledge, ...)."""
    result = []
    for column in ("model", "purpose"):
        rows = await pool.fetch(
            f"""SELECT {column} AS name, count(*) AS calls, sum(tokens_in) AS tin, sum(tokens_out) AS tout,
                       sum(cost_usd)::float8 AS cost
                FROM api_usage WHERE created_at >= $1 GROUP BY 1 ORDER BY cost DESC, name""",
            month_start(),
        )
        result.append([UsageSlice(r["name"], r["calls"], int(r["tin"]), int(r["tout"]), r["cost"]) for r in rows])
    return result[0], result[1]
