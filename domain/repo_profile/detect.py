"""Detectors: each turns paths and manifest facts into one part of the profile plus evidence."""

from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import dataclass, field

from domain.chunking import PROGRAMMING_LANGUAGES, excluded_path_reason, language_for_path
from domain.repo_profile.model import Dependency, ManifestFacts
from domain.repo_profile.rules import (
    DATABASE_DEPENDENCIES,
    FRAMEWORK_DEPENDENCIES,
    IMAGE_DATABASES,
    lookup,
)

_ENTRY_NAMES = frozenset(
    {
        "main.ts",
        "main.js",
        "index.ts",
        "index.js",
        "index.tsx",
        "index.jsx",
        "server.ts",
        "server.js",
        "app.ts",
        "app.js",
        "app.py",
        "main.py",
        "server.py",
        "wsgi.py",
        "asgi.py",
        "manage.py",
        "__main__.py",
        "index.php",
        "artisan",
        "main.go",
        "main.dart",
        "main.rs",
        "Program.cs",
        "Application.java",
        "config.ru",
    }
)
# Directories where those names mean "this is what starts" rather than a barrel module.
_ENTRY_DIRS = frozenset({"", "src", "app", "public", "server", "lib", "cmd", "bin", "api", "web"})
_TEST_DIRS = frozenset({"test", "tests", "__tests__", "spec", "e2e", "fixtures", "examples", "example"})


@dataclass
class Detected:
    """One detector's answer: the values found and the evidence for them."""

    values: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)

    def add(self, value: str, reason: str) -> None:
        if value not in self.values:
            self.values.append(value)
        if reason not in self.evidence:
            self.evidence.append(reason)


def indexable_paths(paths: list[str]) -> list[str]:
    """The paths that are the repository's own files (not vendored or generated), sorted."""
    return sorted(p for p in paths if excluded_path_reason(p) is None)


def count_languages(paths: list[str]) -> dict[str, int]:
    """Files per programming language, most files first (ties by name, for determinism)."""
    counts = Counter(language_for_path(p) for p in paths)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return {language: n for language, n in ordered if language in PROGRAMMING_LANGUAGES}


def _describe(dependency: Dependency) -> str:
    scope = "" if dependency.scope == "runtime" else f" ({dependency.scope})"
    return f"{dependency.manifest} depends on {dependency.name}{scope}"


def detect_frameworks(facts: ManifestFacts) -> tuple[Detected, dict[str, set[str]]]:
    """Frameworks from dependencies, and for each the scopes it was declared in."""
    found = Detected()
    scopes: dict[str, set[str]] = {}
    for dependency in facts.dependencies:
        framework = lookup(FRAMEWORK_DEPENDENCIES, dependency.ecosystem, dependency.name)
        if framework is not None:
            found.add(framework, _describe(dependency))
            scopes.setdefault(framework, set()).add(dependency.scope)
    found.values.sort()
    return found, scopes


def _image_database(image: str) -> str | None:
    name = image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0].lower()
    return next((db for key, db in IMAGE_DATABASES if key in name), None)


def detect_databases(facts: ManifestFacts) -> Detected:
    """Datastores from driver dependencies, compose services and configuration text."""
    found = Detected()
    for dependency in facts.dependencies:
        database = lookup(DATABASE_DEPENDENCIES, dependency.ecosystem, dependency.name)
        if database is not None:
            found.add(database, _describe(dependency))
    for manifest, service, image in facts.compose_images:
        database = _image_database(image)
        if database is not None:
            found.add(database, f"{manifest} service '{service}' uses image {image}")
    for database, reason in facts.configured_databases:
        found.add(database, reason)
    found.values.sort()
    return found


def _is_entry_point(path: str) -> bool:
    directory, name = posixpath.split(path)
    parts = directory.split("/") if directory else []
    if name not in _ENTRY_NAMES or any(part in _TEST_DIRS for part in parts):
        return False
    if name == "main.go" and len(parts) >= 2 and parts[-2] == "cmd":
        return True
    return (parts[-1] if parts else "") in _ENTRY_DIRS


def find_entry_points(paths: list[str], facts: ManifestFacts, package_roots: list[str]) -> list[str]:
    """Files that start the program: conventional names in conventional places, plus what
    manifests declare (package.json main/bin, pyproject scripts), shallowest first."""
    present = set(paths)
    found = {p for p in paths if _is_entry_point(p)}
    roots = set(package_roots)
    found.update(p for p in paths if posixpath.dirname(p) in roots and _is_entry_point(posixpath.basename(p)))
    found.update(p for p in facts.declared_entry_points if p in present)
    return sorted(found, key=lambda p: (p.count("/"), p))[:20]
