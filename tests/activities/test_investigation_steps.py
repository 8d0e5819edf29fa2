"""What each step of an investigation is asked, on the made-up repositories: the activities read
the repository once, find its facts, and give every step the files its topic selects (by hints,
by facts, by the lines the detectors read) and nothing else, with routes and topics at their lines."""

from __future__ import annotations

import re
from pathlib import Path

import asyncpg

from core.settings import Settings
from domain.investigation.briefing import CHARS_PER_TOKEN
from domain.investigation.promptsets import load_prompt_set
from tests.activities.test_investigation_activities import activities, prepare, run_step
from tests.fakes.llm import FakeLLM
from tests.support.synthetic_repos import NEST_SHOP, PHP_MUSIC, synthetic_git_repo
from tests.workflows.investigation_support import StepModel, options

_SHOWN = re.compile(r"^### (\S+)(?: \(excerpt: \d+ of \d+ lines\))?\n\n```", re.MULTILINE)


async def ask_every_step(pool: asyncpg.Pool, settings: Settings, tmp_path: Path, name: str) -> dict[str, str]:
    """{step id: the user message it was sent}, running every step of the plan once."""
    repo = synthetic_git_repo(name, tmp_path / name)
    model = StepModel()
    with FakeLLM(responder=model) as llm:
        acts = activities(pool, settings, tmp_path / "cache", llm.url)
        plan = await prepare(acts, f"acme/{name}", repo)
        for step in plan.steps:
            await run_step(acts, plan, step.id)
        prompts = [call.messages[1]["content"] for call in llm.chat_calls]
    assert model.order == [s.id for s in plan.steps]
    return dict(zip(model.order, prompts, strict=True))


def shown(prompt: str) -> set[str]:
    return set(_SHOWN.findall(prompt.split("\n## Files\n", 1)[1]))


async def test_each_step_of_the_nest_shop_sees_its_own_files_and_facts(
    pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    prompts = await ask_every_step(pool, settings, tmp_path, NEST_SHOP)

    entities = {f"src/{e}.entity.ts" for e in ("orders/order", "orders/order-item", "products/product", "users/user")}
    assert shown(prompts["core-entities"]) == entities
    assert shown(prompts["feature-flags"]) == {
        "src/flags/feature-flags.service.ts",
        ".env.example",
        "src/config/configuration.ts",
    }
    assert shown(prompts["testing"]) == {"src/orders/orders.service.spec.ts", "test/orders.e2e-spec.ts"}
    # No file name says "LLM": the OpenAI call is found by the lines the detectors already read.
    assert shown(prompts["ml-and-llm-services"]) == {"src/recommendations/description-writer.ts"}
    assert shown(prompts["llm-security"]) == {"src/recommendations/description-writer.ts"}
    assert "chat.completions.create" in prompts["llm-security"]
    # Facts reach the steps that use them, with their lines, and the files they name come along.
    assert "- POST /api/orders (nestjs) — `src/orders/orders.controller.ts:13`" in prompts["apis"]
    assert "- PUT /api/orders/:id/status (nestjs) — `src/orders/orders.controller.ts:28`" in prompts["apis"]
    assert "src/orders/orders.controller.ts" in shown(prompts["apis"])
    topic = "- shop.orders: publish (pubsub topic) — `src/events/order-events.publisher.ts:12`"
    assert topic in prompts["events-and-messaging"]
    assert "src/events/order-events.publisher.ts" in shown(prompts["events-and-messaging"])
    assert "`src/orders/shipping.client.ts:15`" in prompts["service-dependencies"]
    assert "## HTTP routes" not in prompts["feature-flags"]
    # Every prompt keeps its step's budget.
    prompt_set = load_prompt_set("backend-nestjs", options().prompts_root)
    for step in prompt_set.steps:
        assert len(prompts[step.id]) <= step.budget_tokens * CHARS_PER_TOKEN, step.id


async def test_the_php_music_routes_reach_the_api_steps_with_their_lines(
    pool: asyncpg.Pool, settings: Settings, tmp_path: Path
) -> None:
    prompts = await ask_every_step(pool, settings, tmp_path, PHP_MUSIC)

    apis = prompts["apis"]
    assert "- ANY /albums/add (php-convention) — `application/controller/albums.php:22`" in apis
    assert "- ANY / (php-convention) — `application/controller/home.php:11`" in apis
    assert "22 |     public function add()" in apis  # the line a route points at is shown
    assert {"application/controller/albums.php", "application/controller/account.php"} <= shown(apis)
    assert shown(prompts["personal-data"]) >= {"application/model/usermodel.php", "sql/01-schema.sql"}
    assert "application/controller/account.php" in shown(prompts["authentication"])
    assert not shown(prompts["ml-and-llm-services"])  # nothing about models here, so nothing shown
    assert "No files were selected for this step." in prompts["ml-and-llm-services"]
