"""The real `pr-agent` command in a subprocess: the dev stack's life cycle and demo, finding the stack from
another directory (or saying how to start one), and an offline local review."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import httpx
import psutil
import pytest

from cli.demo_repo import create_sample_repository

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


class Output:
    """A process's output, read in the background so the test can wait for a line while it runs."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        self._thread = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[bytes]) -> None:
        for raw in stream:
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, needle: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not printed after {timeout}s:\n{self.text}")
            time.sleep(0.3)

    def finish(self) -> str:
        self._thread.join(timeout=30)
        return self.text


def home_env(home: Path, **extra: str) -> dict[str, str]:
    """No PR_AGENT_DATA_DIR: the stack and the commands find the default data home under this HOME."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LITELLM_LOCAL_MODEL_COST_MAP")}
    return {**keep, "HOME": str(home), "NODE_ENV": "development", **extra}


def pr_agent(env: dict[str, str], cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PR_AGENT, *argv], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_dev_demo_shows_context_other_directories_find_the_stack_and_ctrl_c_leaves_no_process(
    tmp_path: Path,
) -> None:
    tmp_path.chmod(0o755)
    home, stack_dir, elsewhere = tmp_path / "home", tmp_path / "stack", tmp_path / "elsewhere"
    for folder in (home, stack_dir, elsewhere):
        folder.mkdir(mode=0o755)
    data_home = home / ".local" / "share" / "pr-agent"
    api_port, ui_port, grpc_port = free_port(), free_port(), free_port()
    env = home_env(home, API_PORT=str(api_port), TEMPORAL_ADDRESS=f"127.0.0.1:{grpc_port}")
    argv = [PR_AGENT, "dev", "--demo", "--ui-port", str(ui_port)]
    stack = subprocess.Popen(argv, env=env, cwd=stack_dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = Output(stack)
    try:
        ready = _wait_ready(f"http://127.0.0.1:{api_port}/readyz", timeout=60)
        assert ready["database"]["ready"] and ready["temporal"]["ready"], ready
        assert httpx.get(f"http://127.0.0.1:{ui_port}/", timeout=5).status_code == 200
        assert processes_using(data_home), "the stack's Temporal and PostgreSQL should be running"
        output.wait_for("API docs:", timeout=180)
        # Another directory, and nothing but HOME: the state file leads to the stack's database.
        status = pr_agent(home_env(home), elsewhere, "status", "--json")
        assert status.returncode == 0, status.stderr
        counts = json.loads(status.stdout)
        assert counts["indexed_repositories"] == counts["investigated_repositories"] == 1, counts
        assert counts["code_chunks"] > 0 and counts["jira_tickets"] == 1 and counts["reviews"] == 1, counts
        twice = pr_agent(home_env(home), elsewhere, "dev")  # a second stack on the same data home
        assert twice.returncode == 2 and "a PR Agent stack is already running for" in twice.stderr
    finally:
        stack.send_signal(signal.SIGINT)
        stack.wait(timeout=60)
    text = output.finish()
    assert stack.returncode == 0, text
    used = next(line for line in text.splitlines() if line.startswith("Context used: "))
    sources = used.removeprefix("Context used: ").split(", ")
    assert len(sources) >= 3 and "Jira SHOP-42" in sources and "architecture analysis" in sources, used
    assert any(source.startswith("related code (") for source in sources), used
    review_link = f"http://127.0.0.1:{ui_port}/namespaces/default/workflows/review%3Alocal%2Fdemo-repo%23"
    assert f"This review in the Temporal UI: {review_link}" in text
    assert f"API docs: http://127.0.0.1:{api_port}/docs" in text
    time.sleep(0.5)
    assert processes_using(data_home) == [], text
    assert not (data_home / "stack.json").exists()

    second = subprocess.Popen(
        [PR_AGENT, "dev", "--ui-port", str(ui_port)],
        env=env,
        cwd=elsewhere,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_ready(f"http://127.0.0.1:{api_port}/readyz", timeout=60)
    finally:
        second.send_signal(signal.SIGINT)
        second_text = second.communicate(timeout=60)[0].decode()
    assert "migrations applied: none pending" in second_text  # the second start, elsewhere, reused the data


def test_without_a_stack_commands_say_how_to_start_one_and_create_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    status = pr_agent(home_env(home), tmp_path, "status")
    assert status.returncode == 3 and status.stdout == ""
    assert status.stderr.splitlines() == [
        f"pr-agent: no PR Agent stack is running for {home / '.local/share/pr-agent'} and it holds no database;"
        " start it with `scripts/dev` or `pr-agent dev`"
    ]
    search = pr_agent(home_env(home), tmp_path, "search", "--repo", "acme/api", "anything")
    assert search.returncode == 3 and "start it with `scripts/dev` or `pr-agent dev`" in search.stderr
    unreachable = f"127.0.0.1:{free_port()}"
    reconcile = pr_agent(home_env(home, TEMPORAL_ADDRESS=unreachable), tmp_path, "reconcile", "--no-wait")
    assert reconcile.returncode == 3
    assert reconcile.stderr.startswith(f"pr-agent: cannot reach Temporal at {unreachable}: no PR Agent stack")
    assert not (home / ".local/share/pr-agent/postgres").exists()  # no empty database was made


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
