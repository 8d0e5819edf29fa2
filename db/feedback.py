"""Feedback on posted findings (migration 008): people's signals per finding, and the rules muted per repository."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg

from domain.feedback.addressed import PostedFinding
from domain.feedback.mutes import MutedRule
from domain.feedback.stats import FindingFeedback, RuleStats, rule_stats, stats_row
from domain.feedback.votes import SUMMARY_MARKER, Signal, Verdict


@dataclass(frozen=True)
class PostedComment:
    marker: str
    comment_id: int
    rule_id: str | None


@dataclass(frozen=True)
class SummaryVotes:
    repository: str
    accepted: int
    rejected: int


@dataclass(frozen=True)
class RuleMute:
    repository: str
    rule_id: str
    muted: bool
    precision: float | None
    accepted: int
    rejected: int
    unmuted_by: str | None


# Per posted finding: its repository and rule, people accepting and rejecting, and whether a later commit
# addressed it. `$1`: one repository or NULL for all; `$2`: only findings posted after their rule's unmute.
_FINDING_FEEDBACK = """
SELECT f.repository, coalesce(f.rule_id, 'unknown') AS rule_id,
       count(*) FILTER (WHERE b.signal <> 'addressed' AND b.verdict = 'accepted') AS accepts,
       count(*) FILTER (WHERE b.signal <> 'addressed' AND b.verdict = 'rejected') AS rejects,
       bool_or(b.signal = 'addressed') IS TRUE AS addressed
  FROM posted_findings f
  LEFT JOIN finding_feedback b
         ON b.repository = f.repository AND b.pr_number = f.pr_number AND b.marker = f.marker
  LEFT JOIN rule_mutes m ON m.repository = f.repository AND m.rule_id = f.rule_id
 WHERE ($1::text IS NULL OR f.repository = $1)
   AND (NOT $2 OR m.unmuted_at IS NULL OR f.created_at > m.unmuted_at)
 GROUP BY f.repository, f.pr_number, f.marker, f.rule_id
