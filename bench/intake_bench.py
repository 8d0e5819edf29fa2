"""Webhook intake under load, against a bare start loop on the same Temporal.

    .venv/bin/python -m bench.intake_bench [--rates 20,50] [--seconds 8] [--temporal-store file|memory]

At each rate, three paths get the same number of requests, in alternating (ABBA) slices:
  intake  signed `pull_request` `opened` deliveries POSTed to the real API (`pr-agent api`, its own
          process): signature, JSON, routing, inbox row, signal-with-start of ReviewPR, inbox update.
  inbox   only the inbox's two writes (record, mark started) from this process: the durability cost.
  bare    `client.start_workflow` from this process with the same plan (ReviewPR, signal-with-start,
          same input): what Temporal alone costs.
The load is open-loop (bench.load): request i leaves at t0 + i/rate, up to --max-in-flight
outstanding (then the generator waits, and "late p99" says by how much). Every request has its own
delivery id and PR number, so each records a row and starts a workflow. Nothing serves the reviews
queue: what is measured is the acknowledgement, not a review.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass

import asyncpg
import httpx
from temporalio.client import Client

from bench.common import (
    WEBHOOK_SECRET,
    ApiProcess,
    Stack,
    api_process,
    bench_stack,
    fake_sha,
    header,
    load_line,
    pull_request_event,
    run,
)
from bench.load import Phase, Send, fixed_rate
from bench.stats import ms, ratio, summarize
from contracts.review import review_workflow_id
from contracts.starts import review_pr_start
from core.settings import Settings
from core.temporal.client import connect, start_workflow
from db.deliveries import DeliveryRepository
from tests.support.fixtures import github_headers

REPOSITORY = "Codertocat/Hello-World"


def signed_deliveries(numbers: Iterable[int], run_id: str) -> dict[int, tuple[bytes, dict[str, str]]]:
    """Bodies and GitHub headers prepared before the clock starts, so signing never slows the generator."""
    prepared = {}
    for number in numbers:
        body = json.dumps(pull_request_event(number, fake_sha(run_id, number))).encode()
        prepared[number] = (body, github_headers(WEBHOOK_SECRET, body, "pull_request", f"{run_id}-{number}"))
    return prepared


def intake_sender(http: httpx.AsyncClient, prepared: dict[int, tuple[bytes, dict[str, str]]]) -> Send:
    async def send(number: int) -> str:
        body, headers = prepared[number]
        response = await http.post("/api/v1/github_webhooks", content=body, headers=headers)
        return str(response.status_code)

    return send


def inbox_sender(pool: asyncpg.Pool, run_id: str) -> Send:
    """Only the intake's two inbox writes (record, then mark started), for the same payloads."""
    deliveries = DeliveryRepository(pool)

    async def send(number: int) -> str:
        delivery_id = f"inbox-{run_id}-{number}"
        payload = pull_request_event(number, fake_sha(run_id, number))
        await deliveries.record(delivery_id, "github", "pull_request", "opened", REPOSITORY, payload)
        await deliveries.mark(delivery_id, "started", workflow_ids=[review_workflow_id(REPOSITORY, number)])
        return "recorded"

    return send


def bare_sender(client: Client, settings: Settings, run_id: str) -> Send:
    async def send(number: int) -> str:
        plan = review_pr_start(
            repository=REPOSITORY,
            number=number,
            head_sha=fake_sha(run_id, number),
            trigger="webhook",
            delivery_id=f"{run_id}-{number}",
        )
        await asyncio.wait_for(start_workflow(client, settings.temporal, plan), timeout=30)
        return "started"

    return send


async def inbox_counts(pool: asyncpg.Pool, run_id: str) -> str:
    rows = await pool.fetch(
        "SELECT status, count(*) AS n FROM webhook_deliveries WHERE delivery_id LIKE $1 GROUP BY status ORDER BY 1",
        f"{run_id}-%",  # the webhook deliveries of this run (the inbox-only phase's ids start "inbox-")
    )
    return ", ".join(f"{r['status']}={r['n']}" for r in rows) or "no rows"


