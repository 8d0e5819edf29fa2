"""Fan-out benchmark: InvestigateRepos' sliding window against a batch-of-N baseline.

    .venv/bin/python -m bench.fanout_bench [--window 4] [--durations 8,1,1,2,...]

Repositories of very different durations (one long one early, many short ones) are investigated
by the real InvestigateRepos parent (real activity listing them from PostgreSQL, real child
workflows on a real Temporal dev server) with a stand-in child that waits its repository's
duration. The same children then run in batches of N. Printed: measured wall time of each, the
ideal for the window (max(longest, total / N)), and what a perfect scheduler of each kind would
take, so the overhead of Temporal itself is visible too.
"""

from __future__ import annotations

import argparse
import heapq
import time
import uuid

import asyncpg
from temporalio.worker import Worker

from activities.investigation import InvestigationActivities
from bench.common import bench_stack, header, run
from bench.fanout_workflows import BATCHED, BatchedInvestigations, StandInInvestigation
from contracts.common import INVESTIGATE_ALL
from contracts.investigation import InvestigateReposInput, InvestigateReposResult
from core.settings import Settings
from workflows.investigation import InvestigateReposWorkflow

DEFAULT_DURATIONS = "8,1,1,2,1,6,1,1,3,1,2,1,4,1,1,2"


def sliding_ideal(durations: list[float], window: int) -> float:
    """Makespan of starting each job, in order, the moment any of `window` slots frees up."""
    slots = [0.0] * min(window, len(durations))
    for seconds in durations:
        heapq.heapreplace(slots, slots[0] + seconds)
    return max(slots, default=0.0)


def batched_ideal(durations: list[float], window: int) -> float:
    return sum(max(durations[i : i + window]) for i in range(0, len(durations), window))


async def register(stack_pool: asyncpg.Pool, names: list[str]) -> None:
    for name in names:
        owner, repo = name.split("/")
        await stack_pool.execute(
            "INSERT INTO repositories (full_name, owner, name, clone_url) VALUES ($1, $2, $3, '/nowhere')",
            name,
            owner,
            repo,
        )


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--window", type=int, default=4)
    parser.add_argument("--durations", default=DEFAULT_DURATIONS, help="seconds per repository, in order")
    parser.add_argument("--store", choices=["file", "memory"], default="file", help="the dev server's persistence")
    args = parser.parse_args()
    durations = [float(d) for d in args.durations.split(",")]
    # Names sort in the given order: the activity lists registered repositories by name.
    names = [f"bench/r{i:02d}-{d:g}s" for i, d in enumerate(durations)]
    async with bench_stack(args.store) as stack:
        header("InvestigateRepos fan-out: sliding window vs batches", stack)
        settings = Settings.from_variables(stack.variables())
        await register(stack.pool, names)
        queue = settings.temporal.queue_investigations
        activities = InvestigationActivities(settings, stack.pool)
        workflows = [InvestigateReposWorkflow, StandInInvestigation, BatchedInvestigations]
        async with Worker(
            stack.client, task_queue=queue, workflows=workflows, activities=[activities.list_investigation_targets]
        ):
            request = InvestigateReposInput(repositories=[], concurrency=args.window, force=False, trigger="admin")
            began = time.perf_counter()
            result = await stack.client.execute_workflow(
                INVESTIGATE_ALL, request, id=f"bench-window-{uuid.uuid4().hex[:6]}", task_queue=queue,
                result_type=InvestigateReposResult,
            )  # fmt: skip
            window_wall = time.perf_counter() - began
            began = time.perf_counter()
            await stack.client.execute_workflow(
                BATCHED, request, id=f"bench-batched-{uuid.uuid4().hex[:6]}", task_queue=queue
            )
            batched_wall = time.perf_counter() - began
    report(durations, args.window, window_wall, batched_wall, len(result.reports))
    return 0


def report(durations: list[float], window: int, window_wall: float, batched_wall: float, children: int) -> None:
    ideal = max(max(durations), sum(durations) / window)
    print(f"   {len(durations)} repositories, window {window}, durations {sum(durations):g}s in total, longest "
          f"{max(durations):g}s; ideal for the window max(longest, total/N) = {ideal:.1f}s")  # fmt: skip
    rows = [
        ("sliding window (InvestigateRepos)", window_wall, sliding_ideal(durations, window)),
        (f"batches of {window} (baseline)", batched_wall, batched_ideal(durations, window)),
    ]
    print(f"   {'scheduler':<36} {'measured':>9} {'perfect':>9} {'vs ideal':>9}")
    for name, measured, perfect in rows:
        print(f"   {name:<36} {measured:>8.1f}s {perfect:>8.1f}s {measured / ideal:>8.2f}x")
    print(f"   children reported: {children}; the window finished {batched_wall / window_wall:.2f}x sooner")


if __name__ == "__main__":
    run(main())
