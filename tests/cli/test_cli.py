"""The real `pr-agent` command in a subprocess: the dev stack's life cycle, and an offline local review."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from cli.local_review import create_sample_repository

PR_AGENT = str(Path(sys.executable).with_name("pr-agent"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LITELLM_LOCAL_MODEL_COST_MAP")}
    return {**keep, "PR_AGENT_DATA_DIR": str(tmp_path / "data"), "NODE_ENV": "development", **extra}


def processes_using(path: Path) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(str(path) in part for part in proc.info["cmdline"] or []):
            found.append(proc)
    return found


@pytest.mark.slow
def test_dev_stack_comes_up_ready_and_ctrl_c_leaves_no_process(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    api_port, ui_port, grpc_port = free_port(), free_port(), free_port()
    env = clean_env(tmp_path, API_PORT=str(api_port), TEMPORAL_ADDRESS=f"127.0.0.1:{grpc_port}")
    stack = subprocess.Popen(
        [PR_AGENT, "dev", "--ui-port", str(ui_port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        ready = _wait_ready(f"http://127.0.0.1:{api_port}/readyz", timeout=60)
        assert ready["database"]["ready"] and ready["temporal"]["ready"], ready
        assert httpx.get(f"http://127.0.0.1:{ui_port}/", timeout=5).status_code == 200
        assert processes_using(tmp_path / "data"), "the stack's Temporal and PostgreSQL should be running"
    finally:
        stack.send_signal(signal.SIGINT)
        output = stack.communicate(timeout=60)[0].decode()
    assert stack.returncode == 0, output
    time.sleep(0.5)
    assert processes_using(tmp_path / "data") == [], output

    second = subprocess.Popen(
        [PR_AGENT, "dev", "--ui-port", str(ui_port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_ready(f"http://127.0.0.1:{api_port}/readyz", timeout=60)
    finally:
        second.send_signal(signal.SIGINT)
        output = second.communicate(timeout=60)[0].decode()
    assert "migrations applied: none pending" in output  # the second start reused the data


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [PR_AGENT, "dev"],
            env=clean_env(tmp_path, API_PORT=str(port)),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"port {port} (API) is already in use" in result.stderr


def test_review_command_prints_an_offline_review_without_llm_key(tmp_path: Path, db_dsn: str) -> None:
    repo, base, head = create_sample_repository(tmp_path / "sample")
    out = tmp_path / "review.md"
    result = subprocess.run(
        [PR_AGENT, "review", "--repo", str(repo), "--base", base, "--head", head, "--out", str(out)],
        env=clean_env(tmp_path, DATABASE_URL=db_dsn),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LLM review skipped: no LLM_API key configured." in result.stdout
    assert "public/order.php:6" in result.stdout and "php.unescaped-output" in result.stdout
    assert "src/orders/orders.service.ts:12" in result.stdout and "sql.string-built-query" in result.stdout
    assert out.read_text().strip() in result.stdout


def test_bad_setting_exits_with_the_variable_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [PR_AGENT, "migrate"],
        env=clean_env(tmp_path, TEMPORAL_ADDRESS="nope"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "TEMPORAL_ADDRESS" in result.stderr


def _wait_ready(url: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == 200:
                return dict(response.json())
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} not ready after {timeout}s")
