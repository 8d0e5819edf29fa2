"""The soak: the whole system under a mixed event stream while processes die, then its invariants.

Every request goes to 127.0.0.1 only: the API, the Temporal dev server, PostgreSQL's unix socket and
the local fakes of GitHub, Jira and the LLM.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from temporalio.client import Client

from bench.soak import invariants
from bench.soak.faults import FaultLog, inject_faults
from bench.soak.impact import impact_repositories
from bench.soak.stack import PR_AGENT, SoakStack
from bench.soak.world import GITHUB_SECRET, JIRA_SECRET, ORG, SoakWorld, pace
from cli.temporal_dev import free_server_port
from contracts.common import INDEX_REPO
from contracts.indexing import IndexRepoInput
from db.migrate import apply_migrations
from tests.fakes.github import FakeGitHub
from tests.fakes.jira import FakeJira
from tests.fakes.llm import FakeLLM

_SECTIONS = re.compile(r"^### (.+)$", re.MULTILINE)


@dataclass
class SoakConfig:
    minutes: float = 1.0
    rate: float = 2.0  # events per second
    fault_every: float = 8.0  # seconds between faults
    seed: int = 7
    settle_timeout: float = 300.0
    keep: bool = False


@dataclass
class SoakReport:
    config: SoakConfig
    checks: list[invariants.Check] = field(default_factory=list)
    faults: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    memory: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The commands' calls, told apart by their system prompt (prompts/<command>/v1/*system.md).
COMMAND_ANSWERS = {
    "proposing concrete improvements": '{"suggestions": []}',
    "checking code suggestions": '{"scores": []}',
    "write the description of a pull request": (
        '{"what": "Soak change.", "why": "", "files": [], "risk": "", "labels": ["soak"]}'
    ),
    "answer an engineer's question": "The change touches the orders (unverified soak answer).",
}


def llm_responder(body: dict[str, Any]) -> str:
    """Commands get valid answers of their kind, reviews a valid (empty) review, investigation
    steps their required headings."""
    messages = body.get("messages", [])
    system = str(messages[0].get("content", "")) if messages else ""
    for phrase, answer in COMMAND_ANSWERS.items():
        if phrase in system:
            return answer
    text = "\n".join(str(m.get("content", "")) for m in messages)
    if '"summary"' in text and '"risk"' in text:
        return '{"summary": "Soak review: nothing beyond the analyzers.", "risk": "low", "comments": []}'
    headings = _SECTIONS.findall(text.split("## Required sections", 1)[-1]) if "## Required sections" in text else []
    return "\n\n".join(f"### {h}\nNothing notable (unverified)." for h in headings) or "Nothing notable (unverified)."


async def run_soak(config: SoakConfig) -> SoakReport:
    root = Path(tempfile.mkdtemp(prefix="pr-agent-soak-"))
    root.chmod(0o755)
    rng = random.Random(config.seed)
    report = SoakReport(config)
    with (
        FakeGitHub(token="ghp_soak") as github,
        FakeJira(email="soak@example.invalid", api_token="jira-soak") as jira,
        FakeLLM(api_key="soak-llm", responder=llm_responder) as llm,
    ):
        world = SoakWorld(root, github, jira, llm, rng)
        stack = SoakStack(root, {}, free_port())
        try:
            await _run(config, stack, world, report)
        finally:
            stack.stop()
            if not config.keep:
                shutil.rmtree(root, ignore_errors=True)
    return report


def _env(stack: SoakStack, world: SoakWorld, dsn: str, temporal: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return {
        **keep,
        "NODE_ENV": "test",
        "LOG_FORMAT": "json",
        "DATABASE_URL": dsn,
        "TEMPORAL_ADDRESS": temporal,
        "API_PORT": str(stack.api_port),
        "PR_AGENT_DATA_DIR": str(stack.root),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "GITHUB_API_URL": world.github.url,
        "GITHUB_USER_TOKEN": "ghp_soak",
        "GITHUB_WEBHOOK_SECRET": GITHUB_SECRET,
        "GITHUB_ORG": "soakorg",
        "JIRA_BASE_URL": world.jira.url,
        "JIRA_EMAIL": "soak@example.invalid",
        "JIRA_API_TOKEN": "jira-soak",
        "JIRA_WEBHOOK_SECRET": JIRA_SECRET,
        "LLM_MODEL": "openai/soak",
        "LLM_API_BASE": world.llm.url + "/v1",
        "LLM_API_KEY": "soak-llm",
        "LLM_TIMEOUT_SECONDS": "10",
        "ADMIN_API_TOKEN": "soak-admin",
    }


async def _run(config: SoakConfig, stack: SoakStack, world: SoakWorld, report: SoakReport) -> None:
    temporal_port = free_server_port()
    dsn = await stack.start_services(temporal_port, free_port())
    await apply_migrations(dsn)
    stack.env = _env(stack, world, dsn, f"127.0.0.1:{temporal_port}")
    stack.start_roles()
    await stack.wait_api_ready()
    faults = FaultLog()
    async with httpx.AsyncClient() as http:
        for _ in range(3):
            await world.send(http, stack.api_url, world.new_repository())
        for created in impact_repositories(world, ORG):  # producers and consumers: impact under faults
            await world.send(http, stack.api_url, created)
        deadline = time.monotonic() + config.minutes * 60
        tasks = [
            asyncio.create_task(_generate(world, http, stack, config, deadline)),
            asyncio.create_task(inject_faults(stack, world, faults, deadline, config.fault_every, world.rng)),
            asyncio.create_task(_sample_memory(stack, deadline)),
        ]
        await asyncio.gather(*tasks)
        world.github.faults.clear()
        world.llm.faults.clear()
        await stack.wait_api_ready()
        await _drain_retries(world, http, stack, deadline=time.monotonic() + 120)
    _replay_pending(stack)
    client = await Client.connect(f"127.0.0.1:{temporal_port}")
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=4)
    try:
        await _quiesce(pool, world, config.settle_timeout)
        fresh = await _fresh_indexes(client, stack, world)
        report.checks = [
            await invariants.deliveries_not_lost(pool, world),
            await invariants.duplicates_started_once(pool, world),
            invariants.one_summary_per_pr(world),
            invariants.one_answer_per_command(world),
            await invariants.reviews_for_final_heads(pool, world),
            await invariants.indexes_equal_fresh(pool, world, fresh),
            await invariants.investigation_steps_never_asked_after_checkpoint(pool, world),
            await invariants.autofix_requests_answered_once(pool, world),
            await invariants.failed_workflows(client),
            await invariants.refused_comments_recorded(pool, faults),
            invariants.impact_reported(world),
        ]
        report.figures = await _figures(pool, world)
    finally:
        await pool.close()
    report.faults, report.events = dict(faults.injected), dict(world.counts)
    report.memory = {name: role.peak_rss for name, role in stack.roles.items()}
    report.memory |= {"temporal": stack.temporal_peak_rss, "postgres": stack.postgres_peak_rss}


async def _generate(
    world: SoakWorld, http: httpx.AsyncClient, stack: SoakStack, config: SoakConfig, deadline: float
) -> None:
    async for _ in pace(config.rate, deadline):
        for item in world.next_event() + world.due_late():
            await world.send(http, stack.api_url, item)
        if world.retry_queue and world.rng.random() < 0.5:
            await world.send(http, stack.api_url, world.retry_queue.pop(0))


async def _drain_retries(world: SoakWorld, http: httpx.AsyncClient, stack: SoakStack, deadline: float) -> None:
    """Redeliver what was not acknowledged, as GitHub does, until every delivery is accepted."""
    world.retry_queue += [item for _, item in world.late]  # late webhooks still arrive
    world.late.clear()
    while world.retry_queue and time.monotonic() < deadline:
        item = world.retry_queue.pop(0)
        if not item.accepted:
            await world.send(http, stack.api_url, item)
            if not item.accepted:
                await asyncio.sleep(0.5)


def _replay_pending(stack: SoakStack) -> None:
    subprocess.run(
        [PR_AGENT, "replay-pending", "--grace-seconds", "0"],
        env=stack.env,
        capture_output=True,
        timeout=120,
        check=False,
    )


async def _sample_memory(stack: SoakStack, deadline: float) -> None:
    while time.monotonic() < deadline:
        stack.sample_memory()
        await asyncio.sleep(1.0)


async def _quiesce(pool: asyncpg.Pool, world: SoakWorld, timeout: float) -> None:
    """Wait until every PR is reviewed at its final head, every repository indexed at its final head,
    and every /auto-fix answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reviewed = {
            (r["repository"], r["pr_number"], r["head_sha"])
            for r in await pool.fetch(
                "SELECT repository, pr_number, head_sha FROM review_history WHERE status = 'posted'"
            )
        }
        indexed = {
            r["full_name"]: r["last_commit_sha"]
            for r in await pool.fetch("SELECT full_name, last_commit_sha FROM repositories")
        }
        pulls_done = all((p.repo, p.number, p.heads[-1]) in reviewed for p in world.pulls.values())
        repos_done = all(indexed.get(repo) == head for repo, head in world.heads.items())
        commands_done = not any(invariants.command_answer_problem(world, sent) for sent in world.commands)
        answered = {r["request_id"] for r in await pool.fetch("SELECT request_id FROM review_history")}
        fixes_done = set(world.autofix.request_ids) <= answered
        if pulls_done and repos_done and commands_done and fixes_done:
            return
        await asyncio.sleep(2.0)


