"""The soak's processes: Temporal dev server, PostgreSQL, the API and one worker per queue.

Each is a real OS process the fault injector can kill or restart; state survives restarts (the
Temporal state file, the PostgreSQL data directory), as it would in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from cli.temporal_dev import TemporalDevServer
from contracts.common import QUEUE_KINDS
from db.embedded import DatabaseHandle, start_embedded

PR_AGENT = str(Path(sys.executable).with_name("pr-agent"))


@dataclass
class Role:
    """One supervised `pr-agent` process (the API or a worker) and its peak memory."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    peak_rss: int = 0
    restarts: int = 0

    def start(self) -> None:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(self.argv, env=self.env, stdout=handle, stderr=subprocess.STDOUT)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self, sig: int = signal.SIGKILL) -> None:
        self.kill(sig)
        self.restarts += 1
        self.start()

    def sample_memory(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(psutil.NoSuchProcess):
                self.peak_rss = max(self.peak_rss, psutil.Process(self.process.pid).memory_info().rss)


@dataclass
class SoakStack:
    root: Path
    env: dict[str, str]
    api_port: int
    temporal: TemporalDevServer | None = None
    database: DatabaseHandle | None = None
    roles: dict[str, Role] = field(default_factory=dict)
    temporal_peak_rss: int = 0
    postgres_peak_rss: int = 0
    restarts: dict[str, int] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    async def start_services(self, temporal_port: int, ui_port: int) -> str:
        """Temporal and PostgreSQL; returns the database DSN."""
        self.temporal = TemporalDevServer(self.root / "temporal", temporal_port, ui_port)
        await self.temporal.start()
        self.database = start_embedded(self.root, keep_running=True)
        return self.database.dsn

    def start_roles(self) -> None:
        logs = self.root / "logs"
        logs.mkdir(exist_ok=True)
        self.roles["api"] = Role("api", [PR_AGENT, "api"], self.env, logs / "api.log")
        for kind in QUEUE_KINDS:
            env = {**self.env, "REPO_CACHE_DIR": str(self.root / f"cache-{kind}")}
            self.roles[kind] = Role(kind, [PR_AGENT, "worker", "--queue", kind], env, logs / f"{kind}.log")
        for role in self.roles.values():
            role.start()

    async def wait_api_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                try:
                    if (await client.get(self.api_url + "/readyz", timeout=2)).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.3)
        raise RuntimeError("the API did not become ready")

    async def restart_temporal(self) -> None:
        assert self.temporal is not None
        self.temporal.stop()
        self.restarts["temporal"] = self.restarts.get("temporal", 0) + 1
        await self.temporal.start()

    def restart_postgres(self) -> None:
        """A fast shutdown and a start on the same data directory (clients see dropped connections)."""
        assert self.database is not None and self.database.server is not None
        _stop_postgres(self._pg_process())
        self.restarts["postgres"] = self.restarts.get("postgres", 0) + 1
        # The package keeps one handle per data directory per process: start the same one again.
        self.database.server.ensure_postgres_running()

    def sample_memory(self) -> None:
        for role in self.roles.values():
            role.sample_memory()
        for attr, proc in (("temporal_peak_rss", self._temporal_process()), ("postgres_peak_rss", self._pg_process())):
            if proc is not None:
                with contextlib.suppress(psutil.NoSuchProcess):
                    setattr(self, attr, max(getattr(self, attr), _tree_rss(proc)))

    def _temporal_process(self) -> psutil.Process | None:
        process = self.temporal.process if self.temporal else None
        return _process(process.pid if process and process.poll() is None else None)

    def _pg_process(self) -> psutil.Process | None:
        return _process(self._pg_pid())

    def _pg_pid(self) -> int | None:
        try:
            return self.database.server.get_pid() if self.database and self.database.server else None
        except Exception:  # postmaster.pid missing while it restarts
            return None

    def stop(self) -> None:
        for role in self.roles.values():
            role.kill(signal.SIGTERM)
        if self.temporal:
            self.temporal.stop()
        _stop_postgres(self._pg_process())


def _process(pid: int | None) -> psutil.Process | None:
    try:
        return psutil.Process(pid) if pid else None
    except psutil.NoSuchProcess:
        return None


def _stop_postgres(postmaster: psutil.Process | None) -> None:
    """PostgreSQL's "fast" shutdown (SIGINT), waiting for it to finish."""
    if postmaster is None:
        return
    with contextlib.suppress(psutil.NoSuchProcess):
        postmaster.send_signal(signal.SIGINT)
        postmaster.wait(30)


def _tree_rss(process: psutil.Process) -> int:
    return process.memory_info().rss + sum(child.memory_info().rss for child in process.children(recursive=True))
