"""Rows that name a repository, in every table that keys or references one by its full name."""

from __future__ import annotations

import asyncpg

from db.repository_names import NAME_COLUMNS


async def seed_rows(pool: asyncpg.Pool, name: str, *, pr_url: str = "old") -> None:
    """One row naming `name` in every table that keys or references a repository by name."""
    await pool.execute(
        """INSERT INTO investigation_checkpoints (repository, commit_sha, step_id, step_fingerprint, model,
               prompt_set, prompt_set_version, status)
           VALUES ($1, 'c1', 'overview', 'f1', 'm', 'backend', 'v1', 'done')""",
        name,
    )
    await pool.execute(
        """INSERT INTO review_history (repository, pr_number, head_sha, status, pr_url)
           VALUES ($1, 7, 'h1', 'posted', $2)""",
        name,
        pr_url,
    )
    await pool.execute(
        "INSERT INTO pr_summary_comments (repository, pr_number, comment_id, head_sha) VALUES ($1, 7, 70, 'h1')", name
    )
    await pool.execute(
        """INSERT INTO posted_findings (repository, pr_number, marker, head_sha, path, line)
           VALUES ($1, 7, 'mk1', 'h1', 'src/a.py', 3)""",
        name,
    )
    await pool.execute(
        "INSERT INTO github_activity (repository, activity_type, external_id) VALUES ($1, 'commit', 'c1')", name
    )
    await pool.execute("INSERT INTO budget_settings (scope, monthly_limit_usd) VALUES ($1, 25)", name)
    await pool.execute(
        "INSERT INTO internal_packages (name, ecosystem, repository) VALUES ($1, 'npm', $2)", f"@pkg/{len(name)}", name
    )
    await pool.execute(
        "INSERT INTO api_usage (request_key, model, purpose, repository) VALUES ($1, 'm', 'review', $2)",
        f"key-{name}-{pr_url}",
        name,
    )


async def rows_naming(pool: asyncpg.Pool, name: str) -> dict[str, int]:
    counts = {}
    for column in NAME_COLUMNS:
        counts[column.table] = await pool.fetchval(
            f"SELECT count(*) FROM {column.table} WHERE {column.column} = $1", name
        )
    return counts
