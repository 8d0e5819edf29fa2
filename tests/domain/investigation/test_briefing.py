"""What each step is sent: the files its topic selects and no others, facts with `path:line`,
earlier steps as short cited summaries, all within the step's budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.investigation.briefing import CHARS_PER_TOKEN, StepBrief, brief_step
from domain.investigation.deterministic import RepoFacts, collect_facts, detection_candidates
from domain.investigation.grounding import file_budget, select_files
from domain.investigation.promptsets import choose_prompt_set, load_prompt_set
from domain.investigation.stepgraph import StepSpec
from domain.investigation.tree import render_tree
from domain.repo_profile import is_manifest, profile_repository
from tests.support.synthetic_repos import NEST_SHOP, PHP_MUSIC, synthetic_repo

SHIPPED = Path(__file__).resolve().parents[3] / "prompts" / "investigate"
# The characters per run RepoSwarm sent in issue 19's comparison for two real repositories (a
# NestJS API of 36 source files and a PHP MVC app of 30 files); the synthetic pair is of that size.
REPOSWARM_CHARS_FOR_BOTH = 269_000

SHOP = {
    "README.md": "# Shop\n\nOrders and users.\n",
    "package.json": '{"dependencies": {"@nestjs/core": "^10.0.0", "openai": "^4.0.0"}}',
    "jest.config.js": "module.exports = { testRegex: '.spec.ts$' };\n",
    "Dockerfile": "FROM node:20\nCMD node dist/main.js\n",
    "src/main.ts": "const app = await NestFactory.create(AppModule);\napp.setGlobalPrefix('api');\n",
    "src/app.module.ts": "@Module({ imports: [UsersModule, OrdersModule] })\nexport class AppModule {}\n",
    "src/users/user.entity.ts": "@Entity()\nexport class User {\n  @Column() email: string;\n}\n",
    "src/users/users.controller.ts": "@Controller('users')\nexport class UsersController {\n  @Get()\n  all() {}\n}\n",
    "src/users/users.service.ts": "@Injectable()\nexport class UsersService {}\n",
    "src/auth/jwt.strategy.ts": "export class JwtStrategy { validate(payload) { return payload; } }\n",
    "src/auth/roles.guard.ts": "export class RolesGuard { canActivate() { return true; } }\n",
    "src/orders/order.entity.ts": "@Entity()\nexport class Order {\n  @Column() status: string;\n}\n",
    "src/orders/orders.controller.ts": (
        "@Controller('orders')\nexport class OrdersController {\n  @Post()\n  add() {}\n}\n"
    ),
    "src/flags/feature-flags.service.ts": "export const isEnabled = (name: string) => process.env[name] === 'on';\n",
    "src/ai/openai.client.ts": "import OpenAI from 'openai';\nexport const client = new OpenAI();\n",
    "src/ai/prompts/summarise.prompt.ts": "export const SUMMARISE = 'Summarise the order: {order}';\n",
    "test/orders.e2e-spec.ts": "describe('orders', () => { it('adds', () => {}); });\n",
}
# Written by hand from each step's file_hints in prompts/investigate/shared/set.toml.
SELECTED = {
    "core-entities": {"src/orders/order.entity.ts", "src/users/user.entity.ts"},
    "authentication": {"src/auth/jwt.strategy.ts", "src/auth/roles.guard.ts"},
    "authorisation": {
        "src/auth/roles.guard.ts",
        "src/app.module.ts",
        "src/orders/orders.controller.ts",
        "src/users/users.controller.ts",
        "src/users/users.service.ts",
        "src/flags/feature-flags.service.ts",
    },
    "personal-data": {
        "src/users/user.entity.ts",
        "src/users/users.controller.ts",
        "src/users/users.service.ts",
        "src/orders/order.entity.ts",
    },
    "feature-flags": {"src/flags/feature-flags.service.ts"},
    "ml-and-llm-services": {"src/ai/openai.client.ts", "src/ai/prompts/summarise.prompt.ts"},
    "llm-security": {"src/ai/openai.client.ts", "src/ai/prompts/summarise.prompt.ts"},
    "testing": {"jest.config.js", "test/orders.e2e-spec.ts"},
}


def run_step(
    step: StepSpec,
    files: dict[str, str],
    answers: dict[str, str],
    facts: RepoFacts | None,
    texts: dict[str, str] | None = None,
    entry_points: list[str] | None = None,
) -> StepBrief:
    """The step's brief as the activity builds it: budget, selection, then assembly."""
    paths = sorted(files)
    sizes = {p: len(files[p].encode()) for p in paths}
    manifests = {p: files[p] for p in paths if is_manifest(p)}
    structure = render_tree(paths)
    earlier = {n: answers.get(n) for n in step.needs}
    budget = file_budget(step, structure, manifests, earlier)
    chosen = select_files(step, paths, sizes, budget, entry_points=entry_points, facts=facts, texts=texts)
    return brief_step(step, "acme/shop", "c0ffee", structure, manifests, {p: files[p] for p in chosen}, earlier, facts)


