"""InvestigateRepo on a real Temporal and PostgreSQL, with a local OpenAI-compatible model."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import asyncpg
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle

from contracts.common import INVESTIGATE_REPO, NewCommit
from contracts.investigation import (
    SKIP_NO_LLM,
    InvestigateRepoInput,
    InvestigateRepoResult,
    InvestigationProgress,
    investigate_workflow_id,
)
from core.settings import Settings
from core.temporal.client import task_queue
from db.analysis import AnalysisRepository
from db.investigations import InvestigationStore
from domain.investigation.document import parse_front_matter
from domain.investigation.promptsets import changed_steps, load_prompt_set
from tests.fakes.llm import FakeLLM
from tests.support.synthetic_repos import NEST_SHOP, synthetic_git_repo
from tests.workflows.investigation_support import (
    PYTHON_SERVICE,
    StepModel,
    bump_step_version,
    commit_files,
    copy_prompts,
    investigations_worker,
    keep_history,
    llm_settings,
    make_repo,
    options,
)


async def start(client: Client, settings: Settings, repo: str, clone_url: Path) -> WorkflowHandle:
    return await client.start_workflow(
        INVESTIGATE_REPO,
        InvestigateRepoInput(
            repository=repo, branch="main", commit_sha=None, force=False, trigger="admin", clone_url=str(clone_url)
        ),
        id=f"{investigate_workflow_id(repo, 'main')}:{uuid.uuid4().hex[:6]}",
        task_queue=task_queue(settings.temporal, "investigations"),
        result_type=InvestigateRepoResult,
    )


async def test_full_investigation_grounded_checkpointed_and_free_on_the_same_commit(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "orders", PYTHON_SERVICE)
    model = StepModel()
    with FakeLLM(responder=model) as llm:
        settings = llm_settings(settings, tmp_path / "cache", llm.url)
        async with investigations_worker(temporal_client, pool, settings, options(steps_per_run=5)):
            handle = await start(temporal_client, settings, "acme/orders", repo)
            result = await handle.result()
            again = await (await start(temporal_client, settings, "acme/orders", repo)).result()
        calls_total = len(llm.chat_calls)
        modules_prompt = next(c.messages[1]["content"] for c in llm.chat_calls if "(modules@v" in str(c.messages))

    steps = load_prompt_set("backend-python", options().prompts_root).steps
    assert (result.status, result.prompt_set, result.repo_type) == ("investigated", "backend-python", "backend")
    assert model.asked == {s.id: 1 for s in steps}  # every step asked exactly once
    assert result.llm_calls == len(steps) and result.tokens_in > 0 and result.tokens_out > 0
    # Grounding: a step that needs "overview" is shown its answer, and files come with line numbers.
    assert "### Step overview" in modules_prompt and "overview: purpose seen at" in modules_prompt
    assert "### app/main.py" in modules_prompt and "1 | from fastapi import FastAPI" in modules_prompt
    # Continue-as-new every 5 steps: the first run ended by continuing, the last one returned.
    await keep_history(temporal_client, "investigate_repo_continued_v1", handle.id, handle.result_run_id)
    await keep_history(temporal_client, "investigate_repo_last_run_v1", handle.id)
    first = await temporal_client.get_workflow_handle(handle.id, run_id=handle.result_run_id).fetch_history()
    assert first.events[-1].event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
    assert len(first.events) < 60
    # The document, its front matter and structured form are in repo_analysis_cache.
    [stored] = await AnalysisRepository(pool).latest(["acme/orders"])
    meta = parse_front_matter(stored.document)
    assert meta["commit"] == result.commit_sha and meta["model"] == "openai/fake-model"
    assert meta["prompt_versions"] == {s.id: f"{s.id}@v{s.version}" for s in steps} and meta["skipped_steps"] == []
    assert "## Repository type and evidence" in stored.document and "GET /orders/{order_id}" in stored.document
    assert stored.structured["type"] == "backend" and stored.complete
    # Claims without evidence were marked before they were stored, and do not travel on: a later
    # step is shown only the cited claims of the steps it needs.
    assert "- overview: a claim without evidence. (unverified)" in stored.document
    assert "a claim without evidence" not in modules_prompt
    # The same commit, prompt set and model again: no LLM call, not even a step activity.
    assert (again.status, again.llm_calls, again.steps_answered) == ("reused", 0, 0)
    assert calls_total == len(steps)


async def test_changed_prompt_version_asks_only_that_step_and_its_dependents(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "orders", PYTHON_SERVICE)
    prompts = copy_prompts(tmp_path / "prompts")
    model = StepModel()
    with FakeLLM(responder=model) as llm:
        settings = llm_settings(settings, tmp_path / "cache", llm.url)
        async with investigations_worker(temporal_client, pool, settings, options(prompts)):
            first = await (await start(temporal_client, settings, "acme/orders", repo)).result()
            [before] = await AnalysisRepository(pool).latest(["acme/orders"])
            bump_step_version(prompts, "shared", "apis")
            model.asked.clear()
            second = await (await start(temporal_client, settings, "acme/orders", repo)).result()

    expected = changed_steps(
        parse_front_matter(before.document)["prompt_versions"], load_prompt_set(first.prompt_set, prompts)
    )
    assert {"apis", "authentication", "authorisation", "security"} <= expected
    assert set(model.asked) == expected and all(n == 1 for n in model.asked.values())
    assert len(expected) < first.steps_total
    assert (second.status, second.llm_calls, second.steps_reused) == (
        "investigated",
        len(expected),
        first.steps_total - len(expected),
    )


async def test_an_unchanged_repository_costs_nothing_and_an_edited_prompt_reasks_that_step_and_its_dependants(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    repo = synthetic_git_repo(NEST_SHOP, tmp_path / "shop")
    prompts = copy_prompts(tmp_path / "prompts")
    model = StepModel()
    with FakeLLM(responder=model) as llm:
        settings = llm_settings(settings, tmp_path / "cache", llm.url)
        async with investigations_worker(temporal_client, pool, settings, options(prompts)):
            first = await (await start(temporal_client, settings, "acme/shop", repo)).result()
            unchanged = await (await start(temporal_client, settings, "acme/shop", repo)).result()
            calls_before_the_edit = len(llm.chat_calls)
            # An author rewords a prompt without bumping its version: its fingerprint still moves.
            with (prompts / "shared" / "core-entities.md").open("a") as prompt:
                prompt.write("\nName the table or collection each entity is stored in.\n")
            model.asked.clear()
            edited = await (await start(temporal_client, settings, "acme/shop", repo)).result()

    assert (first.status, first.llm_calls) == ("investigated", first.steps_total) and first.steps_total >= 19
    assert (unchanged.status, unchanged.llm_calls) == ("reused", 0) and calls_before_the_edit == first.steps_total
    assert set(model.asked) == {"core-entities", "data-and-databases", "personal-data"}
    assert all(n == 1 for n in model.asked.values())
    assert (edited.status, edited.llm_calls, edited.steps_reused) == ("investigated", 3, first.steps_total - 3)


async def test_progress_query_and_ui_details_answer_during_a_run_and_new_commits_coalesce(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "orders", PYTHON_SERVICE)
    model = StepModel(block_step="dependencies")
    with FakeLLM(responder=model) as llm:
        settings = llm_settings(settings, tmp_path / "cache", llm.url)
        async with investigations_worker(temporal_client, pool, settings):
            handle = await start(temporal_client, settings, "acme/orders", repo)
            assert await asyncio.to_thread(model.entered.wait, 30)
            progress = await handle.query("progress", result_type=InvestigationProgress)
            metadata = await handle.query("__temporal_workflow_metadata")
            newer = commit_files(repo, {"app/extra.py": "X = 1\n"})
            await handle.signal("new_commit", NewCommit(commit_sha=newer))
            await handle.signal("new_commit", NewCommit(commit_sha=newer))
            model.release.set()
            result = await handle.result()

    assert (progress.phase, progress.current_step, progress.steps_done) == ("running", "dependencies", 2)
    total = len(load_prompt_set("backend-python", options().prompts_root).steps)
    assert progress.steps_total == total and progress.llm_calls == 2 and progress.tokens_in > 0
    assert f"2/{total} steps, step dependencies" in metadata.current_details
    # The burst of signals for one newer commit became one more investigation, of that commit.
    assert result.commit_sha == newer and result.status == "investigated"
    assert result.steps_reused == 0 and model.asked["overview"] == 2


async def test_without_an_llm_the_deterministic_sections_are_written_and_steps_skipped(
    temporal_client: Client, pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "orders", PYTHON_SERVICE)
    settings = llm_settings(settings, tmp_path / "cache", None)
    async with investigations_worker(temporal_client, pool, settings):
        result = await (await start(temporal_client, settings, "acme/orders", repo)).result()

    assert (result.status, result.llm_calls, result.steps_skipped) == ("deterministic-only", 0, result.steps_total)
    [stored] = await AnalysisRepository(pool).latest(["acme/orders"])
    assert "## Dependencies" in stored.document and "fastapi" in stored.document
    assert stored.document.count(f"Skipped: {SKIP_NO_LLM}") == result.steps_total
    assert parse_front_matter(stored.document)["model"] is None
    assert set(stored.structured["skipped"]) == set(
        meta_steps := parse_front_matter(stored.document)["prompt_versions"]
    )
    assert len(meta_steps) == result.steps_total
    assert await InvestigationStore(pool).count_checkpoints("acme/orders") == 0
