"""Investigation checkpoints, the repository facts an investigation reads, and its LLM usage.

A checkpoint is one finished step, keyed by (repository, commit, step, step fingerprint, model):
a re-run with the same key reads it back instead of asking the model again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import asyncpg


@dataclass(frozen=True)
class CheckpointKey:
    repository: str
    commit_sha: str
    step_id: str
    fingerprint: str


@dataclass(frozen=True)
class Checkpoint:
    step_id: str
    fingerprint: str
    model: str
    answer: str
    tokens_in: int
    tokens_out: int
    cost_usd: float


@dataclass(frozen=True)
class RepositoryRecord:
    full_name: str
    default_branch: str
    clone_url: str | None
    repo_type_override: str | None
    archived: bool


@dataclass(frozen=True)
class Usage:
    """One LLM call to account for; `request_key` makes a replayed record count once."""

    request_key: str
    model: str
    tokens_in: int
    tokens_out: int
    cost_usd: float
    repository: str
    workflow_id: str | None


_CHECKPOINT_COLUMNS = "step_id, step_fingerprint, model, answer, tokens_in, tokens_out, cost_usd"


def _checkpoint(row: asyncpg.Record) -> Checkpoint:
    return Checkpoint(
        step_id=row["step_id"],
        fingerprint=row["step_fingerprint"],
        model=row["model"],
        answer=row["answer"] or "",
        tokens_in=row["tokens_in"],
        tokens_out=row["tokens_out"],
        cost_usd=float(row["cost_usd"]),
    )


class InvestigationStore:
    """SQL for checkpoints, repository look-ups, code-index hints and usage records."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def find_checkpoint(self, key: CheckpointKey, models: Sequence[str]) -> Checkpoint | None:
        """The finished step under the first of `models` that has one (primary model first)."""
        found = await self.find_answers(key.repository, key.commit_sha, {key.step_id: key.fingerprint}, models)
        return found.get(key.step_id)

    async def find_answers(
        self, repository: str, commit_sha: str, fingerprints: Mapping[str, str], models: Sequence[str]
    ) -> dict[str, Checkpoint]:
        """{step id: checkpoint} for the wanted (step, fingerprint) pairs, preferring earlier models."""
        if not fingerprints or not models:
            return {}
        rows = await self._pool.fetch(
            f"""SELECT {_CHECKPOINT_COLUMNS}, array_position($5::text[], model) AS rank
                FROM investigation_checkpoints
                WHERE repository = $1 AND commit_sha = $2 AND status = 'done'
                  AND (step_id, step_fingerprint) IN (SELECT * FROM unnest($3::text[], $4::text[]))
                  AND model = ANY($5::text[])
                ORDER BY rank DESC""",
            repository,
            commit_sha,
            list(fingerprints),
            list(fingerprints.values()),
            list(models),
        )
        return {row["step_id"]: _checkpoint(row) for row in rows}  # the best rank comes last and wins

    async def save_checkpoint(
        self, key: CheckpointKey, checkpoint: Checkpoint, prompt_set: str, prompt_set_version: str
    ) -> None:
        """Store a finished step; a second save of the same key (a retried activity) replaces it."""
        await self._pool.execute(
            """INSERT INTO investigation_checkpoints (repository, commit_sha, step_id, step_fingerprint, model,
                   prompt_set, prompt_set_version, status, answer, tokens_in, tokens_out, cost_usd)
               VALUES ($1, $2, $3, $4, $5, $6, $7, 'done', $8, $9, $10, $11)
               ON CONFLICT (repository, commit_sha, step_id, step_fingerprint, model) DO UPDATE
               SET answer = EXCLUDED.answer, tokens_in = EXCLUDED.tokens_in, tokens_out = EXCLUDED.tokens_out,
                   cost_usd = EXCLUDED.cost_usd, prompt_set = EXCLUDED.prompt_set,
                   prompt_set_version = EXCLUDED.prompt_set_version, status = 'done', created_at = now()""",
            key.repository,
            key.commit_sha,
            key.step_id,
            key.fingerprint,
            checkpoint.model,
            prompt_set,
            prompt_set_version,
            checkpoint.answer,
            checkpoint.tokens_in,
            checkpoint.tokens_out,
            Decimal(str(round(checkpoint.cost_usd, 6))),
        )

    async def count_checkpoints(self, repository: str, commit_sha: str | None = None) -> int:
        return int(
            await self._pool.fetchval(
                "SELECT count(*) FROM investigation_checkpoints WHERE repository = $1 AND ($2::text IS NULL"
                " OR commit_sha = $2)",
                repository,
                commit_sha,
            )
        )

    async def repository(self, full_name: str) -> RepositoryRecord | None:
        row = await self._pool.fetchrow(
            """SELECT full_name, default_branch, clone_url, repo_type_override, archived
               FROM repositories WHERE full_name = $1""",
            full_name,
        )
        return RepositoryRecord(**dict(row)) if row is not None else None

    async def investigable(self, names: Sequence[str]) -> list[RepositoryRecord]:
        """Registered, unarchived repositories the App works on: those named (in the order given), or all."""
        rows = await self._pool.fetch(
            """SELECT full_name, default_branch, clone_url, repo_type_override, archived
               FROM repositories
               WHERE NOT archived AND inactive_reason IS NULL
                 AND (cardinality($1::text[]) = 0 OR full_name = ANY($1::text[]))
               ORDER BY full_name""",
            list(names),
        )
        records = {row["full_name"]: RepositoryRecord(**dict(row)) for row in rows}
        order = list(names) or sorted(records)
        return [records[name] for name in order if name in records]

    async def indexed_paths(self, repository: str, words: Sequence[str], limit: int = 12) -> list[str]:
        """Paths of the code index (when the repository is indexed) best matching `words`, best first."""
        query = " | ".join(sorted({w for w in words if _WORD.fullmatch(w)}))
        if not query:
            return []
        rows = await self._pool.fetch(
            """SELECT c.path, max(ts_rank(c.search_text, to_tsquery('simple', $2))) AS rank
               FROM code_chunks c JOIN repositories r ON r.id = c.repository_id
               WHERE r.full_name = $1 AND c.search_text @@ to_tsquery('simple', $2)
               GROUP BY c.path ORDER BY rank DESC, c.path LIMIT $3""",
            repository,
            query,
            limit,
        )
        return [row["path"] for row in rows]

    async def record_usage(self, usage: Usage) -> None:
        await self._pool.execute(
            """INSERT INTO api_usage (request_key, provider, model, purpose, tokens_in, tokens_out, cost_usd,
                   repository, workflow_id)
               VALUES ($1, $2, $3, 'investigate', $4, $5, $6, $7, $8)
               ON CONFLICT (request_key) DO NOTHING""",
            usage.request_key,
            usage.model.split("/", 1)[0] if "/" in usage.model else None,
            usage.model,
            usage.tokens_in,
            usage.tokens_out,
            Decimal(str(round(usage.cost_usd, 6))),
            usage.repository,
            usage.workflow_id,
        )


_WORD = re.compile(r"[a-z][a-z0-9_]{2,40}")
