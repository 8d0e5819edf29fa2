"""The investigation activities on real git repositories and PostgreSQL, outside a workflow."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.investigation import InvestigationActivities
from contracts.investigation import FinishInvestigationInput, InvestigationPlan, PrepareInvestigationInput, RunStepInput
from core.settings import Settings
from db.analysis import AnalysisRepository
from tests.fakes.llm import FakeLLM
from tests.workflows.investigation_support import (
    PYTHON_SERVICE,
    StepModel,
    copy_prompts,
    llm_settings,
    make_repo,
    options,
    package_json,
)

KINDS: dict[str, tuple[dict[str, str], str, str]] = {
    "nest": (
        {
            "package.json": package_json({"@nestjs/core": "^10", "@nestjs/common": "^10"}, private=True),
            "nest-cli.json": "{}",
            "src/main.ts": "const app = await NestFactory.create(AppModule);\n",
            "src/app.module.ts": "export class AppModule {}\n",
        },
        "backend",
        "backend-nestjs",
    ),
    "express": (
        {"package.json": package_json({"express": "^4"}, private=True), "server.js": "const app = express();\n"},
        "backend",
        "backend-nodejs",
    ),
    "python": (PYTHON_SERVICE, "backend", "backend-python"),
    "laravel": (
        {
            "composer.json": '{"require": {"laravel/framework": "^10"}}',
            "artisan": "<?php\n",
            "routes/api.php": "<?php\nRoute::get('/users', [UserController::class, 'index']);\n",
            "app/Http/Controllers/UserController.php": "<?php\nclass UserController {}\n",
        },
        "backend",
        "backend-php",
    ),
    "react": (
        {
            "package.json": package_json({"react": "^18", "react-dom": "^18"}, private=True),
            "index.html": "<div id=root></div>\n",
            "src/main.tsx": "import App from './App';\n",
            "src/App.tsx": "export default function App() { return null; }\n",
        },
        "frontend",
        "frontend-react",
    ),
    "mobile": (
        {
            "package.json": package_json({"react": "18.2.0", "react-native": "0.73.0"}, private=True),
            "index.js": "import App from './App';\n",
            "App.tsx": "export default function App() { return null; }\n",
            "android/build.gradle": "// android\n",
            "ios/Podfile": "# ios\n",
        },
        "mobile",
        "mobile",
    ),
    "library": (
        {
            "package.json": package_json({}, main="dist/index.js", types="dist/index.d.ts"),
            "src/index.ts": "export const debounce = () => {};\n",
        },
        "library",
        "library",
    ),
    "terraform": (
        {"main.tf": "# vpc\n", "variables.tf": "# vars\n", "modules/vpc/main.tf": "# module\n"},
        "infrastructure",
        "infrastructure",
    ),
    "monorepo": (
        {
            "package.json": package_json(private=True, workspaces=["apps/*", "packages/*"]),
            "apps/api/package.json": package_json({"@nestjs/core": "^10", "pg": "^8"}),
            "apps/api/src/main.ts": "// api\n",
            "apps/web/package.json": package_json({"next": "14", "react": "18"}),
            "apps/web/app/page.tsx": "// page\n",
            "packages/ui/package.json": package_json({"react": "18"}),
            "packages/ui/src/index.ts": "// ui\n",
        },
        "monorepo",
        "monorepo",
    ),
}


def activities(pool: asyncpg.Pool, settings: Settings, cache: Path, llm_url: str | None = None, **kw: object):
    return InvestigationActivities(llm_settings(settings, cache, llm_url, **kw), pool, options=options())  # type: ignore[arg-type]


async def prepare(acts: InvestigationActivities, repo: str, path: Path) -> InvestigationPlan:
    return await ActivityEnvironment().run(
        acts.prepare_investigation,
        PrepareInvestigationInput(repository=repo, branch="main", commit_sha=None, clone_url=str(path)),
    )


async def test_type_detection_on_a_repository_of_each_kind(
    pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    acts = activities(pool, settings, tmp_path / "cache")
    detected = {}
    for kind, (files, _, _) in KINDS.items():
        plan = await prepare(acts, f"acme/{kind}", make_repo(tmp_path / kind, files))
        detected[kind] = (plan.repo_type, plan.prompt_set)
        assert plan.type_source == "detected" and not plan.llm_enabled and not plan.reusable
        assert [s.id for s in plan.steps][:2] == ["overview", "modules"]
    assert detected == {kind: (repo_type, prompt_set) for kind, (_, repo_type, prompt_set) in KINDS.items()}


async def test_a_monorepo_document_lists_its_packages_and_the_row_records_them(
    pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    acts = activities(pool, settings, tmp_path / "cache")
    plan = await prepare(acts, "acme/mono", make_repo(tmp_path / "mono", KINDS["monorepo"][0]))
    finish = FinishInvestigationInput(
        repository=plan.repository,
        branch="main",
        commit_sha=plan.commit_sha,
        clone_url=plan.clone_url,
        prompt_set=plan.prompt_set,
        repo_type=plan.repo_type,
        subtype=plan.subtype,
    )
    await ActivityEnvironment().run(acts.finish_investigation, finish)
    row = await pool.fetchrow("SELECT repo_type, is_monorepo, packages, last_investigated_sha FROM repositories")
    assert (row["repo_type"], row["is_monorepo"], row["last_investigated_sha"]) == ("monorepo", True, plan.commit_sha)
    assert row["packages"] == ["apps/api", "apps/web", "packages/ui"]
    [stored] = await AnalysisRepository(pool).latest(["acme/mono"])
    assert "apps/api" in stored.document and not stored.complete  # no LLM: every step skipped


async def test_type_overrides_from_the_repository_table_and_the_repository_file(
    pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    acts = activities(pool, settings, tmp_path / "cache")
    express = KINDS["express"][0]
    with_file = make_repo(tmp_path / "a", {**express, ".pr-agent/investigation.toml": 'type = "library"\n'})
    plan = await prepare(acts, "acme/a", with_file)
    assert (plan.repo_type, plan.prompt_set, plan.type_source) == ("library", "library", "repository-file")
    await pool.execute(
        "INSERT INTO repositories (full_name, owner, name, repo_type_override) VALUES ('acme/a', 'acme', 'a', $1)",
        "backend/nestjs",
    )
    plan = await prepare(acts, "acme/a", with_file)  # the table wins over the file
    assert (plan.repo_type, plan.subtype, plan.prompt_set) == ("backend", "nestjs", "backend-nestjs")
    assert plan.type_source == "repository-table"


async def run_step(acts: InvestigationActivities, plan: InvestigationPlan, step_id: str = "overview"):
    fingerprint = next(s.fingerprint for s in plan.steps if s.id == step_id)
    request = RunStepInput(
        repository=plan.repository,
        commit_sha=plan.commit_sha,
        clone_url=plan.clone_url,
        prompt_set=plan.prompt_set,
        step_id=step_id,
        fingerprint=fingerprint,
    )
    return await ActivityEnvironment().run(acts.run_investigation_step, request)


async def test_provider_errors_are_classified_and_a_fallback_model_answers(
    pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "orders", PYTHON_SERVICE)
    with FakeLLM(responder=StepModel()) as llm:
        acts = activities(pool, settings, tmp_path / "cache", llm.url, fallbacks=("openai/backup-model",))
        plan = await prepare(acts, "acme/orders", repo)
        llm.faults.push(status=429, times=2, headers={"Retry-After": "7"})
        with pytest.raises(ApplicationError) as limited:
            await run_step(acts, plan)
        llm.faults.push(status=400)
        with pytest.raises(ApplicationError) as rejected:
            await run_step(acts, plan)
        llm.faults.push(status=503)
        answered = await run_step(acts, plan)
        again = await run_step(acts, plan)
        calls = llm.calls_by_model()

    assert not limited.value.non_retryable and limited.value.next_retry_delay == timedelta(seconds=7)
    assert limited.value.type == "LlmUnavailable"
    assert rejected.value.non_retryable and rejected.value.type == "LlmRequestRejected"
    assert (answered.status, answered.model) == ("answered", "openai/backup-model")
    assert "Purpose" not in answered.missing_sections and answered.tokens_in > 0
    assert (again.status, again.model) == ("reused", "openai/backup-model")  # the checkpoint, no call
    assert calls == {"backup-model": 1}


async def test_a_broken_prompt_set_fails_at_once_instead_of_retrying(
    pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    prompts = copy_prompts(tmp_path / "prompts")
    (prompts / "shared" / "set.toml").write_text("[[steps]]\nid = 'overview'\n")
    acts = InvestigationActivities(llm_settings(settings, tmp_path / "cache", None), pool, options=options(prompts))
    with pytest.raises(ApplicationError) as broken:
        await prepare(acts, "acme/orders", make_repo(tmp_path / "orders", PYTHON_SERVICE))
    assert broken.value.non_retryable and broken.value.type == "PromptSetError"
