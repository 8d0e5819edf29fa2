"""Prompt sets as versioned files: `prompts/investigate/<set>/set.toml`, one per repository type.

A set file holds top-level `description`, `include` (sets whose steps come first), `exclude`
(included steps to drop), `abstract` (true for fragments such as "shared" that no repository is
given directly) and `[[steps]]` tables. A step redefined under the same id replaces the included
one in place. `prompt_file` is read relative to the file that declares the step.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.investigation.briefing import BRIEFING_VERSION
from domain.investigation.stepgraph import (
    USES,
    PromptSetError,
    StepSpec,
    order_steps,
    stale_steps,
    step_fingerprints,
    step_key,
)

__all__ = [
    "DEFAULT_SET",
    "PromptSet",
    "PromptSetError",
    "StepSpec",
    "changed_steps",
    "choose_prompt_set",
    "list_prompt_sets",
    "load_prompt_set",
    "step_key",
]

DEFAULT_SET = "default"
SET_FILE = "set.toml"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SET_KEYS = {"description", "include", "exclude", "abstract", "steps"}
_STEP_KEYS = {
    "id",
    "title",
    "version",
    "needs",
    "budget_tokens",
    "file_hints",
    "sections",
    "prompt",
    "prompt_file",
    "uses",
    "line_hints",
}


@dataclass(frozen=True)
class PromptSet:
    """A loaded, validated set; `steps` are in dependency order, `version` hashes all of them."""

    name: str
    version: str
    steps: list[StepSpec]
    description: str = ""
    abstract: bool = field(default=False, compare=False)

    def step(self, step_id: str) -> StepSpec:
        """The step with this id (KeyError if the set has none)."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def step_keys(self) -> dict[str, str]:
        """{step id: "id@vN"}: what the document's front matter records and changed_steps reads."""
        return {s.id: step_key(s) for s in self.steps}

    def fingerprints(self) -> dict[str, str]:
        """{step id: fingerprint} that checkpoints are stored under: any change to a step's spec,
        or to how prompts are assembled, re-asks that step and its dependants only."""
        return step_fingerprints(self.steps, BRIEFING_VERSION)


def load_prompt_set(name: str, root: Path) -> PromptSet:
    """Load `<root>/<name>/set.toml` with its includes, validate it and order its steps.

    Raises PromptSetError (a ValueError) naming the set and step for any malformed input.
    """
    data = _read_set(name, root)
    steps = order_steps(_resolve(name, root, ()), name)
    return PromptSet(
        name=name,
        version=set_version(steps),
        steps=steps,
        description=str(data.get("description", "")),
        abstract=bool(data.get("abstract", False)),
    )


def list_prompt_sets(root: Path) -> list[str]:
    """Names of the set folders under `root`, sorted."""
    return sorted(p.parent.name for p in root.glob(f"*/{SET_FILE}"))


