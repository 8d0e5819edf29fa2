"""Cross-repository impact through the real workflows: the impact world's four repositories indexed by
IndexRepo, then its pull requests reviewed by ReviewPR against the GitHub and model stand-ins. A change
that breaks another repository says so, with that repository's line, in the summary and on the changed
line; a change nobody else uses gets nothing; missing or old data is said to be missing or old."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
from temporalio.client import Client

from contracts.review import ReviewResult
from contracts.starts import review_pr_start
from core.settings import Settings
from core.temporal.client import start_workflow
from tests.support.impact_world import WorldChange, load_change
from tests.support.review_harness import ReviewHarness, llm_answer, review_harness
from tests.workflows.impact_support import index_world, open_world_pull, register_only

SECTION = "### Impact on other repositories"
# Where each breaking change is reported inline: (path, head line, rule, severity).
INLINE = {
    "remove-route": {("src/users/users.controller.ts", 30, "impact.route-removed", "high")},
    "rename-topic": {("src/events/topics.ts", 2, "impact.topic-removed", "high")},
    "drop-column": {
        ("migrations/002_drop_avatar_url.sql", 2, "impact.column-removed", "high"),
        ("src/users/dto/user.dto.ts", 6, "impact.route-changed", "high"),
    },
    "break-export": {("src/format.ts", 6, "impact.export-removed", "high")},
}


async def _review(client: Client, h: ReviewHarness, change: WorldChange) -> tuple[ReviewResult, int]:
    number, head = open_world_pull(h.github, change)
    plan = review_pr_start(repository=change.repository, number=number, head_sha=head, trigger="webhook")
    handle = await start_workflow(client, h.settings.temporal, plan)
    typed = client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=ReviewResult)
    return await typed.result(), number


def _summary(h: ReviewHarness, change: WorldChange, number: int) -> str:
    [body] = [c["body"] for c in h.github.issue_comments(change.repository, number) if "pr-agent:summary" in c["body"]]
    return body


def _impact_section(summary: str) -> str:
    assert SECTION in summary
    return summary.split(SECTION, 1)[1].split("\n### ", 1)[0]


def _impact_comments(h: ReviewHarness, change: WorldChange, number: int) -> list[dict[str, Any]]:
    return [c for c in h.github.review_comments(change.repository, number) if "impact." in c["body"]]


async def test_breaking_changes_name_the_consumer_lines_in_the_summary_on_the_changed_lines_and_to_the_model(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    indexed = await index_world(temporal_client, settings, pool, tmp_path)
    assert all(r.impact_facts and r.impact_facts.startswith("extracted") for r in indexed.values())
    async with review_harness(temporal_client, db_dsn, pool) as h:
        for name, inline in INLINE.items():
            change = load_change(name)
            h.llm.enqueue(llm_answer(f"Reviewed {name}."))  # type: ignore[union-attr]
            result, number = await _review(temporal_client, h, change)
            assert result.status == "posted", name
            section = _impact_section(_summary(h, change, number))
            for expected in change.expected:
                assert f"{expected.repository} `{expected.path}:{expected.line}`" in section, (name, expected)
            assert "may be incomplete" not in section, name  # every repository's facts are at its head
            comments = _impact_comments(h, change, number)
            placed = {(c["path"], c["line"], rule, severity) for c in comments for rule, severity in _rules(c)}
            assert placed == inline, name
            for expected in change.expected:
                assert any(f"`{expected.path}:{expected.line}`" in c["body"] for c in comments), (name, expected)
            prompt = h.llm.prompts[-1][-1]["content"]  # type: ignore[union-attr]
            told = prompt.split("## Impact on other repositories", 1)[1].split("\n## ", 1)[0]
            for expected in change.expected:
                assert f"{expected.repository} {expected.path}:{expected.line}" in told, (name, expected)

        removed = load_change("remove-route")
        _, number = await _review(temporal_client, h, removed)
        [comment] = _impact_comments(h, removed, number)
        assert "Removes `DELETE /api/users/:slug`, called by acme/web `src/api/users.ts:22`." in comment["body"]


async def test_a_change_no_other_repository_uses_gets_no_impact_findings(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    await index_world(temporal_client, settings, pool, tmp_path)
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        change = load_change("internal-only")
        result, number = await _review(temporal_client, h, change)
        assert result.status == "posted"
        section = _impact_section(_summary(h, change, number))
        assert "No other indexed repository uses what this change alters" in section
        assert _impact_comments(h, change, number) == []


async def test_a_consumer_not_indexed_or_indexed_before_its_head_is_reported_as_missing_data(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    indexed = await index_world(temporal_client, settings, pool, tmp_path, ["acme/api", "acme/worker"])
    await register_only(pool, "acme/web")  # discovered, never indexed
    # A push to acme/worker that discovery has seen and no index pass has read yet.
    await pool.execute("UPDATE repositories SET head_sha = $1 WHERE full_name = 'acme/worker'", "f" * 40)
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        change = load_change("remove-route")
        await _review(temporal_client, h, change)
        section = _impact_section(_summary(h, change, 1))
        assert "acme/web is not indexed: its uses of this change are unknown." in section
        worker_commit = indexed["acme/worker"].commit_sha or ""
        assert f"acme/worker was read at {worker_commit[:7]}, its head is fffffff" in section
        assert "No other indexed repository uses" in section  # the one caller is in the repository not indexed
        assert _impact_comments(h, change, 1) == []


def _rules(comment: dict[str, Any]) -> list[tuple[str, str]]:
    """(rule, severity) of an inline comment, from its `**[severity] rule**` heading."""
    heading = comment["body"].split("**", 2)[1]  # "[high] impact.route-removed"
    severity, rule = heading[1:].split("] ", 1)
    return [(rule, severity)]
