"""Dependencies read from manifests: package.json, composer.json, requirements, pyproject, Pipfile, go.mod."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from domain.investigation.paths import depth_key, is_noise

_PEP508 = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
_DEV_GROUP = re.compile(r"dev|test|lint|doc|type|check", re.IGNORECASE)
_NPM_SCOPES = {
    "dependencies": "runtime",
    "devDependencies": "dev",
    "peerDependencies": "peer",
    "optionalDependencies": "optional",
}
_COMPOSER_SCOPES = {"require": "runtime", "require-dev": "dev"}


@dataclass(frozen=True)
class Dependency:
    """One declared dependency. `version` is the constraint as written ("" when none).

    `scope` is runtime, dev, peer, optional or indirect; `ecosystem` is npm, composer, pypi or go.
    """

    name: str
    version: str
    ecosystem: str
    scope: str
    manifest: str


@dataclass(frozen=True)
class DependencyScan:
    """Every dependency found, the manifests read, and those that could not be parsed (with why)."""

    dependencies: tuple[Dependency, ...]
    unreadable: tuple[str, ...]
    parsed: tuple[str, ...] = ()


def parse_dependencies(manifests: Mapping[str, str]) -> DependencyScan:
    """Dependencies of every recognised manifest, shallowest manifest first, in declared order."""
    found: list[Dependency] = []
    unreadable: list[str] = []
    parsed: list[str] = []
    for path in sorted(manifests, key=depth_key):
        parser = _parser_for(path)
        if parser is None or is_noise(path):
            continue
        try:
            found.extend(parser(path, manifests[path]))
            parsed.append(path)
        except (ValueError, TypeError, AttributeError) as exc:  # JSON/TOML errors are ValueErrors
            unreadable.append(f"{path}: {exc}".splitlines()[0])
    return DependencyScan(tuple(found), tuple(unreadable), tuple(parsed))


def _parser_for(path: str) -> Callable[[str, str], Iterator[Dependency]] | None:
    name = PurePosixPath(path).name
    parent = PurePosixPath(path).parent.name
    if name == "package.json":
        return _package_json
    if name == "composer.json":
        return _composer_json
    if name == "pyproject.toml":
        return _pyproject
    if name == "Pipfile":
        return _pipfile
    if name == "go.mod":
        return _go_mod
    is_requirements = name.startswith("requirements") or parent == "requirements"
    if is_requirements and name.endswith((".txt", ".in")):
        return _requirements
    return None


def _package_json(path: str, text: str) -> Iterator[Dependency]:
    data = _json_object(text)
    for key, scope in _NPM_SCOPES.items():
        for name, version in (data.get(key) or {}).items():
            yield Dependency(name, str(version), "npm", scope, path)


def _composer_json(path: str, text: str) -> Iterator[Dependency]:
    data = _json_object(text)
    for key, scope in _COMPOSER_SCOPES.items():
        for name, version in (data.get(key) or {}).items():
            # The PHP version and extensions are platform requirements, not packages.
            if name != "php" and not name.startswith(("ext-", "lib-")):
                yield Dependency(name, str(version), "composer", scope, path)


def _requirements(path: str, text: str) -> Iterator[Dependency]:
    scope = "dev" if _DEV_GROUP.search(PurePosixPath(path).name) else "runtime"
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")) or "://" in line.split("@", 1)[0]:
            continue
        dep = _pep508(line, path, scope)
        if dep:
            yield dep


def _pyproject(path: str, text: str) -> Iterator[Dependency]:
    data = tomllib.loads(text)
    project = data.get("project", {})
    for spec in project.get("dependencies", []):
        yield from _pep508_all([spec], path, "runtime")
    for group, specs in project.get("optional-dependencies", {}).items():
        yield from _pep508_all(specs, path, "dev" if _DEV_GROUP.search(group) else "optional")
    for specs in data.get("dependency-groups", {}).values():
        yield from _pep508_all([s for s in specs if isinstance(s, str)], path, "dev")
    poetry = data.get("tool", {}).get("poetry", {})
    yield from _poetry_table(poetry.get("dependencies", {}), path, "runtime")
    yield from _poetry_table(poetry.get("dev-dependencies", {}), path, "dev")
    for group in poetry.get("group", {}).values():
        yield from _poetry_table(group.get("dependencies", {}), path, "dev")


def _pipfile(path: str, text: str) -> Iterator[Dependency]:
    data = tomllib.loads(text)
    yield from _poetry_table(data.get("packages", {}), path, "runtime")
    yield from _poetry_table(data.get("dev-packages", {}), path, "dev")


def _poetry_table(table: Mapping[str, Any], path: str, scope: str) -> Iterator[Dependency]:
    for name, spec in table.items():
        if name.lower() == "python":
            continue
        version = spec.get("version", "") if isinstance(spec, dict) else str(spec)
        yield Dependency(name.lower(), "" if version == "*" else version, "pypi", scope, path)


def _go_mod(path: str, text: str) -> Iterator[Dependency]:
    in_block = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("require ("):
            in_block = True
        elif in_block and line == ")":
            in_block = False
        elif in_block or line.startswith("require "):
            body = line.removeprefix("require ").strip()
            parts = body.split()
            if len(parts) >= 2 and not body.startswith("//"):
                scope = "indirect" if "// indirect" in body else "runtime"
                yield Dependency(parts[0], parts[1], "go", scope, path)


def _pep508_all(specs: list[str], path: str, scope: str) -> Iterator[Dependency]:
    for spec in specs:
        dep = _pep508(spec, path, scope)
        if dep:
            yield dep


def _pep508(spec: str, path: str, scope: str) -> Dependency | None:
    match = _PEP508.match(spec.split(";", 1)[0])
    if not match:
        return None
    version = match.group(2).strip().removeprefix("@").strip()
    return Dependency(match.group(1).lower(), version, "pypi", scope, path)


def _json_object(text: str) -> dict[str, Any]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("top level is not an object")
    return data