def report(rate: float, count: int, phases: dict[str, Phase], inbox: str) -> None:
    intake, bare = phases["intake"], phases["bare"]
    print(f"-- {rate:g}/s, {count} requests on each path ({count / rate:g}s each)")
    for phase in phases.values():
        latency = summarize(phase.latencies)
        print(
            f"   {phase.name:<7} ok {phase.ok}/{count}  p50={ms(latency.p50)}  p99={ms(latency.p99)}"
            f"  throughput={phase.throughput:.1f}/s  errors: {phase.errors()}"
            f"  late p99={ms(summarize(phase.lateness).p99)}  CPU/request={ms(phase.cpu_per_request)}"
        )
    print(f"   rows    webhook deliveries in the inbox: {inbox}")
    a, b, rows = (summarize(phases[name].latencies) for name in ("intake", "bare", "inbox"))
    print(
        f"   ratio   p50 intake/bare={ratio(a.p50, b.p50)}  p99 intake/bare={ratio(a.p99, b.p99)}"
        f"  throughput intake/bare={ratio(intake.throughput, bare.throughput)}"
    )
    rest = a.p50 - rows.p50 - b.p50
    print(
        f"   split   intake p50 {ms(a.p50)} ≈ inbox writes {ms(rows.p50)} + start {ms(b.p50)}"
        f" + HTTP/signature/JSON/routing/queueing {ms(rest)}"
    )


async def bench(args: argparse.Namespace) -> int:
    async with bench_stack(args.temporal_store) as stack:
        header("intake: signed pull_request deliveries vs bare start_workflow", stack)
        variables = stack.variables()
        settings = Settings.from_variables(variables)
        client = await connect(settings.temporal)
        async with api_process(variables, stack.workdir) as api:
            limits = httpx.Limits(max_connections=args.max_in_flight, max_keepalive_connections=args.max_in_flight)
            async with httpx.AsyncClient(base_url=api.base_url, timeout=30, limits=limits) as http:
                await measure_all(args, Target(stack, settings, client, http, api))
        print(f"   {load_line()}")
    return 0


class PrNumbers:
    """Fresh PR numbers (hence workflow ids) for every request of the run."""

    def __init__(self, start: int = 1000) -> None:
        self._next = start

    def take(self, count: int) -> range:
        block = range(self._next, self._next + count)
        self._next += count
        return block


@dataclass
class Target:
    """What the load goes to: the API over HTTP, the inbox alone, or Temporal alone."""

    stack: Stack
    settings: Settings
    client: Client
    http: httpx.AsyncClient
    api: ApiProcess


async def measure_all(args: argparse.Namespace, target: Target) -> None:
    numbers = PrNumbers()
    await warm_up(target, numbers)
    for rate in args.rates:
        await measure_rate(args, target, numbers, rate)


async def measure_rate(args: argparse.Namespace, target: Target, numbers: PrNumbers, rate: float) -> None:
    run_id = f"bench-{time.time_ns()}"
    per_slice = max(1, int(rate * args.seconds / args.rounds))
    phases = {
        "intake": Phase("intake", "202", cpu_meter=target.api.cpu_seconds),
        "inbox": Phase("inbox", "recorded"),
        "bare": Phase("bare", "started"),
    }
    # ABBA order: a machine getting slower (or faster) during the run weighs on every path alike.
    plan = [
        (name, numbers.take(per_slice))
        for round_ in range(args.rounds)
        for name in (list(phases) if round_ % 2 == 0 else list(reversed(phases)))
    ]
    intake_numbers = [n for name, block in plan if name == "intake" for n in block]
    senders = {
        "intake": intake_sender(target.http, signed_deliveries(intake_numbers, run_id)),
        "inbox": inbox_sender(target.stack.pool, run_id),
        "bare": bare_sender(target.client, target.settings, run_id),
    }
    for name, block in plan:
        await fixed_rate(phases[name], senders[name], block, rate, args.max_in_flight)
        await asyncio.sleep(args.pause)
    report(rate, per_slice * args.rounds, phases, await inbox_counts(target.stack.pool, run_id))


async def warm_up(target: Target, numbers: PrNumbers) -> None:
    """Untimed requests on every path first: connections, caches and code paths are warm before the clock runs."""
    run_id = f"warm-{time.time_ns()}"
    intake_block, other_block = numbers.take(10), numbers.take(10)
    senders = [
        intake_sender(target.http, signed_deliveries(intake_block, run_id)),
        inbox_sender(target.stack.pool, run_id),
        bare_sender(target.client, target.settings, run_id),
    ]
    for intake_number, other_number in zip(intake_block, other_block, strict=True):
        for send, number in zip(senders, (intake_number, other_number, other_number), strict=True):
            await send(number)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rates", type=lambda s: [float(x) for x in s.split(",")], default=[20.0, 50.0])
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds of load on each path, per rate")
    parser.add_argument("--rounds", type=int, default=2, help="alternating slices per path (ABBA order)")
    parser.add_argument("--max-in-flight", type=int, default=200)
    parser.add_argument("--pause", type=float, default=2.0, help="quiet seconds between phases")
    parser.add_argument("--temporal-store", choices=["file", "memory"], default="file")
    return parser.parse_args(argv)


if __name__ == "__main__":
    run(bench(parse_args()))
