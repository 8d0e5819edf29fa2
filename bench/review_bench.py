"""ReviewPR wall time for each fixture diff, orchestrated versus in-process.

    .venv/bin/python -m bench.review_bench [--reps 5] [--webhook-reps 3] [--inproc-reps 30]
                                           [--temporal-store file|memory]

For each diff in tests/fixtures/diffs and each LLM mode ("llm": a local OpenAI-compatible fake
that answers instantly; "no-llm": no LLM configured, the review says so), three timings:
  webhook  signed `pull_request` POST to `pr-agent api` → summary comment on the fake GitHub. Includes
           the settle debounce (ReviewPR waits for 2 s without a newer head before fetching).
  direct   `start_workflow` with trigger "admin", which skips settle → summary comment: Temporal
           orchestration plus the activities' real I/O (PyGithub, litellm, PostgreSQL) on zero-latency fakes.
  inproc   the same pure functions in one process (bench.review_pipeline), no Temporal/HTTP/database.
Each orchestrated review is a new PR number (a new workflow), awaited to completion before the next.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.common import (
    WEBHOOK_SECRET,
    Stack,
    api_process,
    bench_stack,
    fake_sha,
    header,
    load_line,
    pull_request_event,
    run,
)
from bench.history import breakdown
from bench.review_pipeline import PipelineInput, instant_answer, review_in_process, snapshot_from_github
from bench.stats import ms, ratio, summarize
from contracts.review import ReviewResult, review_workflow_id
from contracts.starts import review_pr_start
from core.settings import Settings
from core.temporal.client import start_workflow
from tests.fakes.github import FakeGitHub
from tests.fakes.github_diff import files_from_unified_diff
from tests.fakes.llm import FakeLLM
from tests.support.fixtures import fixture_paths, github_headers
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

MODES = ("llm", "no-llm")
VIAS = ("inproc", "direct", "webhook")


@dataclass
class Fixture:
    name: str
    files: list[dict[str, Any]]
    answer: str  # what the fake model says about this diff

    @property
    def short(self) -> str:
        return self.name.split("__")[0]


@dataclass
class Run:
    stack: Stack
    github: FakeGitHub
    http: httpx.AsyncClient
    settings: Settings | None = None
    next_number: int = 10_000
    timings: dict[tuple[str, str, str], list[float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    last_workflow: dict[str, str] = field(default_factory=dict)  # via -> id of its latest review
    breakdowns: list[str] = field(default_factory=list)

    def take_number(self) -> int:
        self.next_number += 1
        return self.next_number


def load_fixtures() -> list[Fixture]:
    fixtures = []
    for path in fixture_paths("diffs/*.diff"):
        files = files_from_unified_diff(path.read_text())
        snapshot = snapshot_from_github(pull_request_event(1, fake_sha(path.name)), files)
        fixtures.append(Fixture(path.stem, files, instant_answer(snapshot)))
    return fixtures


def responder_for(fixtures: list[Fixture]) -> Callable[[dict[str, Any]], str]:
    """The fake model answers with the comment meant for whichever fixture's files the prompt shows."""

    def respond(body: dict[str, Any]) -> str:
        prompt = json.dumps(body.get("messages") or [])
        for fixture in fixtures:
            if all(f["filename"] in prompt for f in fixture.files[:1]):
                return fixture.answer
        return fixtures[0].answer

    return respond


def measure_in_process(fixture: Fixture, mode: str, reps: int) -> list[float]:
    event = pull_request_event(1, fake_sha(fixture.name))
    data = PipelineInput(snapshot_from_github(event, fixture.files), fixture.answer if mode == "llm" else None)
    review_in_process(data)  # warm: grammars and rules load once per process
    timings = []
    for _ in range(reps):
        began = time.perf_counter()
        review_in_process(data)
        timings.append(time.perf_counter() - began)
    return timings


async def orchestrated_once(run_: Run, fixture: Fixture, via: str) -> float:
    """Seed a new PR with the fixture's files, trigger its review, time until the summary comment exists."""
    assert run_.settings is not None
    number, sha = run_.take_number(), fake_sha(fixture.name, time.time_ns())
    event = pull_request_event(number, sha)
    repo, _ = run_.github.add_pull_from_event(event, files=fixture.files)
    began = time.perf_counter()
    if via == "webhook":
        body = json.dumps(event).encode()
        headers = github_headers(WEBHOOK_SECRET, body, "pull_request", str(uuid.uuid4()))
        response = await run_.http.post("/api/v1/github_webhooks", content=body, headers=headers)
        if response.status_code != 202:
            raise RuntimeError(f"webhook answered {response.status_code}: {response.text[:200]}")
    else:
        plan = review_pr_start(
            repository=repo, number=number, head_sha=sha, trigger="admin", delivery_id=str(uuid.uuid4())
        )
        await start_workflow(run_.stack.client, run_.settings.temporal, plan)
    await wait_for_summary(run_.github, repo, number)
    elapsed = time.perf_counter() - began
    run_.last_workflow[via] = review_workflow_id(repo, number)
    handle = run_.stack.client.get_workflow_handle(run_.last_workflow[via], result_type=ReviewResult)
    result = await asyncio.wait_for(handle.result(), timeout=60)
    if result.status != "posted":
        run_.failures.append(f"{fixture.short} {via}: {result.status} {result.skipped_reason}")
    return elapsed


