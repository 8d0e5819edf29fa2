"""Reading the deployment files as data: compose services, Helm values (merged per environment), templates."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr

from core import settings as settings_module

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.temporal.yml"
CHART = ROOT / "infra" / "helm" / "pr-agent"
DOCKERFILE = ROOT / "infra" / "Dockerfile"
APP_IMAGE = "pr-agent:local"


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def compose_services() -> dict[str, dict[str, Any]]:
    return dict(load_yaml(COMPOSE)["services"])


def app_services() -> dict[str, dict[str, Any]]:
    """The services running the product's image (anchors and merge keys already applied by PyYAML)."""
    return {name: service for name, service in compose_services().items() if service.get("image") == APP_IMAGE}


def interpolated(value: object) -> str:
    """A compose value as `docker compose` sees it with nothing in the shell: `${X:-default}` -> default."""
    return re.sub(r"\$\{\w+(?::?-([^}]*))?\}", lambda match: match.group(1) or "", str(value))


def deep_merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        return {key: deep_merge(base.get(key), override[key]) if key in base else override[key] for key in override} | {
            key: value for key, value in base.items() if key not in override
        }
    return override


def helm_values(environment: str | None) -> dict[str, Any]:
    """values.yaml, with values-<environment>.yaml over it as `helm -f` applies it."""
    values = load_yaml(CHART / "values.yaml")
    if environment:
        values = deep_merge(values, load_yaml(CHART / f"values-{environment}.yaml"))
    return dict(values)


def template_texts() -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted((CHART / "templates").iterdir())}


def env_names_in_templates() -> set[str]:
    names: set[str] = set()
    for text in template_texts().values():
        names.update(re.findall(r"^\s*- name: ([A-Z][A-Z0-9_]+)\s*$", text, flags=re.MULTILINE))
    return names


def secret_variables() -> set[str]:
    """Names of the settings that are secrets (SecretStr): never in values files or images."""
    names: set[str] = set()
    for section in settings_module._SECTIONS.values():
        for field in section.model_fields.values():
            if SecretStr in getattr(field.annotation, "__args__", (field.annotation,)):
                alias = field.validation_alias
                choices = getattr(alias, "choices", [alias])
                names.update(str(choice) for choice in choices)
    return names


def dockerfile_final_stage() -> list[tuple[str, str]]:
    """(instruction, arguments) of the last build stage, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    instructions = [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    last_from = max(i for i, (name, _) in enumerate(instructions) if name == "FROM")
    return instructions[last_from:]


def dockerfile_env(stage: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for instruction, arguments in stage:
        if instruction == "ENV":
            env.update(item.split("=", 1) for item in shlex.split(arguments) if "=" in item)  # type: ignore[misc]
    return env
