"""The admin API and `pr-agent rules` on the feedback tables: per-rule numbers, muted rules, and unmuting one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import httpx

from db.feedback import FeedbackRepository
from db.reviews import ReviewRepository
from domain.feedback.stats import RuleStats
from domain.feedback.votes import Verdict
from domain.findings import Finding
from domain.review.markers import finding_hash

AUTH = {"Authorization": "Bearer test-admin-token"}
REPO = "acme/api"
PR_AGENT = str(Path(sys.executable).with_name("pr-agent"))


async def seed(pool: asyncpg.Pool) -> None:
    """Three unescaped-output findings, two rejected and one liked; the rule muted at those numbers."""
    findings = [Finding("a.php", line, "high", "php.unescaped-output", f"echo {line}") for line in (3, 4, 5)]
    await ReviewRepository(pool).store_posted_markers(REPO, 7, "a" * 40, findings)
    feedback = FeedbackRepository(pool)
    votes: list[tuple[str, Verdict]] = [("ann", "rejected"), ("bo", "rejected"), ("cy", "accepted")]
    for finding, (actor, verdict) in zip(findings, votes, strict=True):
        await feedback.record(REPO, 7, finding_hash(finding), "reaction", actor, verdict)
    await feedback.mute(RuleStats(REPO, "php.unescaped-output", posted=3, accepted=1, rejected=2))


async def test_stats_show_each_rules_numbers_and_an_admin_unmutes_it(
    http: httpx.AsyncClient, pool: asyncpg.Pool
) -> None:
    await seed(pool)

    stats = await http.get("/api/v1/admin/rules/stats", params={"repository": REPO}, headers=AUTH)

    assert stats.status_code == 200
    [row] = stats.json()["rules"]
    assert row == {
        "repository": REPO, "rule_id": "php.unescaped-output", "posted": 3, "accepted": 1, "rejected": 2,
        "addressed": 0, "votes": 3, "precision": 0.3333, "muted": True, "unmuted_by": None,
    }  # fmt: skip
    assert stats.json()["policy"] == {"mute_precision": 0.3, "mute_min_votes": 5}
    body = {"repository": REPO, "rule_id": "php.unescaped-output", "by": "lead"}
    unmuted = await http.post("/api/v1/admin/rules/unmute", json=body, headers=AUTH)
    assert unmuted.status_code == 200 and unmuted.json()["muted"] is False
    assert await FeedbackRepository(pool).muted_rules(REPO) == []
    again = await http.post("/api/v1/admin/rules/unmute", json=body, headers=AUTH)
    assert again.status_code == 404 and "is not muted in acme/api" in again.text
    [row] = (await http.get("/api/v1/admin/rules/stats", headers=AUTH)).json()["rules"]
    assert (row["muted"], row["unmuted_by"]) == (False, "lead")
    assert (await http.get("/api/v1/admin/rules/stats")).status_code == 401


async def test_the_rules_command_prints_the_numbers_and_unmutes(
    pool: asyncpg.Pool, db_dsn: str, tmp_path: Path
) -> None:
    await seed(pool)
    env = {"PATH": os.environ["PATH"], "DATABASE_URL": db_dsn, "PR_AGENT_DATA_DIR": str(tmp_path), "NODE_ENV": "test"}

    def pr_agent(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([PR_AGENT, "rules", *args], env=env, capture_output=True, text=True, timeout=60)

    table = pr_agent("stats")
    assert table.returncode == 0, table.stderr
    assert "php.unescaped-output" in table.stdout and "0.33  MUTED" in table.stdout
    assert json.loads(pr_agent("stats", "--json", "--repo", REPO).stdout)["rules"][0]["rejected"] == 2
    unmuted = pr_agent("unmute", REPO, "php.unescaped-output", "--by", "ops")
    assert unmuted.returncode == 0 and "unmuted in acme/api" in unmuted.stdout
    assert "unmuted by ops" in pr_agent("stats").stdout
    assert pr_agent("unmute", REPO, "php.unescaped-output").returncode == 1
