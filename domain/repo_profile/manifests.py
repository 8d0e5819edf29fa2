"""Which files a profile needs to read, and turning their text into ManifestFacts."""

from __future__ import annotations

import fnmatch
import json
import posixpath
import tomllib
from collections.abc import Callable

import yaml

from domain.chunking import excluded_path_reason
from domain.repo_profile import parsers
from domain.repo_profile.model import ManifestFacts
from domain.repo_profile.rules import CONFIG_DATABASE_PATTERNS, DATABASE_ALIASES

Reader = Callable[[str, str, ManifestFacts], None]

# File-name globs (matched on the base name, case-sensitively) and the reader of each.
_READERS: tuple[tuple[str, Reader], ...] = (
    ("package.json", parsers.read_package_json),
    ("composer.json", parsers.read_composer_json),
    ("requirements*.txt", parsers.read_requirements),
    ("pyproject.toml", parsers.read_pyproject),
    ("Pipfile", parsers.read_pipfile),
    ("setup.py", parsers.read_setup_py),
    ("pubspec.yaml", parsers.read_pubspec),
    ("pnpm-workspace.yaml", parsers.read_workspace_yaml),
    ("lerna.json", parsers.read_lerna_json),
    ("docker-compose*.yml", parsers.read_compose),
    ("docker-compose*.yaml", parsers.read_compose),
    ("compose.yml", parsers.read_compose),
    ("compose.yaml", parsers.read_compose),
    ("go.mod", parsers.read_go_mod),
    ("Cargo.toml", parsers.read_cargo),
    ("pom.xml", parsers.read_jvm_build),
    ("build.gradle", parsers.read_jvm_build),
    ("build.gradle.kts", parsers.read_jvm_build),
    ("Gemfile", parsers.read_gemfile),
)
# Configuration files whose text may name a datastore (ORM configs, env examples, settings).
CONFIG_GLOBS: tuple[str, ...] = (
    ".env.example",
    ".env.sample",
    ".env.dist",
    ".env.template",
    "ormconfig.*",
    "schema.prisma",
    "database.php",
    "config.php",
    "settings.py",
    "alembic.ini",
    "knexfile.*",
    "datasource.*",
    "application*.properties",
    "application*.yml",
    "application*.yaml",
)
# Files that are only looked at for their presence but are cheap and useful to read.
_MARKER_GLOBS: tuple[str, ...] = ("nx.json", "turbo.json", "nest-cli.json", "angular.json", "Chart.yaml")

MANIFEST_GLOBS: tuple[str, ...] = (
    *(glob for glob, _ in _READERS),
    *CONFIG_GLOBS,
    *_MARKER_GLOBS,
)


def _matches(path: str, globs: tuple[str, ...]) -> bool:
    name = posixpath.basename(path)
    return any(fnmatch.fnmatchcase(name, glob) for glob in globs)


def is_manifest(path: str) -> bool:
    """Whether profile_repository wants this file's text (never inside vendored or built code)."""
    return _matches(path, MANIFEST_GLOBS) and excluded_path_reason(path) is None


def _reader(path: str) -> Reader | None:
    name = posixpath.basename(path)
    return next((reader for glob, reader in _READERS if fnmatch.fnmatchcase(name, glob)), None)


def _scan_config(path: str, text: str, facts: ManifestFacts) -> None:
    for pattern in CONFIG_DATABASE_PATTERNS:
        for match in pattern.finditer(text):
            raw = match.group(1).lower()
            database = DATABASE_ALIASES.get(raw, raw)
            facts.configured_databases.append((database, f"{path} configures {database} ({match.group(0).strip()})"))


def parse_manifests(manifests: dict[str, str]) -> ManifestFacts:
    """Read every manifest (in path order, so results are deterministic) into one ManifestFacts."""
    facts = ManifestFacts()
    for path in sorted(manifests):
        if excluded_path_reason(path) is not None:
            continue
        text = manifests[path]
        reader = _reader(path)
        try:
            if reader is not None:
                reader(path, text, facts)
            if _matches(path, CONFIG_GLOBS):
                _scan_config(path, text, facts)
        except (ValueError, yaml.YAMLError, tomllib.TOMLDecodeError, json.JSONDecodeError):
            facts.unreadable.append(path)
    return facts
