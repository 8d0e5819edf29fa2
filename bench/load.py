"""An open-loop, fixed-rate load generator: request i leaves at t0 + i/rate, whatever happened to
the earlier ones, so a slow server shows up as latency rather than as a politely slower client
(up to `max_in_flight` outstanding; beyond that the generator waits, and `lateness` records it).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

Send = Callable[[int], Awaitable[str]]  # sends request n; returns an outcome label ("202", "started")


@dataclass
class Phase:
    """One fixed-rate run: latencies of the successful requests, outcome counts, generator lateness."""

    name: str
    ok_label: str
    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    lateness: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: float = 0.0  # CPU seconds of the process doing the starts (the API, or this one for bare)
    cpu_meter: Callable[[], float] = time.process_time

    @property
    def ok(self) -> int:
        return self.outcomes[self.ok_label]

    @property
    def throughput(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_per_request(self) -> float:
        return self.cpu / max(1, sum(self.outcomes.values()))

    def errors(self) -> str:
        bad = {label: n for label, n in self.outcomes.items() if label != self.ok_label}
        return ", ".join(f"{label}: {n}" for label, n in sorted(bad.items())) or "none"


async def fixed_rate(phase: Phase, send: Send, numbers: Iterable[int], rate: float, max_in_flight: int) -> Phase:
    """Call send(n) for each n at `rate` per second, each timed from the moment it left; adds to `phase`."""
    gate = asyncio.Semaphore(max_in_flight)
    tasks = []
    cpu_before = phase.cpu_meter()
    start = time.perf_counter()
    for i, number in enumerate(numbers):
        due = start + i / rate
        if (delay := due - time.perf_counter()) > 0:
            await asyncio.sleep(delay)
        await gate.acquire()
        phase.lateness.append(max(0.0, time.perf_counter() - due))
        tasks.append(asyncio.create_task(_timed(phase, send, number, gate)))
    await asyncio.gather(*tasks)
    phase.elapsed += time.perf_counter() - start
    phase.cpu += phase.cpu_meter() - cpu_before
    return phase


async def _timed(phase: Phase, send: Send, number: int, gate: asyncio.Semaphore) -> None:
    began = time.perf_counter()
    try:
        label = await send(number)
    except Exception as error:  # counted and shown, never fatal: an error rate is a result
        label = type(error).__name__
    finally:
        gate.release()
    phase.outcomes[label] += 1
    if label == phase.ok_label:
        phase.latencies.append(time.perf_counter() - began)