@pytest.mark.parametrize("step_id", sorted(SELECTED))
def test_each_new_step_is_shown_the_files_its_hints_select_and_no_others(step_id: str) -> None:
    prompt_set = load_prompt_set("backend-nestjs", SHIPPED)
    brief = run_step(prompt_set.step(step_id), SHOP, {}, None)
    user = brief.messages[1]["content"]
    assert set(brief.shown) == SELECTED[step_id]
    for path in set(SHOP) - SELECTED[step_id]:
        assert f"### {path}" not in user, path


def test_facts_reach_only_the_steps_that_use_them_with_their_lines() -> None:
    prompt_set = load_prompt_set("backend-nestjs", SHIPPED)
    facts = collect_facts(sorted(SHOP), {}, {p: SHOP[p] for p in detection_candidates(SHOP)}, None)
    apis = run_step(prompt_set.step("apis"), SHOP, {}, facts).messages[1]["content"]
    assert "## HTTP routes (detected)" in apis
    assert "- GET /api/users (nestjs) — `src/users/users.controller.ts:3`" in apis
    assert "- POST /api/orders (nestjs) — `src/orders/orders.controller.ts:3`" in apis
    flags = run_step(prompt_set.step("feature-flags"), SHOP, {}, facts).messages[1]["content"]
    assert "## HTTP routes" not in flags and "## Dependencies (from the manifests)" in flags
    # Without detected facts nothing is claimed about routes either way.
    bare = run_step(prompt_set.step("apis"), SHOP, {}, None).messages[1]["content"]
    assert "## HTTP routes" not in bare


def test_a_fact_line_inside_a_function_body_is_kept() -> None:
    routes = "function register(app) {\n" + "".join(f"  const step{i} = prepare({i});\n" for i in range(60))
    routes += "  app.get('/health', health);\n}\nmodule.exports = register;\nconst express = require('express');\n"
    files = {"src/routes.js": routes}
    facts = collect_facts(["src/routes.js"], {}, files, None)
    assert [a.location for a in facts.apis] == ["src/routes.js:62"]
    step = StepSpec("apis", "APIs", 1, "List routes.", budget_tokens=3000, sections=("Endpoints",), uses=("routes",))
    brief = run_step(step, files, {}, facts)
    assert 62 in brief.shown["src/routes.js"] and 30 not in brief.shown["src/routes.js"]
    assert "62 |   app.get('/health', health);" in brief.messages[1]["content"]


def test_earlier_steps_arrive_as_short_cited_summaries() -> None:
    prompt_set = load_prompt_set("backend-nestjs", SHIPPED)
    overview = "### Purpose\n" + "".join(f"- Claim {i} about the shop `README.md:1`\n" for i in range(50))
    overview += "- A guess (unverified)\n### Technology\nNone found in the files shown.\n```\ncode `x.ts:1`\n```\n"
    brief = run_step(prompt_set.step("feature-flags"), SHOP, {"overview": overview}, None)
    user = brief.messages[1]["content"]
    section = user.split("### Step overview\n\n", 1)[1].split("\n\n## ", 1)[0]
    assert section.startswith("Purpose: • Claim 0 about the shop `README.md:1` • Claim 1")
    assert "Claim 3 " not in section and "A guess" not in section and "x.ts" not in section
    assert "Technology: none found." in section and len(section) <= 500


