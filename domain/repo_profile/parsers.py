"""Readers for manifest formats. Each adds what its file says to a ManifestFacts, and a file
that does not parse is recorded as unreadable rather than failing the whole profile."""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from collections.abc import Iterable
from typing import Any

import yaml

from domain.repo_profile.model import Dependency, ManifestFacts

_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_QUOTED = re.compile(r"""["']([^"']+)["']""")
_GEM = re.compile(r"""^\s*gem\s+["']([^"']+)["']""", re.MULTILINE)
_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+/[^\s]+)\s+v[0-9]", re.MULTILINE)
_MAVEN_ARTIFACT = re.compile(r"<artifactId>\s*([^<\s]+)\s*</artifactId>")
_GRADLE_DEPENDENCY = re.compile(r"""["']([\w.-]+):([\w.-]+)(?::[^"']*)?["']""")
_PACKAGE_SCOPES = {
    "dependencies": "runtime",
    "devDependencies": "dev",
    "peerDependencies": "peer",
    "optionalDependencies": "runtime",
}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _add(facts: ManifestFacts, path: str, ecosystem: str, names: Iterable[str], scope: str) -> None:
    facts.dependencies.extend(Dependency(path, ecosystem, n, scope) for n in names)


def _pep508_name(requirement: str) -> str | None:
    match = _REQUIREMENT_NAME.match(requirement)
    return match.group(1).lower().replace("_", "-") if match else None


def _relative(manifest: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(manifest), target))


def read_package_json(path: str, text: str, facts: ManifestFacts) -> None:
    data = _mapping(json.loads(text))
    for key, scope in _PACKAGE_SCOPES.items():
        _add(facts, path, "npm", _mapping(data.get(key)), scope)
    workspaces = data.get("workspaces")
    globs = _strings(_mapping(workspaces).get("packages")) or _strings(workspaces)
    facts.workspace_globs.extend((path, glob) for glob in globs)
    if data.get("private") is not True:
        declared = [k for k in ("exports", "module", "types", "main") if data.get(k)]
        if declared and "name" in data:
            facts.publishable.append((path, f"{path} publishes a package ({declared[0]})"))
    bins = data.get("bin")
    targets = list(_mapping(bins).values()) if isinstance(bins, dict) else [bins, data.get("main")]
    facts.declared_entry_points.extend(_relative(path, t) for t in targets if isinstance(t, str))


def read_composer_json(path: str, text: str, facts: ManifestFacts) -> None:
    data = _mapping(json.loads(text))
    _add(facts, path, "composer", _mapping(data.get("require")), "runtime")
    _add(facts, path, "composer", _mapping(data.get("require-dev")), "dev")
    if data.get("type") == "library":
        facts.publishable.append((path, f"{path} is a composer library"))


def read_requirements(path: str, text: str, facts: ManifestFacts) -> None:
    scope = "dev" if re.search(r"dev|test", posixpath.basename(path)) else "runtime"
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    names = (_pep508_name(line) for line in lines if line and not line.startswith("-"))
    _add(facts, path, "pypi", (n for n in names if n), scope)


def read_pyproject(path: str, text: str, facts: ManifestFacts) -> None:
    data = tomllib.loads(text)
    project = _mapping(data.get("project"))
    _add(facts, path, "pypi", filter(None, map(_pep508_name, _strings(project.get("dependencies")))), "runtime")
    for extra in _mapping(project.get("optional-dependencies")).values():
        _add(facts, path, "pypi", filter(None, map(_pep508_name, _strings(extra))), "dev")
    poetry = _mapping(_mapping(data.get("tool")).get("poetry"))
    poetry_deps = [n.lower() for n in _mapping(poetry.get("dependencies")) if n.lower() != "python"]
    _add(facts, path, "pypi", poetry_deps, "runtime")
    if "build-system" in data and (project.get("name") or poetry.get("name")):
        facts.publishable.append((path, f"{path} builds a Python distribution"))
    scripts = _mapping(project.get("scripts")) or _mapping(poetry.get("scripts"))
    for target in scripts.values():
        if isinstance(target, str):
            module = target.split(":", 1)[0].replace(".", "/")
            facts.declared_entry_points.append(_relative(path, f"{module}.py"))


def read_pipfile(path: str, text: str, facts: ManifestFacts) -> None:
    data = tomllib.loads(text)
    _add(facts, path, "pypi", (n.lower() for n in _mapping(data.get("packages"))), "runtime")
    _add(facts, path, "pypi", (n.lower() for n in _mapping(data.get("dev-packages"))), "dev")


def read_setup_py(path: str, text: str, facts: ManifestFacts) -> None:
    match = re.search(r"install_requires\s*=\s*\[([^\]]*)\]", text)
    names = (_pep508_name(q) for q in _QUOTED.findall(match.group(1))) if match else ()
    _add(facts, path, "pypi", (n for n in names if n), "runtime")
    facts.publishable.append((path, f"{path} is a setuptools package"))


def read_pubspec(path: str, text: str, facts: ManifestFacts) -> None:
    data = _mapping(yaml.safe_load(text))
    _add(facts, path, "pub", _mapping(data.get("dependencies")), "runtime")
    _add(facts, path, "pub", _mapping(data.get("dev_dependencies")), "dev")


def read_workspace_yaml(path: str, text: str, facts: ManifestFacts) -> None:
    data = _mapping(yaml.safe_load(text))
    facts.workspace_globs.extend((path, glob) for glob in _strings(data.get("packages")))


def read_lerna_json(path: str, text: str, facts: ManifestFacts) -> None:
    data = _mapping(json.loads(text))
    globs = _strings(data.get("packages")) or ["packages/*"]
    facts.workspace_globs.extend((path, glob) for glob in globs)


def read_compose(path: str, text: str, facts: ManifestFacts) -> None:
    services = _mapping(_mapping(yaml.safe_load(text)).get("services"))
    for name, service in sorted(services.items()):
        image = _mapping(service).get("image")
        if isinstance(image, str):
            facts.compose_images.append((path, str(name), image))


def read_go_mod(path: str, text: str, facts: ManifestFacts) -> None:
    _add(facts, path, "go", _GO_REQUIRE.findall(text), "runtime")


def read_cargo(path: str, text: str, facts: ManifestFacts) -> None:
    data = tomllib.loads(text)
    _add(facts, path, "cargo", _mapping(data.get("dependencies")), "runtime")
    if "lib" in data:
        facts.publishable.append((path, f"{path} declares a Rust library"))


def read_jvm_build(path: str, text: str, facts: ManifestFacts) -> None:
    if path.endswith(".xml"):
        names = _MAVEN_ARTIFACT.findall(text)
    else:
        names = [artifact for _group, artifact in _GRADLE_DEPENDENCY.findall(text)]
    _add(facts, path, "maven", names, "runtime")


def read_gemfile(path: str, text: str, facts: ManifestFacts) -> None:
    _add(facts, path, "gem", _GEM.findall(text), "runtime")
