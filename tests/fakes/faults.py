"""Fault injection for the fake services: queued faults and a seeded random failure rate.

`push` queues a fault for the next N matching requests (an error status, a delay, or both);
`set_rate` makes a share of matching requests fail for soak tests, with a seeded RNG so a failing
run can be replayed. Faults are checked before authentication and routing, as a proxy or an
overloaded provider would answer.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field


@dataclass
class Fault:
    """What to do to a matching request: sleep `delay` seconds, then answer `status` if set."""

    status: int | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    body: object = None
    method: str | None = None
    path: re.Pattern[str] | None = None
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to a request with this method and path."""
        if self.method is not None and self.method != method.upper():
            return False
        return self.path is None or self.path.search(path) is not None


@dataclass
class _Rate:
    fault: Fault
    probability: float
    rng: random.Random


class Faults:
    """Thread-safe queue of faults plus an optional random failure rate ("spell" mode)."""

    def __init__(self, *, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._queue: list[Fault] = []
        self._rate: _Rate | None = None
        self._seed = seed
        self.injected = 0  # how many requests a fault was applied to

    def push(
        self,
        *,
        status: int | None = None,
        times: int = 1,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        body: object = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Apply a fault to the next `times` requests matching `method` and the regex `path`.

        `status` answers with the service's error body (or `body`); `delay` sleeps first, which with
        no status then answers normally: a slow server for timeout tests.
        """
        if status is None and delay <= 0:
            raise ValueError("a fault needs a status, a delay, or both")
        if times < 1:
            raise ValueError("times must be at least 1")
        fault = Fault(
            status=status,
            delay=delay,
            headers=dict(headers or {}),
            body=body,
            method=method.upper() if method else None,
            path=re.compile(path) if path else None,
            times=times,
        )
        with self._lock:
            self._queue.append(fault)

    def set_rate(
        self,
        *,
        probability: float,
        status: int = 503,
        seed: int | None = None,
        headers: dict[str, str] | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """Fail a share `probability` of matching requests with `status`, from a seeded RNG."""
        if not 0.0 <= probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        fault = Fault(
            status=status,
            headers=dict(headers or {}),
            method=method.upper() if method else None,
            path=re.compile(path) if path else None,
        )
        rng = random.Random(self._seed if seed is None else seed)
        with self._lock:
            self._rate = _Rate(fault, probability, rng)

    def clear(self) -> None:
        """Drop queued faults and the random rate."""
        with self._lock:
            self._queue.clear()
            self._rate = None

    @property
    def pending(self) -> int:
        """How many more requests the queued faults will still hit."""
        with self._lock:
            return sum(f.times for f in self._queue)

    def take(self, method: str, path: str) -> Fault | None:
        """The fault to apply to this request, if any (consumes one use of a queued fault)."""
        with self._lock:
            fault = self._take_queued(method, path) or self._roll(method, path)
            if fault is not None:
                self.injected += 1
            return fault

    def _take_queued(self, method: str, path: str) -> Fault | None:
        for index, fault in enumerate(self._queue):
            if fault.matches(method, path):
                fault.times -= 1
                if fault.times == 0:
                    del self._queue[index]
                return fault
        return None

    def _roll(self, method: str, path: str) -> Fault | None:
        rate = self._rate
        if rate is None or not rate.fault.matches(method, path):
            return None
        return rate.fault if rate.rng.random() < rate.probability else None