def test_files_that_do_not_fit_are_named_not_shown() -> None:
    big = {f"src/users/user{i}.entity.ts": "@Entity()\n" + "  @Column() field: string;\n" * 60 for i in range(8)}
    prompt_set = load_prompt_set("backend-nestjs", SHIPPED)
    brief = run_step(prompt_set.step("core-entities"), big, {}, None)
    assert brief.shown and brief.left_out
    assert set(brief.shown).isdisjoint(brief.left_out)
    assert "Also relevant but not shown, for lack of room: " in brief.messages[1]["content"]
    assert f"`{brief.left_out[0]}`" in brief.messages[1]["content"]


def stand_in_answer(step: StepSpec, shown: dict[str, tuple[int, ...]]) -> str:
    """Three cited claims per section, as a model following the system prompt would write."""
    files = sorted(shown.items())
    out: list[str] = []
    for i, section in enumerate(step.sections):
        out.append(f"### {section}")
        for j in range(3 if files else 0):
            path, lines = files[(i + j) % len(files)]
            out.append(f"- What the code shows about {section.lower()} here `{path}:{lines[j % len(lines)]}`")
        out.extend([] if files else ["None found in the files shown."])
    return "\n".join(out)


def briefs(name: str, wired: bool) -> list[tuple[StepSpec, StepBrief]]:
    """Every step of a synthetic repository in order, each answered by the stand-in; `wired`: with
    the facts, the detectors' texts and the profile's entry points, as the activities run them."""
    files = synthetic_repo(name)
    paths = sorted(files)
    manifests = {p: files[p] for p in paths if is_manifest(p)}
    profile = profile_repository(paths, manifests)
    prompt_set = load_prompt_set(choose_prompt_set(profile.repo_type, profile.subtype), SHIPPED)
    texts = {p: files[p] for p in detection_candidates(paths)}
    facts = collect_facts(paths, manifests, texts, profile)
    answers: dict[str, str] = {}
    out = []
    for step in prompt_set.steps:
        if wired:
            brief = run_step(step, files, answers, facts, texts, profile.entry_points)
        else:
            brief = run_step(step, files, answers, None)
        answers[step.id] = stand_in_answer(step, brief.shown)
        out.append((step, brief))
    return out


@pytest.mark.parametrize("wired", [False, True], ids=["without-facts", "as-the-activities-run"])
def test_the_two_synthetic_repositories_cost_less_than_reposwarm_and_every_prompt_keeps_its_budget(
    wired: bool,
) -> None:
    total = 0
    for name in (NEST_SHOP, PHP_MUSIC):
        steps = briefs(name, wired)
        for step, brief in steps:
            assert brief.chars <= step.budget_tokens * CHARS_PER_TOKEN, (name, step.id)
            total += brief.chars
        assert len(steps) >= 19
    assert total <= REPOSWARM_CHARS_FOR_BOTH


def test_each_step_of_the_synthetic_repositories_is_shown_its_own_topic_at_the_lines_that_matter() -> None:
    nest = {step.id: brief for step, brief in briefs(NEST_SHOP, wired=True)}
    entities = {f"src/{e}.entity.ts" for e in ("orders/order", "orders/order-item", "products/product", "users/user")}
    assert set(nest["core-entities"].shown) == entities
    assert set(nest["ml-and-llm-services"].shown) == {"src/recommendations/description-writer.ts"}  # by its lines
    assert set(nest["testing"].shown) == {"src/orders/orders.service.spec.ts", "test/orders.e2e-spec.ts"}
    assert {13, 18, 23, 28} <= set(nest["apis"].shown["src/orders/orders.controller.ts"])  # the route lines
    assert 12 in nest["events-and-messaging"].shown["src/events/order-events.publisher.ts"]  # the topic
    php = {step.id: brief for step, brief in briefs(PHP_MUSIC, wired=True)}
    albums = php["apis"].shown["application/controller/albums.php"]
    assert {11, 22, 34, 46, 60, 72, 82} <= set(albums)  # every convention route's method
    assert set(php["ml-and-llm-services"].shown) == set() and set(php["llm-security"].shown) == set()
    assert "application/model/usermodel.php" in php["personal-data"].shown
    assert not any(p.startswith("application/view/") for p in php["data-and-databases"].shown)