"""


class FeedbackRepository:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def posted_comments(self, repository: str, number: int) -> list[PostedComment]:
        """The pull request's posted findings whose comment id is known."""
        rows = await self._pool.fetch(
            """SELECT marker, comment_id, rule_id FROM posted_findings
                WHERE repository = $1 AND pr_number = $2 AND comment_id IS NOT NULL ORDER BY comment_id""",
            repository,
            number,
        )
        return [PostedComment(r["marker"], int(r["comment_id"]), r["rule_id"]) for r in rows]

    async def marker_of_comment(self, repository: str, number: int, comment_ids: list[int]) -> str | None:
        """The posted finding behind one of these comments (a thread's comments, its root first), or None."""
        return await self._pool.fetchval(
            """SELECT marker FROM posted_findings
                WHERE repository = $1 AND pr_number = $2 AND comment_id = ANY($3::bigint[])
                ORDER BY array_position($3::bigint[], comment_id) LIMIT 1""",
            repository,
            number,
            comment_ids,
        )

    async def unaddressed(self, repository: str, number: int) -> list[PostedFinding]:
        rows = await self._pool.fetch(
            """SELECT f.marker, f.path, f.line, f.head_sha FROM posted_findings f
                WHERE f.repository = $1 AND f.pr_number = $2 AND NOT EXISTS (
                      SELECT 1 FROM finding_feedback b WHERE b.repository = f.repository
                         AND b.pr_number = f.pr_number AND b.marker = f.marker AND b.signal = 'addressed')""",
            repository,
            number,
        )
        return [PostedFinding(r["marker"], r["path"], r["line"], r["head_sha"]) for r in rows]

    async def replace_reactions(self, repository: str, number: int, marker: str, votes: dict[str, Verdict]) -> None:
        """The comment's reactions as read now: a removed 👍 disappears, a changed one changes."""
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute(
                """DELETE FROM finding_feedback
                    WHERE repository = $1 AND pr_number = $2 AND marker = $3 AND signal = 'reaction'""",
                repository,
                number,
                marker,
            )
            await conn.executemany(
                """INSERT INTO finding_feedback (repository, pr_number, marker, signal, actor, verdict)
                   VALUES ($1, $2, $3, 'reaction', $4, $5)""",
                [(repository, number, marker, actor, verdict) for actor, verdict in sorted(votes.items())],
            )

    async def record(
        self, repository: str, number: int, marker: str, signal: Signal, actor: str, verdict: Verdict
    ) -> None:
        await self._pool.execute(
            """INSERT INTO finding_feedback (repository, pr_number, marker, signal, actor, verdict)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (repository, pr_number, marker, signal, actor)
               DO UPDATE SET verdict = EXCLUDED.verdict, observed_at = now()""",
            repository,
            number,
            marker,
            signal,
            actor,
            verdict,
        )

    async def forget(self, repository: str, number: int, marker: str, signal: Signal, actor: str | None = None) -> None:
        """Drop a signal on a finding: one person's, or everyone's (`actor` None: a thread reopened)."""
        await self._pool.execute(
            """DELETE FROM finding_feedback
                WHERE repository = $1 AND pr_number = $2 AND marker = $3 AND signal = $4
                  AND ($5::text IS NULL OR actor = $5)""",
            repository,
            number,
            marker,
            signal,
            actor,
        )

    async def finding_feedback(
        self, repository: str | None = None, *, since_unmute: bool = False
    ) -> list[FindingFeedback]:
        rows = await self._pool.fetch(_FINDING_FEEDBACK, repository, since_unmute)
        return [
            FindingFeedback(r["repository"], r["rule_id"], int(r["accepts"]), int(r["rejects"]), bool(r["addressed"]))
            for r in rows
        ]

    async def muted_rules(self, repository: str) -> list[MutedRule]:
        rows = await self._pool.fetch(
            """SELECT rule_id, precision, accepted, rejected FROM rule_mutes
                WHERE repository = $1 AND muted ORDER BY rule_id""",
            repository,
        )
        return [MutedRule(r["rule_id"], float(r["precision"] or 0.0), r["accepted"], r["rejected"]) for r in rows]

    async def mute(self, stats: RuleStats) -> None:
        await self._pool.execute(
            """INSERT INTO rule_mutes (repository, rule_id, muted, precision, accepted, rejected, muted_at)
               VALUES ($1, $2, TRUE, $3, $4, $5, now())
               ON CONFLICT (repository, rule_id) DO UPDATE SET muted = TRUE, precision = EXCLUDED.precision,
                   accepted = EXCLUDED.accepted, rejected = EXCLUDED.rejected,
                   muted_at = CASE WHEN rule_mutes.muted THEN rule_mutes.muted_at ELSE now() END""",
            stats.repository,
            stats.rule_id,
            stats.precision,
            stats.accepted,
            stats.rejected,
        )

    async def unmute(self, repository: str, rule_id: str, by: str) -> bool:
        """False when the rule was not muted there."""
        status = await self._pool.execute(
            """UPDATE rule_mutes SET muted = FALSE, unmuted_at = now(), unmuted_by = $3
                WHERE repository = $1 AND rule_id = $2 AND muted""",
            repository,
            rule_id,
            by,
        )
        return str(status).endswith(" 1")

    async def mutes(self, repository: str | None = None) -> list[RuleMute]:
        rows = await self._pool.fetch(
            """SELECT repository, rule_id, muted, precision, accepted, rejected, unmuted_by FROM rule_mutes
                WHERE $1::text IS NULL OR repository = $1 ORDER BY repository, rule_id""",
            repository,
        )
        return [
            RuleMute(r["repository"], r["rule_id"], r["muted"], r["precision"], r["accepted"], r["rejected"],
                     r["unmuted_by"])
            for r in rows
        ]  # fmt: skip

    async def recent_pull_requests(self, days: int) -> list[tuple[str, int]]:
        """Pull requests with inline findings posted in the last `days` days (Reconcile reads their reactions)."""
        rows = await self._pool.fetch(
            """SELECT DISTINCT repository, pr_number FROM posted_findings
                WHERE comment_id IS NOT NULL AND created_at > now() - make_interval(days => $1)
                ORDER BY repository, pr_number""",
            days,
        )
        return [(r["repository"], r["pr_number"]) for r in rows]

    async def rule_report(self, repository: str | None = None) -> list[dict[str, Any]]:
        """Every rule's numbers (all findings ever posted) with its mute state, for `rules stats` and the admin API."""
        mutes = {(m.repository, m.rule_id): m for m in await self.mutes(repository)}
        rows = []
        for stats in rule_stats(await self.finding_feedback(repository)):
            mute = mutes.get((stats.repository, stats.rule_id))
            unmuted_by = mute.unmuted_by if mute is not None and not mute.muted else None
            rows.append(stats_row(stats, muted=bool(mute and mute.muted), unmuted_by=unmuted_by))
        return rows

    async def summary_votes(self, repository: str | None = None) -> list[SummaryVotes]:
        """People's 👍 and 👎 on the review summaries, per repository (not counted for any rule)."""
        rows = await self._pool.fetch(
            """SELECT repository, count(*) FILTER (WHERE verdict = 'accepted') AS accepted,
                      count(*) FILTER (WHERE verdict = 'rejected') AS rejected
                 FROM finding_feedback WHERE marker = $2 AND ($1::text IS NULL OR repository = $1)
                GROUP BY repository ORDER BY repository""",
            repository,
            SUMMARY_MARKER,
        )
        return [SummaryVotes(r["repository"], int(r["accepted"]), int(r["rejected"])) for r in rows]
