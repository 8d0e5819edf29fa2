"""The fault injector: every few seconds one fault, cycling through the kinds so each recurs."""

from __future__ import annotations

import asyncio
import random
import signal
import time
from dataclasses import dataclass, field

from bench.soak.stack import SoakStack
from bench.soak.world import SoakWorld
from contracts.common import QUEUE_KINDS

FAULT_KINDS = (
    "kill_worker",
    "restart_api",
    "restart_temporal",
    "restart_postgres",
    "llm_spell",
    "github_spell",
    "github_refuses_review",
)


@dataclass
class FaultLog:
    injected: dict[str, int] = field(default_factory=dict)
    events: list[tuple[float, str, str]] = field(default_factory=list)  # (monotonic time, kind, detail)

    def add(self, kind: str, detail: str) -> None:
        self.injected[kind] = self.injected.get(kind, 0) + 1
        self.events.append((time.monotonic(), kind, detail))

    def times_of(self, *kinds: str) -> list[float]:
        return [t for t, kind, _ in self.events if kind in kinds]

    def kills_of(self, role: str) -> list[float]:
        return [t for t, kind, detail in self.events if kind == "kill_worker" and detail == role]


async def inject_faults(
    stack: SoakStack, world: SoakWorld, log: FaultLog, deadline: float, every: float, rng: random.Random
) -> None:
    kinds = list(FAULT_KINDS)
    step = 0
    while time.monotonic() + every < deadline:
        await asyncio.sleep(every)
        kind = kinds[step % len(kinds)]
        step += 1
        if step % len(kinds) == 0:
            rng.shuffle(kinds)
        await _inject(kind, stack, world, log, rng)


async def _inject(kind: str, stack: SoakStack, world: SoakWorld, log: FaultLog, rng: random.Random) -> None:
    if kind == "kill_worker":
        role = rng.choice(QUEUE_KINDS)
        stack.roles[role].kill(signal.SIGKILL)
        log.add(kind, role)
        await asyncio.sleep(rng.uniform(0.5, 3.0))
        stack.roles[role].start()
    elif kind == "restart_api":
        stack.roles["api"].restart(signal.SIGTERM)
        log.add(kind, "api")
    elif kind == "restart_temporal":
        log.add(kind, "temporal")
        await stack.restart_temporal()
    elif kind == "restart_postgres":
        log.add(kind, "postgres")
        await asyncio.to_thread(stack.restart_postgres)
    elif kind == "llm_spell":
        status = rng.choice([429, 500, 503, None])
        _spell(world.llm.faults, status, log, kind)
    elif kind == "github_refuses_review":
        target = world.refuse_next_review()
        if target:
            log.add(kind, target)
    elif kind == "github_spell":
        status = rng.choice([502, 500, 429, None])
        _spell(world.github.faults, status, log, kind)


def _spell(faults: object, status: int | None, log: FaultLog, kind: str) -> None:
    """A few seconds of errors (or slowness) from a provider."""
    if status is None:
        faults.push(delay=2.0, times=5)  # type: ignore[attr-defined]
        log.add(kind, "slow")
    else:
        headers = {"Retry-After": "1"} if status == 429 else None
        faults.push(status=status, times=6, headers=headers)  # type: ignore[attr-defined]
        log.add(kind, str(status))
