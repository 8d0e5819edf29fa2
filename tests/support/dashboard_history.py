"""A synthetic review history (made up, seeded, realistic in shape) for the dashboard's tests,
screenshots and benchmark: reviews spread over the last weeks, their pull requests and authors,
LLM usage per review, posted findings and a few webhook deliveries."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

REPOSITORIES = ("acme/orders", "acme/payments", "acme/storefront", "acme/search", "acme/mobile-api", "acme/ledger")
AUTHORS = ("dana", "lee", "sam", "priya", "jo", "mika", "oren", "ines")
RULES = (
    ("js.console-log", "low"), ("ts.ts-ignore", "low"), ("lint.blanket-disable", "medium"),
    ("php.unescaped-output", "high"), ("sql.string-built-query", "high"), ("secrets.hardcoded-token", "critical"),
    ("python.bare-except", "medium"), ("llm", "medium"),
)  # fmt: skip
MODELS = ("openai/gpt-4o-mini", "gemini/gemini-2.5-flash")
_TITLES = ("Add {x} endpoint", "Fix {x} rounding", "Refactor {x} service", "Cache {x} lookups", "Log {x} failures")
_NOUNS = ("refund", "invoice", "cart", "search", "session", "webhook", "coupon", "payout")


def _review_rows(count: int, days: int, rng: random.Random, now: datetime) -> list[tuple[Any, ...]]:
    rows = []
    for n in range(count):
        repository = REPOSITORIES[n % len(REPOSITORIES)]
        number = 1000 + n // len(REPOSITORIES)
        when = now - timedelta(seconds=rng.uniform(0, days * 86400))
        llm = rng.random() < 0.8
        findings = [RULES[rng.randrange(len(RULES) - (0 if llm else 1))] for _ in range(rng.choice((0, 1, 2, 3, 5)))]
        by_rule = dict(Counter(rule for rule, _ in findings))
        by_severity = dict(Counter(severity for _, severity in findings))
        tokens_in, tokens_out = (rng.randint(3000, 20000), rng.randint(300, 1500)) if llm else (0, 0)
        rows.append((
            repository, number, f"{rng.getrandbits(160):040x}", f"https://github.com/{repository}/pull/{number}",
            "posted", rng.choice(("webhook", "webhook", "webhook", "comment")), f"review:{repository}#{number}",
            f"{rng.getrandbits(128):032x}", len(findings), json.dumps(by_severity), len(findings), llm,
            None if llm else "no LLM_API key configured", rng.choice(MODELS) if llm else None, tokens_in, tokens_out,
            round(tokens_in * 0.15e-6 + tokens_out * 0.6e-6, 6), rng.randint(2500, 40000), when,
            rng.choice(("low", "low", "medium", "high")) if llm else None, json.dumps(by_rule),
        ))  # fmt: skip
    return rows


_REVIEW_INSERT = """
    INSERT INTO review_history (repository, pr_number, head_sha, pr_url, status, trigger, workflow_id, run_id,
        findings_total, findings_by_severity, inline_posted, llm_used, llm_skipped_reason, model, tokens_in,
        tokens_out, cost_usd, duration_ms, created_at, risk, findings_by_rule)
    VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::text::jsonb,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21::text::jsonb)
    ON CONFLICT DO NOTHING"""


async def seed_history(pool: asyncpg.Pool, reviews: int, days: int = 30, seed: int = 7) -> None:
    """`reviews` reviews over the last `days` days, with their PRs, usage and posted findings."""
    rng, now = random.Random(seed), datetime.now(UTC)
    rows = _review_rows(reviews, days, rng, now)
    async with pool.acquire() as conn, conn.transaction():
        await conn.executemany(_REVIEW_INSERT, rows)
        await conn.executemany(
            """INSERT INTO github_activity (repository, activity_type, external_id, author, title, url, branch,
                   occurred_at) VALUES ($1, 'pull_request', $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""",
            [(r[0], str(r[1]), rng.choice(AUTHORS), rng.choice(_TITLES).format(x=rng.choice(_NOUNS)), r[3],
              f"feature/{r[1]}", r[18]) for r in rows],
        )  # fmt: skip
        await conn.executemany(
            """INSERT INTO api_usage (request_key, provider, model, purpose, tokens_in, tokens_out, cost_usd,
                   repository, pr_url, workflow_id, created_at)
               VALUES ($1, split_part($2, '/', 1), $2, 'review', $3, $4, $5, $6, $7, $8, $9)""",
            [(f"{r[6]}/{r[7]}", r[13], r[14], r[15], r[16], r[0], r[3], r[6], r[18]) for r in rows if r[11]],
        )
        await conn.executemany(
            """INSERT INTO posted_findings (repository, pr_number, marker, head_sha, path, line, rule_id)
               VALUES ($1, $2, $3, $4, 'src/app.ts', $5, $6) ON CONFLICT DO NOTHING""",
            [(r[0], r[1], f"{r[7][:12]}{i:04x}", r[2], 10 + i, rule)
             for r in rows for i, rule in enumerate(json.loads(r[20]))],
        )  # fmt: skip


async def seed_deliveries(pool: asyncpg.Pool, pending: int, failed: int) -> None:
    """Deliveries a person must look at: `pending` (Temporal was down) and `failed` (did not route)."""
    payload = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1})
    for n in range(pending + failed):
        status = "pending" if n < pending else "failed"
        error = "TemporalUnavailable: cannot reach Temporal" if status == "pending" else "InvalidPayload: no action"
        await pool.execute(
            """INSERT INTO webhook_deliveries (delivery_id, source, event, repository, payload, status, error, attempts)
               VALUES ($1, 'github', 'ping', $2, $3::text::jsonb, $4, $5, 1)""",
            f"synthetic-{status}-{n}", REPOSITORIES[n % len(REPOSITORIES)], payload, status, error,
        )  # fmt: skip
