"""Markdown bodies of the deterministic sections, rendered from RepoFacts."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domain.investigation.deterministic import RepoFacts
    from domain.investigation.manifests import Dependency

# Section id → heading, in document order.
DETERMINISTIC_TITLES: dict[str, str] = {
    "type": "Repository type and evidence",
    "structure": "Structure",
    "dependencies": "Dependencies",
    "entry-points": "Entry points",
    "databases": "Databases",
    "apis": "HTTP APIs (detected)",
    "topics": "Messaging topics (detected)",
}
MAX_LISTED = 150
NONE = "None detected."
_DB_PACKAGES = (
    "typeorm",
    "@prisma/client",
    "prisma",
    "sequelize",
    "mongoose",
    "mongodb",
    "pg",
    "mysql",
    "mysql2",
    "knex",
    "ioredis",
    "redis",
    "@nestjs/typeorm",
    "@nestjs/mongoose",
    "sqlalchemy",
    "asyncpg",
    "psycopg",
    "psycopg2",
    "psycopg2-binary",
    "pymongo",
    "motor",
    "django",
    "alembic",
    "databases",
    "peewee",
    "tortoise-orm",
    "doctrine/orm",
    "doctrine/dbal",
    "illuminate/database",
    "laravel/framework",
    "predis/predis",
    "gorm.io/gorm",
    "github.com/jackc/pgx/v5",
    "github.com/lib/pq",
    "@google-cloud/firestore",
    "@google-cloud/spanner",
    "google-cloud-firestore",
    "elasticsearch",
    "@elastic/elasticsearch",
)


def render_sections(facts: RepoFacts) -> dict[str, str]:
    """{section id: body} for every id of DETERMINISTIC_TITLES, in that order."""
    renderers: dict[str, Callable[[RepoFacts], str]] = {
        "type": _type,
        "structure": _structure,
        "dependencies": _dependencies,
        "entry-points": _entry_points,
        "databases": _databases,
        "apis": _apis,
        "topics": _topics,
    }
    return {key: renderers[key](facts) for key in DETERMINISTIC_TITLES}


def _type(f: RepoFacts) -> str:
    kind = f"{f.repo_type} ({f.subtype})" if f.subtype else f.repo_type
    lines = [
        f"- Type: {kind}",
        f"- Primary language: {f.primary_language or 'unknown'}",
        f"- Languages: {_join(f.languages)}",
        f"- Frameworks: {_join(f.frameworks)}",
    ]
    if f.packages:
        lines.append(f"- Packages: {_join(f.packages)}")
    lines.append("- Evidence:" if f.evidence else "- Evidence: none recorded")
    lines.extend(f"  - {item}" for item in f.evidence)
    return "\n".join(lines)


def _structure(f: RepoFacts) -> str:
    total = f.root_files + sum(count for _, count in f.top_folders)
    lines = [f"{_files(total)}: {f.root_files} at the root, the rest in these top-level folders:", ""]
    lines.extend(f"- `{name}/` — {_files(count)}" for name, count in f.top_folders)
    return "\n".join(lines) if f.top_folders else f"{_files(total)}, all at the root."


def _dependencies(f: RepoFacts) -> str:
    if not f.manifests_read and not f.unreadable_manifests:
        return "No recognised manifest (package.json, composer.json, requirements, pyproject, go.mod)."
    by_manifest = {m: list(deps) for m, deps in groupby(f.dependencies, key=lambda d: d.manifest)}
    blocks = [
        _manifest_block(m, by_manifest[m]) if m in by_manifest else f"`{m}` declares no dependencies."
        for m in f.manifests_read
    ]
    blocks.extend(f"Could not parse {problem}" for problem in f.unreadable_manifests)
    return "\n\n".join(blocks)


def _manifest_block(manifest: str, deps: list[Dependency]) -> str:
    lines = [f"From `{manifest}` ({deps[0].ecosystem}):"]
    for scope, group in groupby(sorted(deps, key=lambda d: _scope_rank(d.scope)), lambda d: d.scope):
        items = [f"{d.name} {d.version}".strip() for d in group]
        lines.append(f"- {scope} ({len(items)}): {_capped(items, MAX_LISTED)}")
    return "\n".join(lines)


def _scope_rank(scope: str) -> int:
    order = ("runtime", "peer", "optional", "dev", "indirect")
    return order.index(scope) if scope in order else len(order)


def _entry_points(f: RepoFacts) -> str:
    if not f.entry_points:
        return NONE
    source = "conventional file names" if f.entry_points_guessed else "the repository profile"
    lines = [f"From {source}:", ""]
    return "\n".join([*lines, *(f"- `{path}`" for path in f.entry_points)])


def _databases(f: RepoFacts) -> str:
    lines = [f"- From the repository profile: {_join(f.databases)}"]
    related = [d for d in f.dependencies if d.name.lower() in _DB_PACKAGES]
    lines.extend(f"- Dependency `{d.name}` {d.version} (`{d.manifest}`)".rstrip() for d in related)
    lines.extend(f"- Schema or migrations: `{path}`" for path in f.migration_dirs)
    return "\n".join(lines)


def _apis(f: RepoFacts) -> str:
    if not f.apis:
        return NONE
    items = [f"- `{a.method} {a.path}` ({a.framework}) — `{a.location}`" for a in f.apis]
    note = "Routes found by pattern matching; prefixes read from settings at run time are not included."
    if any(a.framework == "php-convention" for a in f.apis):
        note += " `php-convention` routes follow the /controller/method URL convention: any HTTP method reaches them."
    return note + "\n\n" + _capped_lines(items)


def _topics(f: RepoFacts) -> str:
    if not f.topics:
        return NONE
    blocks: list[str] = []
    for direction, heading in (
        ("publish", "Published"),
        ("subscribe", "Subscribed"),
        ("unknown", "Referenced, direction unclear"),
    ):
        items = [f"- `{t.name}` ({t.system} {t.kind}) — `{t.location}`" for t in f.topics if t.direction == direction]
        if items:
            blocks.append(f"### {heading}\n\n{_capped_lines(items)}")
    return "\n\n".join(blocks)


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def _join(values: Iterable[str]) -> str:
    listed = list(values)
    return ", ".join(listed) if listed else "none detected"


def _capped(items: list[str], limit: int) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", … ({len(items) - limit} more)" if len(items) > limit else "")


def _capped_lines(items: list[str]) -> str:
    extra = len(items) - MAX_LISTED
    return "\n".join(items[:MAX_LISTED] + ([f"- … {extra} more"] if extra > 0 else []))
