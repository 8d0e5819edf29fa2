"""A worker killed with SIGKILL in the middle of a step: the restarted one asks only from that step on."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from contracts.common import INVESTIGATE_REPO
from contracts.investigation import InvestigateRepoInput, InvestigateRepoResult
from core.settings import Settings
from core.temporal.client import task_queue
from domain.investigation.promptsets import load_prompt_set
from tests.fakes.llm import FakeLLM
from tests.workflows.investigation_support import (
    PYTHON_SERVICE,
    StepModel,
    investigations_worker,
    llm_settings,
    make_repo,
    options,
)

ROOT = Path(__file__).resolve().parents[2]
KILLED_STEP = "data-and-databases"  # the fourth step of the backend-python set


def worker_environment(settings: Settings, temporal_address: str) -> dict[str, str]:
    assert settings.database.url is not None and settings.llm.api_base is not None
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "PYTHONPATH": str(ROOT),
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "NODE_ENV": "test",
        "DATABASE_URL": settings.database.url.get_secret_value(),
        "TEMPORAL_ADDRESS": temporal_address,
        "TASK_QUEUE_INVESTIGATIONS": settings.temporal.queue_investigations,
        "LLM_MODEL": settings.llm.model,
        "LLM_API_BASE": settings.llm.api_base,
        "LLM_API_KEY": "test",
        "LLM_TIMEOUT_SECONDS": "10",
        "REPO_CACHE_DIR": str(settings.paths.repo_cache_dir),
        "PR_AGENT_TEST_PROMPTS_ROOT": str(options().prompts_root),
    }


async def wait_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), timeout=60)
    assert line.strip() == "ready", f"worker did not start: {line!r}"


@pytest.mark.slow
async def test_sigkill_during_a_step_repeats_only_that_step(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    client: Client = temporal_env.client
    repo = make_repo(tmp_path / "orders", PYTHON_SERVICE)
    model = StepModel(block_step=KILLED_STEP)
    with FakeLLM(responder=model) as llm:
        settings = llm_settings(settings, tmp_path / "cache", llm.url)
        env = worker_environment(settings, client.service_client.config.target_host)
        process = subprocess.Popen(  # noqa: ASYNC220 - starting it does not block; readiness is awaited
            [sys.executable, "-m", "tests.workflows.investigation_worker_process"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            await wait_ready(process)
            handle = await client.start_workflow(
                INVESTIGATE_REPO,
                InvestigateRepoInput(
                    repository="acme/orders",
                    branch="main",
                    commit_sha=None,
                    force=False,
                    trigger="admin",
                    clone_url=str(repo),
                ),
                id=f"investigate:acme/orders@main:{uuid.uuid4().hex[:6]}",
                task_queue=task_queue(settings.temporal, "investigations"),
                result_type=InvestigateRepoResult,
            )
            assert await asyncio.to_thread(model.entered.wait, 60), "the killed step was never asked"
            asked_before_kill = dict(model.asked)
            os.kill(process.pid, signal.SIGKILL)
            assert process.wait(timeout=10) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        model.release.set()  # the dead worker's request ends; its answer goes nowhere
        async with investigations_worker(client, pool, settings):
            result = await asyncio.wait_for(handle.result(), timeout=60)

    steps = [s.id for s in load_prompt_set("backend-python", options().prompts_root).steps]
    killed_at = steps.index(KILLED_STEP)
    assert asked_before_kill == {s: 1 for s in steps[: killed_at + 1]}
    # After the restart: steps before the killed one were not asked again, the killed one was
    # asked once more, and every later step once.
    assert model.asked == {s: (2 if s == KILLED_STEP else 1) for s in steps}
    assert (result.status, result.steps_total) == ("investigated", len(steps))