def set_version(steps: list[StepSpec]) -> str:
    """A short stable hash of every step spec, prompt text included."""
    blob = json.dumps([s.canonical() for s in steps], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def changed_steps(old: dict[str, str], new: PromptSet) -> set[str]:
    """Steps to ask again: key changed or new since `old` ({id: step_key}), plus all dependents."""
    return stale_steps(old, new.steps)


_BACKEND_SUBTYPES: dict[str, tuple[str, ...]] = {
    "backend-nestjs": ("nestjs", "nest"),
    "backend-nodejs": ("express", "koa", "fastify", "hapi", "node", "nodejs", "node.js", "adonis"),
    "backend-python": ("fastapi", "flask", "django", "python", "starlette", "aiohttp", "tornado"),
    "backend-php": ("laravel", "symfony", "php", "slim", "lumen", "codeigniter", "cakephp"),
}
_BACKEND_LANGUAGES = {
    "typescript": "backend-nodejs",
    "javascript": "backend-nodejs",
    "python": "backend-python",
    "php": "backend-php",
}
_REACT = ("react", "nextjs", "next", "next.js", "remix", "gatsby", "preact")
_PLAIN_TYPES = ("mobile", "library", "infrastructure", "monorepo")


def choose_prompt_set(repo_type: str | None, subtype: str | None, primary_language: str | None = None) -> str:
    """The set name for a detected repository type; DEFAULT_SET when nothing fits better."""
    kind = (repo_type or "").strip().lower()
    tokens = set(re.split(r"[^a-z0-9.]+", (subtype or "").lower())) - {""}
    if kind in _PLAIN_TYPES:
        return kind
    if kind == "frontend":
        return "frontend-react" if tokens & set(_REACT) else DEFAULT_SET
    if kind != "backend":
        return DEFAULT_SET
    for set_name, words in _BACKEND_SUBTYPES.items():
        if tokens & set(words):
            return set_name
    return _BACKEND_LANGUAGES.get((primary_language or "").strip().lower(), DEFAULT_SET)


def _read_set(name: str, root: Path) -> dict[str, Any]:
    if not _NAME.match(name):
        raise PromptSetError(f"prompt set name {name!r} must be lowercase letters, digits and '-'")
    path = root / name / SET_FILE
    if not path.is_file():
        raise PromptSetError(f"prompt set {name!r}: no {SET_FILE} under {root / name}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PromptSetError(f"prompt set {name!r}: {path} is not valid TOML: {exc}") from exc
    unknown = set(data) - _SET_KEYS
    if unknown:
        raise PromptSetError(f"prompt set {name!r}: unknown keys {sorted(unknown)}")
    return data


def _resolve(name: str, root: Path, chain: tuple[str, ...]) -> list[StepSpec]:
    if name in chain:
        raise PromptSetError(f"prompt set {name!r}: include cycle {' -> '.join((*chain, name))}")
    data = _read_set(name, root)
    merged: dict[str, StepSpec] = {}
    for included in _str_list(data, "include", f"prompt set {name!r}"):
        for step in _resolve(included, root, (*chain, name)):
            merged[step.id] = step
    for dropped in _str_list(data, "exclude", f"prompt set {name!r}"):
        if merged.pop(dropped, None) is None:
            raise PromptSetError(f"prompt set {name!r}: exclude names unknown step {dropped!r}")
    own: set[str] = set()
    for raw in data.get("steps", []):
        step = _parse_step(raw, name, root / name)
        if step.id in own:
            raise PromptSetError(f"prompt set {name!r}: step {step.id!r} is defined twice")
        own.add(step.id)
        merged[step.id] = step
    return list(merged.values())


def _parse_step(raw: Any, set_name: str, folder: Path) -> StepSpec:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise PromptSetError(f"prompt set {set_name!r}: every [[steps]] entry needs a string id")
    step_id = raw["id"]
    where = f"prompt set {set_name!r}: step {step_id!r}"
    if not _NAME.match(step_id):
        raise PromptSetError(f"{where}: ids are lowercase letters, digits and '-'")
    unknown = set(raw) - _STEP_KEYS
    if unknown:
        raise PromptSetError(f"{where}: unknown keys {sorted(unknown)}")
    sections = tuple(_str_list(raw, "sections", where))
    if not sections:
        raise PromptSetError(f"{where}: sections must name at least one heading")
    uses = tuple(_str_list(raw, "uses", where))
    if unknown_uses := sorted(set(uses) - USES):
        raise PromptSetError(f"{where}: uses names unknown material {unknown_uses}; known: {sorted(USES)}")
    return StepSpec(
        id=step_id,
        title=_text(raw, "title", where),
        version=_positive_int(raw, "version", where, None),
        prompt=_prompt_text(raw, folder, where),
        needs=tuple(_str_list(raw, "needs", where)),
        budget_tokens=_positive_int(raw, "budget_tokens", where, 8000),
        file_hints=tuple(_str_list(raw, "file_hints", where)),
        sections=sections,
        uses=uses,
        line_hints=tuple(_str_list(raw, "line_hints", where)),
        origin=set_name,
    )


def _prompt_text(raw: dict[str, Any], folder: Path, where: str) -> str:
    if ("prompt" in raw) == ("prompt_file" in raw):
        raise PromptSetError(f"{where}: give exactly one of prompt or prompt_file")
    if "prompt" in raw:
        return _text(raw, "prompt", where)
    file = folder / _text(raw, "prompt_file", where)
    if not file.is_file():
        raise PromptSetError(f"{where}: prompt_file {file} does not exist")
    text = file.read_text(encoding="utf-8").strip()
    if not text:
        raise PromptSetError(f"{where}: prompt_file {file} is empty")
    return text


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PromptSetError(f"{where}: {key} must be a non-empty string")
    return value.strip()


def _positive_int(raw: dict[str, Any], key: str, where: str, default: int | None) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PromptSetError(f"{where}: {key} must be a positive integer")
    return value


def _str_list(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PromptSetError(f"{where}: {key} must be a list of non-empty strings")
    return list(value)