async def wait_for_summary(github: FakeGitHub, repo: str, number: int, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if any("pr-agent:summary" in c["body"] for c in github.issue_comments(repo, number)):
            return
        await asyncio.sleep(0.005)
    raise TimeoutError(f"no summary comment on {repo}#{number} after {timeout:.0f}s")


def worker_settings(variables: dict[str, str], llm: FakeLLM, mode: str) -> Settings:
    if mode == "llm":
        llm_variables = {"LLM_MODEL": "openai/reviewer", "LLM_API_BASE": llm.url + "/v1", "LLM_API_KEY": "test"}
        variables = variables | llm_variables | {"LLM_TIMEOUT_SECONDS": "5"}
    return Settings.from_variables(variables)


async def measure_mode(run_: Run, fixtures: list[Fixture], mode: str, args: argparse.Namespace) -> None:
    assert run_.settings is not None
    deps = WorkerDeps(run_.settings, run_.stack.pool)
    async with build_worker(run_.stack.client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
        for fixture in fixtures:  # warm: sandbox, litellm import, PyGithub, grammars
            await orchestrated_once(run_, fixture, "direct")
        if mode == MODES[0]:
            await orchestrated_once(run_, fixtures[0], "webhook")
        for fixture in fixtures:
            for via, reps in (("direct", args.reps), ("webhook", args.webhook_reps)):
                run_.timings[(fixture.name, mode, via)] = [
                    await orchestrated_once(run_, fixture, via) for _ in range(reps)
                ]
                if fixture is fixtures[0]:
                    steps = await breakdown(run_.stack.client, run_.last_workflow[via])
                    run_.breakdowns.append(f"{fixture.short} {mode} {via}: {steps.line()}")


def report(run_: Run, fixtures: list[Fixture]) -> None:
    print(f"   {'fixture':<10} {'mode':<7} " + " ".join(f"{via + ' p50/p90':>20}" for via in VIAS), end="")
    print(f" {'direct/inproc':>14} {'webhook/inproc':>15} {'webhook-direct':>15}")
    for fixture in fixtures:
        for mode in MODES:
            stats = {via: summarize(run_.timings[(fixture.name, mode, via)]) for via in VIAS}
            cells = " ".join(f"{ms(stats[v].p50) + ' / ' + ms(stats[v].p90):>20}" for v in VIAS)
            inproc, direct, webhook = (stats[v].p50 for v in VIAS)
            print(
                f"   {fixture.short:<10} {mode:<7} {cells} {ratio(direct, inproc):>14}"
                f" {ratio(webhook, inproc):>15} {ms(webhook - direct):>15}"
            )
    counts = {via: len(run_.timings[(fixtures[0].name, MODES[0], via)]) for via in VIAS}
    print(f"   repetitions per cell: {counts}; medians (p50) and p90; ratios of medians")
    print(f"   not posted: {run_.failures or 'none'}")
    print("   where the orchestrated time went (last run of each, server timestamps from the workflow history):")
    for line in run_.breakdowns:
        print(f"     {line}")
    print(f"   {load_line()}")


async def bench(args: argparse.Namespace) -> int:
    fixtures = load_fixtures()
    async with bench_stack(args.temporal_store) as stack:
        header("ReviewPR: webhook/direct (orchestrated) vs in-process pipeline", stack)
        print(f"   fixtures: {', '.join(f.name for f in fixtures)}")
        with FakeGitHub() as github, FakeLLM(responder=responder_for(fixtures)) as llm:
            variables = stack.variables(GITHUB_API_URL=github.url, GITHUB_USER_TOKEN="ghp_test")
            async with api_process(variables, stack.workdir) as api:
                async with httpx.AsyncClient(base_url=api.base_url, timeout=30) as http:
                    run_ = Run(stack, github, http)
                    for mode in MODES:
                        for fixture in fixtures:
                            key = (fixture.name, mode, "inproc")
                            run_.timings[key] = measure_in_process(fixture, mode, args.inproc_reps)
                        run_.settings = worker_settings(variables, llm, mode)
                        await measure_mode(run_, fixtures, mode, args)
                    report(run_, fixtures)
    return 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--reps", type=int, default=5, help="direct (no settle) reviews per fixture and mode")
    parser.add_argument("--webhook-reps", type=int, default=3, help="webhook reviews per fixture and mode")
    parser.add_argument("--inproc-reps", type=int, default=30, help="in-process runs per fixture and mode")
    parser.add_argument("--temporal-store", choices=["file", "memory"], default="file")
    return parser.parse_args(argv)


if __name__ == "__main__":
    run(bench(parse_args()))
