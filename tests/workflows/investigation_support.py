"""Shared pieces of the investigation tests: local git repositories, a fake model that answers each
step in the shape asked, settings pointing at both, and an investigations worker."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import asyncpg
from pydantic import SecretStr
from temporalio.client import Client
from temporalio.worker import Worker

from activities.investigation import PROMPTS_ROOT, InvestigationOptions
from core.settings import Settings
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

FAST = {"heartbeat_seconds": 2.0}
HISTORIES = Path(__file__).parent / "histories_investigation"
RECORD = "PR_AGENT_RECORD_INVESTIGATION_HISTORIES"  # set it to re-record the replay test's histories
_STEP = re.compile(r"^Step: .* \(([a-z0-9-]+)@v\d+\)$", re.MULTILINE)
_SECTIONS = re.compile(r"## Required sections\n\n.*?\n\n((?:### [^\n]+\n?)+)", re.DOTALL)
_FILES = re.compile(r"^### (\S+)\n\n```", re.MULTILINE)


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00"}
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env | _path())
    return result.stdout.strip()


def _path() -> dict[str, str]:
    import os

    return {"PATH": os.environ["PATH"], "HOME": str(Path.home())}


def make_repo(root: Path, files: dict[str, str], branch: str = "main") -> Path:
    """A git repository at `root` with `files` in one commit on `branch`."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", branch)
    git(root, "config", "user.email", "test@example.test")
    git(root, "config", "user.name", "Test")
    commit_files(root, files, "initial")
    return root


def commit_files(repo: Path, files: dict[str, str], message: str = "change") -> str:
    for path, text in files.items():
        target = repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def package_json(deps: dict[str, str] | None = None, **fields: object) -> str:
    return json.dumps({"name": "app", "version": "1.0.0", "dependencies": deps or {}, **fields})


PYTHON_SERVICE = {
    "pyproject.toml": '[project]\nname = "orders"\ndependencies = ["fastapi", "sqlalchemy", "asyncpg"]\n',
    "README.md": "# Orders\n\nThe orders service.\n",
    "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/orders/{order_id}')\n"
    "async def read_order(order_id: int) -> dict:\n    return {'id': order_id}\n",
    "app/models.py": "class Order:\n    id: int\n",
    "app/events.py": "TOPIC = 'orders.created'\n",
    "Dockerfile": "FROM python:3.11\nCMD uvicorn app.main:app\n",
}


class StepModel:
    """A FakeLLM responder: answers every required section of the asked step, citing a file shown.

    `asked` counts the steps asked (by step id); `block_step` makes the call for that step wait
    until `release` is set, with `entered` set once it is waiting.
    """

    def __init__(self, block_step: str | None = None) -> None:
        self.asked: Counter[str] = Counter()
        self.order: list[str] = []
        self.block_step = block_step
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, body: dict[str, Any]) -> str:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        step = _STEP.search(user)
        step_id = step.group(1) if step else "?"
        self.asked[step_id] += 1
        self.order.append(step_id)
        if step_id == self.block_step and not self.release.is_set():
            self.entered.set()
            self.release.wait(30)
        return answer_for(user, step_id)


def answer_for(user: str, step_id: str) -> str:
    found = _SECTIONS.search(user)
    sections = [line[4:] for line in found.group(1).splitlines() if line.startswith("### ")] if found else []
    files = _FILES.findall(user.split("## Files", 1)[-1])
    cite = f"`{files[0]}:1`" if files else "(unverified)"
    body = "\n\n".join(f"### {name}\n\n- {step_id}: {name.lower()} seen at {cite}." for name in sections)
    return f"{body}\n- {step_id}: a claim without evidence."


def llm_settings(base: Settings, cache_dir: Path, llm_url: str | None, fallbacks: tuple[str, ...] = ()) -> Settings:
    """`base` with the repository cache in `cache_dir` and the fake model at `llm_url` (None: no LLM)."""
    if llm_url is None:
        llm = base.llm.model_copy(update={"api_key": None, "api_base": None})
    else:
        update = {
            "model": "openai/fake-model",
            "api_base": f"{llm_url}/v1",
            "api_key": SecretStr("test"),
            "timeout_seconds": 10.0,
            "fallback_models": fallbacks,
        }
        llm = base.llm.model_copy(update=update)
    paths = base.paths.model_copy(update={"repo_cache_dir": str(cache_dir)})
    return base.model_copy(update={"llm": llm, "paths": paths})


def options(prompts_root: Path = PROMPTS_ROOT, **overrides: Any) -> InvestigationOptions:
    return InvestigationOptions(prompts_root=prompts_root, **{**FAST, **overrides})


def investigations_worker(
    client: Client, pool: asyncpg.Pool, settings: Settings, opts: InvestigationOptions | None = None
) -> Worker:
    deps = WorkerDeps(settings, pool, investigation_options=opts or options())
    return build_worker(client, deps, "investigations", REGISTRATIONS["investigations"](deps))


async def keep_history(client: Client, name: str, workflow_id: str, run_id: str | None = None) -> None:
    """With RECORD set, store this run's history for test_investigation_replay (a deliberate act)."""
    import os

    if not os.environ.get(RECORD):
        return
    history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
    HISTORIES.mkdir(exist_ok=True)
    (HISTORIES / f"{name}.json").write_text(history.to_json())


def copy_prompts(target: Path) -> Path:
    shutil.copytree(PROMPTS_ROOT, target)
    return target


def bump_step_version(prompts_root: Path, set_name: str, step_id: str) -> None:
    """Raise one step's `version` in a copied prompt set, as an author changing its meaning would."""
    path = prompts_root / set_name / "set.toml"
    text = path.read_text()
    pattern = re.compile(rf'(id = "{re.escape(step_id)}"\n(?:.*\n)*?version = )(\d+)')
    bumped, count = pattern.subn(lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", text, count=1)
    assert count == 1, f"no version line for {step_id} in {path}"
    path.write_text(bumped)