async def _fresh_indexes(client: Client, stack: SoakStack, world: SoakWorld) -> dict[str, str]:
    """A clean full index of each repository's final commit, under another name, to compare with."""
    names = {}
    queue = stack.env.get("TASK_QUEUE_INDEXING", "indexing")
    for repo, bare in world.repos.items():
        fresh = "soakverify/" + repo.split("/", 1)[1]
        names[repo] = fresh
        await client.execute_workflow(
            INDEX_REPO,
            IndexRepoInput(
                repository=fresh,
                branch="main",
                commit_sha=world.heads[repo],
                full=True,
                trigger="admin",
                clone_url=str(bare),
            ),
            id=f"index:{fresh}@main",
            task_queue=queue,
            execution_timeout=timedelta(minutes=5),
        )
    return names


async def _figures(pool: asyncpg.Pool, world: SoakWorld) -> dict[str, str]:
    latencies = sorted(x for s in world.sent.values() for x in s.latencies)
    durations = sorted(
        r["duration_ms"]
        for r in await pool.fetch(
            "SELECT duration_ms FROM review_history WHERE status = 'posted' AND duration_ms IS NOT NULL"
        )
    )
    return {
        "deliveries sent": str(len(world.sent)),
        "intake p50 / p99 (ms)": f"{_pct(latencies, 50) * 1000:.0f} / {_pct(latencies, 99) * 1000:.0f}",
        "reviews posted": str(len(durations)),
        "review time p50 / p99 (s)": f"{_pct(durations, 50) / 1000:.1f} / {_pct(durations, 99) / 1000:.1f}",
        "pull requests": str(len(world.pulls)),
        "repositories": str(len(world.repos)),
        "LLM calls answered": str(len(world.llm.chat_calls)),
        "command comments": str(len(world.commands)),
        "auto-fix requests / commits pushed": f"{len(world.autofix.request_ids)} / "
        + str(
            await pool.fetchval(
                "SELECT count(*) FROM review_history WHERE review_type = 'autofix' AND status = 'pushed'"
            )
        ),
    }


def _pct(values: list[float], percentile: float) -> float:
    if not values:
        return 0.0
    return float(values[min(len(values) - 1, int(len(values) * percentile / 100))])
