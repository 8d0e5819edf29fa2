"""State changes a test schedules for "just before the next matching request": the moment a
client is between reading something and acting on it (a pull request's head moving between the
diff being fetched and the review being posted), reproduced deterministically instead of by
racing a thread against the client.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Trigger:
    action: Callable[[], None]
    method: str | None
    path: re.Pattern[str] | None
    times: int

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        return self.path is None or self.path.search(path) is not None


class Triggers:
    """Thread-safe queue of actions, each run before the next `times` matching requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Trigger] = []
        self.fired = 0

    def before(
        self,
        action: Callable[[], None],
        *,
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> None:
        """Run `action` before serving the next `times` requests with `method` whose path
        matches the regex `path` (searched), ahead of faults and routing."""
        if times < 1:
            raise ValueError("times must be at least 1")
        pattern = re.compile(path) if path else None
        with self._lock:
            self._queue.append(_Trigger(action, method.upper() if method else None, pattern, times))

    @property
    def pending(self) -> int:
        """How many more requests the queued triggers will still fire on."""
        with self._lock:
            return sum(t.times for t in self._queue)

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def fire(self, method: str, path: str) -> None:
        """Run every queued action that matches this request (each uses up one of its times)."""
        due: list[Callable[[], None]] = []
        with self._lock:
            for trigger in list(self._queue):
                if trigger.matches(method, path):
                    trigger.times -= 1
                    due.append(trigger.action)
                    if trigger.times == 0:
                        self._queue.remove(trigger)
            self.fired += len(due)
        for action in due:  # outside our lock: an action takes the server's lock to seed state
            action()
