"""`pr-agent worker` and `pr-agent api` as the container runs them: metrics, health check, clean SIGTERM."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
import urllib.request
import uuid
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

PR_AGENT = Path(sys.executable).parent / "pr-agent"
HEALTHCHECK = Path(__file__).resolve().parents[2] / "infra" / "healthcheck.py"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _scrape(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            return str(response.read().decode())
    except OSError:
        return ""


async def _wait_for(port: int, needle: str, seconds: float) -> str:
    text = ""
    for _ in range(int(seconds / 0.25)):
        text = await asyncio.to_thread(_scrape, port)
        if needle in text:
            return text
        await asyncio.sleep(0.25)
    return text


def _environment(temporal_env: WorkflowEnvironment, db_dsn: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    # Nothing from the test's own environment, and no .env file in the working directory.
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DATABASE_URL": db_dsn,
        "TEMPORAL_ADDRESS": temporal_env.client.service_client.config.target_host,
        "NODE_ENV": "production",
        "PR_AGENT_DATA_DIR": str(tmp_path),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        **extra,
    }


async def _healthcheck(env: dict[str, str]) -> int:
    check = await asyncio.create_subprocess_exec(sys.executable, str(HEALTHCHECK), env=env)
    return await check.wait()


async def test_worker_process_serves_metrics_and_stops_cleanly_on_sigterm(
    temporal_env: WorkflowEnvironment, db_dsn: str, tmp_path: Path
) -> None:
    port, queue = _free_port(), f"sync-{uuid.uuid4().hex[:8]}"
    env = _environment(temporal_env, db_dsn, tmp_path, TASK_QUEUE_SYNC=queue, METRICS_PORT=str(port))
    process = await asyncio.create_subprocess_exec(
        str(PR_AGENT), "worker", "--queue", "sync", cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE
    )
    try:
        text = await _wait_for(port, f'task_queue="{queue}"', 45)
        healthy = await _healthcheck(env)
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert f'task_queue="{queue}"' in text  # the worker's own Temporal SDK metrics
    assert "temporal_request_total" in text and "pr_agent_reviews_total" in text and "process_cpu_seconds" in text
    assert process.returncode == 0 and healthy == 0
    lines = [json.loads(line) for line in stdout.decode().splitlines() if line.startswith("{")]
    assert any(line["message"] == "workers running" and line["queues"] == "sync" for line in lines)
    assert any(line.get("metrics_port") == port for line in lines)


async def test_api_process_is_healthy_ready_and_serves_temporal_client_metrics(
    temporal_env: WorkflowEnvironment, db_dsn: str, tmp_path: Path
) -> None:
    port = _free_port()
    env = _environment(temporal_env, db_dsn, tmp_path, API_HOST="127.0.0.1", API_PORT=str(port))
    process = await asyncio.create_subprocess_exec(
        str(PR_AGENT), "api", cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE
    )
    try:
        await _wait_for(port, "# HELP", 45)  # the server is up
        healthy = await _healthcheck(env)
        ready = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/readyz")  # connects the Temporal client
        text = await _wait_for(port, 'operation="GetSystemInfo"', 10)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), timeout=30)
    assert healthy == 0 and ready == 200
    assert "temporal_request_total" in text and "# HELP pr_agent_reviews_total" in text
    assert process.returncode == 0


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=5) as response:
        return int(response.status)
