"""InvestigateRepos through `pr-agent analyze-repos`: a sliding window of children, a report, an export."""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path

import asyncpg
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from cli.investigate_commands import add_parsers, analyze_repos
from contracts.investigation import investigate_all_workflow_id
from core.settings import Settings
from tests.fakes.llm import FakeLLM
from tests.support.api import with_temporal_address
from tests.workflows.investigation_support import (
    PYTHON_SERVICE,
    StepModel,
    git,
    investigations_worker,
    keep_history,
    llm_settings,
    make_repo,
    package_json,
)

WEB_APP = {
    "package.json": package_json({"react": "^18", "react-dom": "^18"}, private=True),
    "src/main.tsx": "import App from './App';\n",
    "src/App.tsx": "export default function App() { return null; }\n",
}


async def register(pool: asyncpg.Pool, full_name: str, clone_url: Path, archived: bool = False) -> None:
    owner, name = full_name.split("/")
    await pool.execute(
        "INSERT INTO repositories (full_name, owner, name, default_branch, clone_url, archived)"
        " VALUES ($1, $2, $3, 'main', $4, $5)",
        full_name,
        owner,
        name,
        str(clone_url),
        archived,
    )


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


async def test_analyze_repos_all_runs_a_window_of_children_reports_and_exports(
    temporal_env: WorkflowEnvironment,
    pool: asyncpg.Pool,
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client: Client = temporal_env.client
    org = f"org{uuid.uuid4().hex[:6]}"
    names = [f"{org}/orders", f"{org}/web", f"{org}/billing"]
    await register(pool, names[0], make_repo(tmp_path / "orders", PYTHON_SERVICE))
    await register(pool, names[1], make_repo(tmp_path / "web", WEB_APP))
    await register(pool, names[2], make_repo(tmp_path / "billing", PYTHON_SERVICE))
    await register(pool, f"{org}/old", tmp_path / "missing", archived=True)
    results = make_repo(tmp_path / "results", {"README.md": "Architecture documents\n"})
    argv = ["analyze-repos", "--repo", names[0], "--repo", names[1], "--repo", names[2], "--concurrency", "2"]
    argv += ["--export", str(results), "--export-commit", "--poll-seconds", "0.2"]
    model = StepModel()
    with FakeLLM(responder=model) as llm:
        settings = llm_settings(settings, tmp_path / "cache", llm.url)
        settings = with_temporal_address(settings, client.service_client.config.target_host)
        async with investigations_worker(client, pool, settings):
            code = await analyze_repos(parse(argv), settings)
    out, err = capsys.readouterr()

    assert code == 0, out + err
    for name in names:
        assert f"{name}" in out and (results / f"{name}.arch.md").read_text().startswith("---\nrepository: " + name)
    assert "3 repositories in" in out and "0 failed" in out
    assert "temporal workflow query --workflow-id" in err and "/3 done, 0 failed" in err
    assert "committed the export" in out and git(results, "log", "--oneline").count("\n") == 1
    # The window: two children started, the third only after one of them had finished.
    fanout_id = investigate_all_workflow_id(names)
    await keep_history(client, "investigate_repos_v1", fanout_id)
    history = await client.get_workflow_handle(fanout_id).fetch_history()
    kinds = [e.event_type for e in history.events]
    started = [i for i, k in enumerate(kinds) if k == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED]
    finished = [i for i, k in enumerate(kinds) if k == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED]
    assert len(started) == 3 and len(finished) == 3
    assert started[1] < finished[0] < started[2]


async def test_analyze_repos_all_skips_archived_and_no_wait_returns_at_once(
    temporal_env: WorkflowEnvironment, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    client: Client = temporal_env.client
    settings = llm_settings(settings, tmp_path / "cache", None)
    settings = with_temporal_address(settings, client.service_client.config.target_host)
    org = f"org{uuid.uuid4().hex[:6]}"
    await register(pool, f"{org}/web", make_repo(tmp_path / "web", WEB_APP))
    await register(pool, f"{org}/old", tmp_path / "missing", archived=True)
    assert await analyze_repos(parse(["analyze-repos", "--all", "--no-wait"]), settings) == 0
    async with investigations_worker(client, pool, settings):
        result = await client.get_workflow_handle("investigate-all").result()
    reports = {r["repository"]: r for r in result["reports"]}
    assert set(reports) == {f"{org}/web"}
    assert reports[f"{org}/web"]["status"] == "deterministic-only"
