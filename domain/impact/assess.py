"""The whole impact step as one pure call: `assess_impact(change_set, facts, repositories)`.

And `context_paths`, which tells the caller which unchanged head files to put in the change
set's context so that the changed ones can be understood (fetching a handful of files is
cheap; without them a changed DTO has no route and a changed module no package).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.impact import syntax
from domain.impact.declared import relevant
from domain.impact.edges import edge_changes
from domain.impact.facts import RepositoryFacts
from domain.impact.freshness import FreshnessNote, RepositoryState, freshness_notes
from domain.impact.impacts import ImpactFinding, find_impacts
from domain.impact.model import ChangeSet, EdgeChange
from domain.impact.routes_ts import nest_global_prefix

_ROUTE_FILES = re.compile(
    r"(?:^|/)(?:main|app|server)\.(?:ts|js|mjs|py)$|\.controller\.ts$|\.(?:router|routes)\.(?:ts|js)$"
    r"|(?:^|/)(?:routes|routers|api)/[^/]+\.(?:ts|js|py)$|(?:^|/)(?:views|urls)\.py$"
)
_MAX_CONTEXT = 200
_EDGE_INPUTS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".py", ".prisma", ".sql")


@dataclass(frozen=True)
class ImpactReport:
    """The edges a change alters, the findings on those other repositories use, and notes on
    repositories whose data is missing or old (only when something at the edges changed)."""

    changes: tuple[EdgeChange, ...]
    findings: tuple[ImpactFinding, ...]
    notes: tuple[FreshnessNote, ...]


def assess_impact(
    change_set: ChangeSet, facts: Iterable[RepositoryFacts], repositories: Iterable[RepositoryState] = ()
) -> ImpactReport:
    """Edge changes of the pull request matched against every other repository's facts."""
    changes = edge_changes(change_set)
    by_repository = {f.repository: f for f in facts}
    findings = find_impacts(changes, by_repository.values(), _served_prefixes(change_set))
    notes = freshness_notes(repositories, by_repository, change_set.repository) if changes else []
    return ImpactReport(tuple(changes), tuple(findings), tuple(notes))


def _served_prefixes(change_set: ChangeSet) -> list[str]:
    head = {**change_set.context, **{f.path: f.head for f in change_set.files if f.head is not None}}
    roots = {p: r for p, t in head.items() if syntax.is_js(p) and (r := syntax.parse(p, t)) is not None}
    prefix = nest_global_prefix(roots)
    return [prefix] if prefix else []


def change_input(path: str) -> bool:
    """Whether a changed file can alter an edge: code, package.json, .prisma schemas and SQL
    migrations, outside tests and vendored or generated folders."""
    readable = path.endswith(_EDGE_INPUTS) or posixpath.basename(path) == "package.json"
    return readable and relevant(path)


def context_paths(
    head_paths: Sequence[str], changed_paths: Sequence[str], own_facts: RepositoryFacts | None = None
) -> list[str]:
    """Unchanged head files worth fetching for the change set's context, at most 200.

    The files the repository's own facts say declare its edges (`own_facts.edge_files`: they
    give meaning to a changed constant or DTO), package.json files on the way up from each
    changed file and the package entries under them, and files that declare routes by
    convention (main.ts, *.controller.ts, routes/, routers/).
    """
    changed = set(changed_paths)
    declaring = set(own_facts.edge_files) if own_facts is not None else set()
    folders = {posixpath.dirname(p) for p in changed}
    wanted: list[str] = []
    for path in sorted(head_paths, key=lambda p: (p.count("/"), p)):
        if path in changed or not relevant(path):
            continue
        name = posixpath.basename(path)
        folder = posixpath.dirname(path)
        above = any(f == folder or f.startswith(folder + "/") or not folder for f in folders)
        conventional = (name == "package.json" or _is_entry(name)) and above
        if path in declaring or conventional or _ROUTE_FILES.search(path):
            wanted.append(path)
    return wanted[:_MAX_CONTEXT]


def _is_entry(name: str) -> bool:
    return name in ("index.ts", "index.tsx", "index.js", "index.mjs")
