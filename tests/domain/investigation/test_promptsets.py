"""Prompt sets: the shipped files validate, and broken sets fail with the step named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from domain.investigation.briefing import BRIEFING_VERSION
from domain.investigation.promptsets import (
    DEFAULT_SET,
    PromptSetError,
    changed_steps,
    choose_prompt_set,
    list_prompt_sets,
    load_prompt_set,
    step_key,
)
from domain.investigation.stepgraph import USES, propagate_changes, step_fingerprints

SHIPPED = Path(__file__).resolve().parents[3] / "prompts" / "investigate"
SHARED_STEPS = {
    "overview",
    "modules",
    "dependencies",
    "core-entities",
    "data-and-databases",
    "apis",
    "events-and-messaging",
    "service-dependencies",
    "authentication",
    "authorisation",
    "personal-data",
    "security",
    "feature-flags",
    "ml-and-llm-services",
    "llm-security",
    "testing",
    "deployment",
    "monitoring",
}
# RepoSwarm's 19 back-end topics (royosherove/repo-swarm at 1fc1043: prompts/base_prompts.json
# and prompts/backend/prompts.json) and the step of ours that covers each.
REPOSWARM_BACKEND_TOPICS = {
    "hl_overview": "overview",
    "module_deep_dive": "modules",
    "dependencies": "dependencies",
    "core_entities": "core-entities",
    "DBs": "data-and-databases",
    "data_layer": "data-and-databases",
    "APIs": "apis",
    "events": "events-and-messaging",
    "events_and_messaging": "events-and-messaging",
    "service_dependencies": "service-dependencies",
    "deployment": "deployment",
    "authentication": "authentication",
    "authorization": "authorisation",
    "data_mapping": "personal-data",
    "security_check": "security",
    "monitoring": "monitoring",
    "ml_services": "ml-and-llm-services",
    "feature_flags": "feature-flags",
    "prompt_security_check": "llm-security",
}
BACKEND_SETS = ["backend-nestjs", "backend-nodejs", "backend-php", "backend-python"]
# Each repository type's own steps beyond the shared ones.
OWN_STEPS = {
    "frontend-react": {"react-components", "react-state-and-routing", "frontend-build-and-performance"},
    "mobile": {"mobile-app-structure", "mobile-network-and-offline", "mobile-device-and-permissions"},
    "library": {"library-public-api", "library-internals"},
    "infrastructure": {"infrastructure-resources", "infrastructure-network-and-access"},
}
TYPE_SETS = {
    "backend-nestjs": "nestjs-modules-and-providers",
    "backend-nodejs": "node-app-structure",
    "backend-python": "python-app-structure",
    "backend-php": "php-routing-and-controllers",
    "frontend-react": "react-state-and-routing",
    "mobile": "mobile-app-structure",
    "library": "library-public-api",
    "infrastructure": "infrastructure-resources",
    "monorepo": "monorepo-packages",
}


def write_set(root: Path, name: str, body: str, **files: str) -> None:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "set.toml").write_text(body)
    for file_name, text in files.items():
        (folder / file_name.replace("__", ".")).write_text(text)


def step(step_id: str, needs: list[str] | None = None, version: int = 1, prompt: str = "Do it.") -> str:
    return (
        f'[[steps]]\nid = "{step_id}"\ntitle = "{step_id.title()}"\nversion = {version}\n'
        f'needs = {needs or []!r}\nsections = ["Findings"]\nprompt = {prompt!r}\n'.replace("'", '"')
    )


@pytest.mark.parametrize("name", list_prompt_sets(SHIPPED))
def test_every_shipped_set_loads_and_orders_needs_first(name: str) -> None:
    prompt_set = load_prompt_set(name, SHIPPED)
    seen: set[str] = set()
    for spec in prompt_set.steps:
        assert set(spec.needs) <= seen, f"{spec.id} comes before one of {spec.needs}"
        assert spec.prompt.strip() and spec.sections and spec.budget_tokens > 0
        seen.add(spec.id)
    assert seen >= SHARED_STEPS


def test_shipped_sets_cover_every_repository_type() -> None:
    names = set(list_prompt_sets(SHIPPED))
    assert {*TYPE_SETS, DEFAULT_SET, "shared"} <= names
    for set_name, own_step in TYPE_SETS.items():
        prompt_set = load_prompt_set(set_name, SHIPPED)
        assert own_step in {s.id for s in prompt_set.steps}
        assert not prompt_set.abstract
    assert load_prompt_set("shared", SHIPPED).abstract


@pytest.mark.parametrize("name", BACKEND_SETS)
def test_backend_sets_cover_every_reposwarm_backend_topic_with_at_least_as_many_steps(name: str) -> None:
    steps = {s.id for s in load_prompt_set(name, SHIPPED).steps}
    assert len(REPOSWARM_BACKEND_TOPICS) == 19
    assert set(REPOSWARM_BACKEND_TOPICS.values()) <= steps
    assert len(steps) >= 19


@pytest.mark.parametrize(("name", "own"), OWN_STEPS.items())
def test_each_repository_type_gains_the_steps_that_fit_it(name: str, own: set[str]) -> None:
    steps = load_prompt_set(name, SHIPPED).steps
    assert {s.id for s in steps if s.origin == name} == own
    assert {s.id for s in steps} >= SHARED_STEPS


@pytest.mark.parametrize("name", list_prompt_sets(SHIPPED))
def test_shipped_steps_declare_known_material_and_hints(name: str) -> None:
    for spec in load_prompt_set(name, SHIPPED).steps:
        assert set(spec.uses) <= USES, spec.id
        assert spec.file_hints or spec.uses, f"{spec.id} would see no file and no fact"
        # A step sees its needs as summaries; the budget must leave room beyond the fixed parts.
        assert 1000 <= spec.budget_tokens <= 4000, spec.id


def test_authorisation_is_its_own_step_after_authentication() -> None:
    prompt_set = load_prompt_set("backend-nestjs", SHIPPED)
    order = [s.id for s in prompt_set.steps]
    assert order.index("authentication") < order.index("authorisation")
    assert "authentication" in prompt_set.step("authorisation").needs
    assert "ml-and-llm-services" in prompt_set.step("llm-security").needs
    assert "injection" in prompt_set.step("llm-security").prompt


def test_shared_steps_come_from_their_prompt_files() -> None:
    overview = load_prompt_set("backend-php", SHIPPED).step("overview")
    assert overview.prompt == (SHIPPED / "shared" / "overview.md").read_text().strip()
    assert overview.origin == "shared"


@pytest.mark.parametrize(
    ("repo_type", "subtype", "language", "expected"),
    [
        ("backend", "nestjs", "typescript", "backend-nestjs"),
        ("backend", "nodejs", "javascript", "backend-nodejs"),
        ("backend", "express", None, "backend-nodejs"),
        ("backend", "python", "python", "backend-python"),
        ("backend", "FastAPI", None, "backend-python"),
        ("backend", "php", "php", "backend-php"),
        ("backend", "laravel", None, "backend-php"),
        ("backend", "unknown", "python", "backend-python"),
        ("backend", "go", "go", DEFAULT_SET),
        ("frontend", "react", "typescript", "frontend-react"),
        ("frontend", "next", "typescript", "frontend-react"),
        ("frontend", "vue", "typescript", DEFAULT_SET),
        ("mobile", "react-native", None, "mobile"),
        ("library", "python", None, "library"),
        ("infrastructure", "terraform", None, "infrastructure"),
        ("monorepo", "pnpm", None, "monorepo"),
        ("", None, None, DEFAULT_SET),
        ("spaceship", None, None, DEFAULT_SET),
    ],
)
def test_choose_prompt_set(repo_type: str, subtype: str | None, language: str | None, expected: str) -> None:
    assert choose_prompt_set(repo_type, subtype, language) == expected
    assert expected in list_prompt_sets(SHIPPED)


def test_unknown_need_names_the_step(tmp_path: Path) -> None:
    write_set(tmp_path, "broken", step("a") + step("b", ["a", "ghost"]))
    with pytest.raises(PromptSetError, match=r"step 'b' needs unknown step 'ghost'"):
        load_prompt_set("broken", tmp_path)


def test_cycle_names_a_step_and_the_loop(tmp_path: Path) -> None:
    write_set(tmp_path, "loop", step("a") + step("b", ["a", "d"]) + step("c", ["b"]) + step("d", ["c"]))
    with pytest.raises(PromptSetError, match=r"step 'b' is in a needs cycle: b -> d -> c -> b"):
        load_prompt_set("loop", tmp_path)


def test_self_need_is_a_cycle(tmp_path: Path) -> None:
    write_set(tmp_path, "selfish", step("a", ["a"]))
    with pytest.raises(PromptSetError, match="'a' is in a needs cycle: a -> a"):
        load_prompt_set("selfish", tmp_path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (step("a") + step("a"), "step 'a' is defined twice"),
        ('[[steps]]\nid = "a"\ntitle = "A"\nversion = 0\nsections = ["x"]\nprompt = "p"\n', "version must be"),
        ('[[steps]]\nid = "a"\ntitle = "A"\nversion = 1\nsections = ["x"]\n', "exactly one of prompt"),
        ('[[steps]]\nid = "a"\ntitle = "A"\nversion = 1\nsections = []\nprompt = "p"\n', "at least one heading"),
        ('[[steps]]\nid = "a"\ntitle = "A"\nversion = 1\nsections = ["x"]\nprompt_file = "gone.md"\n', "does not"),
        (step("a") + "nedds = []\n", "unknown keys \\['nedds'\\]"),
        ('include = ["nowhere"]\n', "no set.toml"),
        ('exclude = ["a"]\n', "exclude names unknown step 'a'"),
        ("[[steps]\n", "not valid TOML"),
    ],
)
def test_malformed_sets_are_rejected(tmp_path: Path, body: str, message: str) -> None:
    write_set(tmp_path, "bad", body)
    with pytest.raises(PromptSetError, match=message):
        load_prompt_set("bad", tmp_path)


def test_bad_set_names_are_refused_before_touching_the_disk(tmp_path: Path) -> None:
    with pytest.raises(PromptSetError, match="lowercase"):
        load_prompt_set("../etc", tmp_path)


def test_include_cycle_is_reported(tmp_path: Path) -> None:
    write_set(tmp_path, "one", 'include = ["two"]\n')
    write_set(tmp_path, "two", 'include = ["one"]\n')
    with pytest.raises(PromptSetError, match="include cycle one -> two -> one"):
        load_prompt_set("one", tmp_path)


def test_include_override_and_exclude(tmp_path: Path) -> None:
    write_set(tmp_path, "base", step("a") + step("b", ["a"]) + step("c", ["a"]))
    write_set(
        tmp_path,
        "child",
        'include = ["base"]\nexclude = ["c"]\n' + step("b", ["a"], version=2) + step("z", ["b"]),
    )
    child = load_prompt_set("child", tmp_path)
    assert [s.id for s in child.steps] == ["a", "b", "z"]
    assert child.step("b").version == 2 and child.step("b").origin == "child"
    assert child.step("a").origin == "base"


def test_prompt_file_is_read_beside_the_set(tmp_path: Path) -> None:
    body = '[[steps]]\nid = "a"\ntitle = "A"\nversion = 1\nsections = ["x"]\nprompt_file = "a.md"\n'
    write_set(tmp_path, "files", body, a__md="  Look at the code.\n")
    assert load_prompt_set("files", tmp_path).step("a").prompt == "Look at the code."


def test_steps_follow_needs_not_declaration(tmp_path: Path) -> None:
    write_set(tmp_path, "order", step("late", ["early"]) + step("early") + step("other"))
    assert [s.id for s in load_prompt_set("order", tmp_path).steps] == ["early", "late", "other"]


def test_version_is_stable_and_tracks_prompt_text(tmp_path: Path) -> None:
    write_set(tmp_path, "v", step("a") + step("b", ["a"]))
    first = load_prompt_set("v", tmp_path).version
    assert load_prompt_set("v", tmp_path).version == first
    write_set(tmp_path, "v", step("a") + step("b", ["a"], prompt="Do it better."))
    assert load_prompt_set("v", tmp_path).version != first


def test_step_key() -> None:
    assert step_key(load_prompt_set("default", SHIPPED).step("core-entities")) == "core-entities@v1"


def test_changed_steps_follows_needs_transitively(tmp_path: Path) -> None:
    body = step("a") + step("b", ["a"]) + step("c", ["b"]) + step("d") + step("e", ["d", "c"])
    write_set(tmp_path, "chain", body)
    current = load_prompt_set("chain", tmp_path)
    old = current.step_keys()
    assert changed_steps(old, current) == set()

    write_set(
        tmp_path, "chain", body.replace('id = "b"\ntitle = "B"\nversion = 1', 'id = "b"\ntitle = "B"\nversion = 2')
    )
    bumped = load_prompt_set("chain", tmp_path)
    assert bumped.step("b").version == 2
    assert changed_steps(old, bumped) == {"b", "c", "e"}


def test_changed_steps_counts_new_steps_and_ignores_removed_ones(tmp_path: Path) -> None:
    write_set(tmp_path, "grow", step("a") + step("b", ["a"]))
    old = load_prompt_set("grow", tmp_path).step_keys() | {"gone": "gone@v4"}
    write_set(tmp_path, "grow", step("a") + step("b", ["a"]) + step("new") + step("after", ["new"]))
    assert changed_steps(old, load_prompt_set("grow", tmp_path)) == {"new", "after"}


def test_an_edited_prompt_changes_the_fingerprints_of_that_step_and_its_dependants_only(tmp_path: Path) -> None:
    body = step("a") + step("b", ["a"]) + step("c", ["b"]) + step("d") + step("e", ["d"])
    write_set(tmp_path, "fp", body)
    before = load_prompt_set("fp", tmp_path)
    assert before.fingerprints() == load_prompt_set("fp", tmp_path).fingerprints()  # stable
    write_set(tmp_path, "fp", body.replace(step("b", ["a"]), step("b", ["a"], prompt="Do it well.")))
    after = load_prompt_set("fp", tmp_path)
    assert after.step("b").version == 1 and after.step("b").prompt == "Do it well."
    moved = {k for k, v in before.fingerprints().items() if after.fingerprints()[k] != v}
    assert moved == {"b", "c"} == propagate_changes(after.steps, {"b"})


def test_a_changed_shipped_prompt_file_re_asks_its_step_and_dependants_in_every_set(tmp_path: Path) -> None:
    root = tmp_path / "prompts"
    shutil.copytree(SHIPPED, root)
    before = {name: load_prompt_set(name, root).fingerprints() for name in BACKEND_SETS}
    prompt_file = root / "shared" / "core-entities.md"
    prompt_file.write_text(prompt_file.read_text() + "\nAlso name the table of each entity.\n")
    for name in BACKEND_SETS:
        after = load_prompt_set(name, root)
        moved = {k for k, v in before[name].items() if after.fingerprints()[k] != v}
        assert moved == propagate_changes(after.steps, {"core-entities"}), name
        assert {"core-entities", "data-and-databases", "personal-data"} <= moved
        assert "apis" not in moved and "overview" not in moved


def test_fingerprints_follow_the_prompt_assembly_version() -> None:
    steps = load_prompt_set("default", SHIPPED).steps
    assert step_fingerprints(steps, BRIEFING_VERSION) == load_prompt_set("default", SHIPPED).fingerprints()
    assert step_fingerprints(steps, BRIEFING_VERSION) != step_fingerprints(steps, BRIEFING_VERSION + "-next")


def test_unknown_material_in_uses_is_rejected(tmp_path: Path) -> None:
    write_set(tmp_path, "u", step("a").replace("sections =", 'uses = ["routes", "secrets"]\nsections ='))
    with pytest.raises(PromptSetError, match=r"step 'a'.*uses names unknown material \['secrets'\]"):
        load_prompt_set("u", tmp_path)
