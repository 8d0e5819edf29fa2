"""Large and incremental pull requests through the real ReviewPR workflow.

    .venv/bin/python -m bench.large_pr_bench [--files 300] [--delay 2.0]

A synthetic pull request of `--files` TypeScript files in 15 directories goes through ReviewPR
(real Temporal, PostgreSQL, PyGithub against the GitHub stand-in, litellm against a local model
that answers after `--delay` seconds). Printed: LLM calls, prompt tokens and wall time of the
whole review with its parts run in parallel, the same review with the worker limited to one
activity at a time (the parts one after another), and the prompt tokens of a follow-up head that
changes one line, against the whole review (goal: at most a fifth).
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from typing import Any

from bench.common import Stack, bench_stack, header, run
from contracts.review import ReviewResult
from contracts.starts import review_pr_start
from core.settings import Settings
from core.temporal.client import start_workflow
from domain.review.budget import estimate_tokens
from tests.fakes.github import FakeGitHub
from tests.fakes.llm import FakeLLM
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

DIRECTORIES = 15


def source(index: int, lines: int) -> str:
    body = "".join(
        f"  const value{n} = input.field{n} ?? defaults.field{n}; // step {n} of {index}\n" for n in range(lines)
    )
    return f"export function handler{index}(input: Input, defaults: Input): number {{\n{body}  return 0;\n}}\n"


def world(github: FakeGitHub, files: int) -> tuple[str, int, str]:
    repo = f"bench/large-{uuid.uuid4().hex[:6]}"
    paths = [f"src/module{i % DIRECTORIES:02d}/handler{i:03d}.ts" for i in range(files)]
    github.add_repo(repo, files={path: source(i, 4) for i, path in enumerate(paths)})
    head = github.commit_changes(repo, {path: source(i, 24) for i, path in enumerate(paths)}, branch="feature")
    return repo, github.open_pull(repo, title="Handlers read every field", head_ref="feature"), head


def answer(body: dict[str, Any]) -> str:
    return json.dumps({"summary": "Reviewed.", "risk": "low", "comments": []})


async def review(stack: Stack, settings: Settings, repo: str, number: int, head: str) -> tuple[ReviewResult, float]:
    plan = review_pr_start(repository=repo, number=number, head_sha=head, trigger="admin")
    began = time.perf_counter()
    handle = await start_workflow(stack.client, settings.temporal, plan)
    typed = stack.client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=ReviewResult)
    result = await typed.result()
    return result, time.perf_counter() - began


def prompt_tokens(llm: FakeLLM, since: int) -> tuple[int, int]:
    calls = llm.chat_calls[since:]
    return len(calls), sum(estimate_tokens(str(m.get("content", ""))) for c in calls for m in c.messages)


async def measure(stack: Stack, github: FakeGitHub, llm: FakeLLM, files: int, concurrency: int) -> dict[str, Any]:
    settings = Settings.from_variables(
        stack.variables(
            GITHUB_API_URL=github.url,
            GITHUB_USER_TOKEN="ghp_test",
            LLM_MODEL="openai/reviewer",
            LLM_API_BASE=llm.url + "/v1",
            LLM_API_KEY="test",
            LLM_TIMEOUT_SECONDS="60",
            LLM_VERIFY="false",  # the calls counted here are the review's parts, not the verification pass
        )
    )
    deps = WorkerDeps(settings, stack.pool)
    worker = build_worker(
        stack.client, deps, "reviews", REGISTRATIONS["reviews"](deps), max_concurrent_activities=concurrency
    )
    async with worker:
        warm_repo, warm_number, warm_head = world(github, 3)  # imports, connections: not part of the figures
        await review(stack, settings, warm_repo, warm_number, warm_head)
        repo, number, head = world(github, files)
        seen = len(llm.chat_calls)
        result, wall = await review(stack, settings, repo, number, head)
        calls, tokens = prompt_tokens(llm, seen)
        row: dict[str, Any] = {"wall": wall, "calls": calls, "tokens": tokens, "status": result.status}
        if concurrency > 1:
            changed = {"src/module00/handler000.ts": source(0, 24).replace("step 3 of 0", "step three of 0")}
            follow = github.commit_changes(repo, changes=changed, branch="feature", message="One-line fix-up")
            seen = len(llm.chat_calls)
            _, row["follow_wall"] = await review(stack, settings, repo, number, follow)
            row["follow_calls"], row["follow_tokens"] = prompt_tokens(llm, seen)
        return row


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--delay", type=float, default=2.0, help="seconds the stand-in model takes per answer")
    args = parser.parse_args()
    async with bench_stack("memory") as stack:
        header(f"A {args.files}-file pull request, the model answering after {args.delay:g} s", stack)
        with FakeGitHub() as github, FakeLLM(responder=answer) as llm:
            # The model's thinking time, spent outside the stand-in's lock, so parallel calls overlap.
            llm.faults.push(delay=args.delay, times=100_000, method="POST", path="/chat/completions")
            parallel = await measure(stack, github, llm, args.files, concurrency=20)
            serial = await measure(stack, github, llm, args.files, concurrency=1)
    print(f"   {'review':<34} {'LLM calls':>9} {'prompt tokens':>14} {'wall':>8}")
    for name, row in (("whole, parts in parallel", parallel), ("whole, parts one after another", serial)):
        print(f"   {name:<34} {row['calls']:>9} {row['tokens']:>14,} {row['wall']:>7.1f}s")
    follow = ("follow-up head (one line changed)", parallel["follow_calls"], parallel["follow_tokens"])
    print(f"   {follow[0]:<34} {follow[1]:>9} {follow[2]:>14,} {parallel['follow_wall']:>7.1f}s")
    print(f"   parallel parts: {serial['wall'] / parallel['wall']:.2f}x faster than one after another")
    print(
        f"   follow-up tokens: {parallel['follow_tokens'] / parallel['tokens']:.3f} of the whole review (goal <= 0.2)"
    )
    return 0


if __name__ == "__main__":
    run(main())
