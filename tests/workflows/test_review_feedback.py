"""Learning from reactions on the real ReviewPR: the inline comments' ids are stored when they are posted,
the next review reads their reactions from the GitHub stand-in (bots ignored) and sees which lines a later
commit changed, the per-rule numbers follow, and a rule under the threshold is muted: its findings are held
back and the summary lists it with its numbers, until an admin unmutes it."""

from __future__ import annotations

from typing import Any

import asyncpg
from temporalio.client import Client

from db.feedback import FeedbackRepository
from tests.support.review_harness import ReviewHarness, review_harness

PATH = "app/songs.php"
BASE = "<?php\nclass Songs\n{\n    public function index()\n    {\n        return [];\n    }\n}\n"
SHOW = BASE.removesuffix("}\n") + "\n    public function show($id)\n    {\n"
HEAD1 = SHOW + (
    "        var_dump($id);\n"  # 11: php.debug-leftover
    "        echo $_GET['title'];\n"  # 12: php.unescaped-output
    "        echo $_GET['artist'];\n"  # 13: php.unescaped-output
    "        return $id;\n    }\n}\n"
)
HEAD2 = SHOW + (
    "        $id = (int) $id;\n"  # 11: the debug leftover is gone (addressed)
    "        echo $_GET['title'];\n"
    "        echo $_GET['artist'];\n"
    "        echo $_GET['year'];\n"  # 14: a new php.unescaped-output
    "        return $id;\n    }\n}\n"
)


def comment_on(h: ReviewHarness, repo: str, number: int, line: int) -> int:
    [found] = [c["id"] for c in h.github.review_comments(repo, number) if c["line"] == line]
    return int(found)


def react(h: ReviewHarness, repo: str, number: int) -> None:
    """People answer the first review: both unescaped-output comments rejected, the debug leftover liked."""
    h.github.add_reaction(repo, comment_on(h, repo, number, 12), "-1", user_login="alice")
    h.github.add_reaction(repo, comment_on(h, repo, number, 12), "-1", user_login="bob")
    h.github.add_reaction(repo, comment_on(h, repo, number, 13), "-1", user_login="carol")
    h.github.add_reaction(repo, comment_on(h, repo, number, 13), "+1", user_login="pr-agent[bot]")  # not a person
    h.github.add_reaction(repo, comment_on(h, repo, number, 11), "+1", user_login="dave")
    [summary] = [c["id"] for c in h.github.issue_comments(repo, number) if "pr-agent:summary" in c["body"]]
    h.github.add_reaction(repo, summary, "+1", user_login="erin")


def by_rule(rows: list[dict[str, Any]]) -> dict[str, tuple[Any, ...]]:
    keys = ("posted", "accepted", "rejected", "addressed", "precision", "muted")
    return {row["rule_id"]: tuple(row[k] for k in keys) for row in rows}


async def test_reactions_read_from_github_change_the_per_rule_numbers(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False) as h:
        repo, number, head1 = h.open_pull({PATH: BASE}, {PATH: HEAD1})
        await h.review_pull(repo, number, head1)
        stored = await pool.fetch("SELECT line, rule_id, comment_id FROM posted_findings ORDER BY line")
        assert [(r["line"], r["rule_id"]) for r in stored] == [
            (11, "php.debug-leftover"), (12, "php.unescaped-output"), (13, "php.unescaped-output")
        ]  # fmt: skip
        assert [r["comment_id"] for r in stored] == [comment_on(h, repo, number, line) for line in (11, 12, 13)]
        feedback = FeedbackRepository(pool)
        before = by_rule(await feedback.rule_report(repo))
        assert before["php.unescaped-output"] == (2, 0, 0, 0, None, False)

        react(h, repo, number)
        head2 = h.github.commit_changes(repo, {PATH: HEAD2}, branch="feature")
        await h.review_pull(repo, number, head2)

        after = by_rule(await feedback.rule_report(repo))
        assert after["php.unescaped-output"] == (3, 0, 2, 0, 0.0, False)  # line 14 posted too: 5 votes mute
        assert after["php.debug-leftover"] == (1, 1, 0, 1, 1.0, False)  # liked, and its line was changed
        [summary_votes] = await feedback.summary_votes(repo)
        assert (summary_votes.accepted, summary_votes.rejected) == (1, 0)
        reads = h.github.requests_matching("GET", r"/reactions$")
        assert len(reads) == 4  # the three inline comments and the summary, once each


async def test_a_rule_under_the_threshold_is_muted_in_the_next_review_and_listed_as_muted(
    temporal_client: Client, db_dsn: str, pool: asyncpg.Pool
) -> None:
    variables = {"RULE_MUTE_MIN_VOTES": "2", "RULE_MUTE_PRECISION": "0.5"}
    async with review_harness(temporal_client, db_dsn, pool, with_llm=False, **variables) as h:
        repo, number, head1 = h.open_pull({PATH: BASE}, {PATH: HEAD1})
        await h.review_pull(repo, number, head1)
        react(h, repo, number)
        head2 = h.github.commit_changes(repo, {PATH: HEAD2}, branch="feature")

        result = await h.review_pull(repo, number, head2)

        assert 14 not in {c["line"] for c in h.github.review_comments(repo, number)}
        assert all(f.rule_id != "php.unescaped-output" for f in result.posted_findings)
        [summary] = [c["body"] for c in h.github.issue_comments(repo, number) if "pr-agent:summary" in c["body"]]
        muted = summary.split("### Muted rules", 1)[1]
        assert f"`php.unescaped-output`: 3 findings held back. Muted in {repo} at precision 0.00 over 2 votes" in muted
        assert f"pr-agent rules unmute {repo} php.unescaped-output" in muted
        history = await pool.fetchval("SELECT details FROM review_history WHERE head_sha = $1", head2)
        assert history["muted"] == {"php.unescaped-output": 3}

        assert await FeedbackRepository(pool).unmute(repo, "php.unescaped-output", "admin")
        await h.review_pull(repo, number, head2, force=True)

        assert 14 in {c["line"] for c in h.github.review_comments(repo, number)}
        rows = by_rule(await FeedbackRepository(pool).rule_report(repo))
        assert rows["php.unescaped-output"][-1] is False  # stays unmuted: the old votes no longer count
