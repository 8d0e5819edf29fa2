"""Who in another repository uses an edge: `uses_of(change, facts, prefixes)`.

Routes meet calls by method and path (parameters by position; a call whose base URL is
unknown may also leave out a prefix the producer serves everything under), topics meet the
other direction on the same name and system, tables and columns meet queries and entities,
exports meet named imports, versions meet dependency ranges.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from domain import semver
from domain.impact import urls
from domain.impact.facts import RepositoryFacts
from domain.impact.model import EdgeChange
from domain.impact.tables import column_key


@dataclass(frozen=True)
class Use:
    """One place in a consumer repository that uses the changed edge.

    `certain` is False when the use is real but may not touch what changed (`SELECT *` on a
    table that lost a column, a subscriber whose fields are unknown). `pinned` is the range a
    dependant asks for when it excludes the producer's new version (a stale consumer).
    """

    repository: str
    path: str
    line: int
    what: str
    certain: bool = True
    pinned: str = ""


def uses_of(change: EdgeChange, facts: RepositoryFacts, prefixes: Iterable[str] = ()) -> list[Use]:
    """Uses of the changed edge in one repository's facts."""
    finder = {
        "route": _route_uses,
        "topic": _topic_uses,
        "table": _table_uses,
        "column": _column_uses,
        "export": _export_uses,
        "package": _package_uses,
    }[change.kind]
    return list(finder(change, facts, tuple(prefixes)))


def _route_uses(change: EdgeChange, facts: RepositoryFacts, prefixes: tuple[str, ...]) -> Iterator[Use]:
    method, route = change.edge.parts
    for call in facts.calls:
        if call.method not in ("ANY", method) and method != "ANY":
            continue
        if _reaches(route, call.route, call.origin, prefixes):
            yield Use(facts.repository, call.file, call.line, f"calls `{call.method} {call.route}`")


def _reaches(route: str, called: str, origin: str, prefixes: tuple[str, ...]) -> bool:
    if urls.reaches(route, called):
        return True
    if not origin.startswith("{"):
        return False
    # `${API_URL}/users`: API_URL may well end in the producer's global prefix.
    return any((rest := urls.strip_prefix(route, p)) is not None and urls.reaches(rest, called) for p in prefixes)


def _topic_uses(change: EdgeChange, facts: RepositoryFacts, _: tuple[str, ...]) -> Iterator[Use]:
    name, direction = change.edge.parts
    other = "subscribe" if direction == "publish" else "publish"
    for topic in facts.topics:
        if topic.name != name or topic.direction != other or topic.system != change.edge.variant:
            continue
        verb = "subscribes to" if other == "subscribe" else "publishes to"
        what = f"{verb} `{name}`"
        if change.change == "changed" and change.removed_fields and direction == "publish":
            if topic.fields is None:
                yield Use(facts.repository, topic.file, topic.line, what + " (fields read unknown)", certain=False)
            elif read := [f for f in change.removed_fields if f in topic.fields]:
                yield Use(facts.repository, topic.file, topic.line, what + " and reads " + _names(read))
            continue
        yield Use(facts.repository, topic.file, topic.line, what)


def _table_uses(change: EdgeChange, facts: RepositoryFacts, _: tuple[str, ...]) -> Iterator[Use]:
    table = change.edge.parts[0].lower()
    for fact in facts.tables:
        if fact.table.lower() == table:
            yield Use(facts.repository, fact.file, fact.line, f"{_access(fact.access)} `{fact.table}`")


def _column_uses(change: EdgeChange, facts: RepositoryFacts, _: tuple[str, ...]) -> Iterator[Use]:
    table, column = change.edge.parts[0].lower(), column_key(change.edge.parts[1])
    for fact in facts.tables:
        if fact.table.lower() != table:
            continue
        if fact.columns is None:
            if change.change != "added" and fact.access == "read":
                what = f"reads every column of `{fact.table}`"
                yield Use(facts.repository, fact.file, fact.line, what, certain=False)
        elif any(column_key(c) == column for c in fact.columns):
            yield Use(
                facts.repository, fact.file, fact.line, f"{_access(fact.access)} `{fact.table}.{change.edge.parts[1]}`"
            )


def _access(access: str) -> str:
    return {"read": "reads", "write": "writes", "entity": "maps"}.get(access, "uses")


def _export_uses(change: EdgeChange, facts: RepositoryFacts, _: tuple[str, ...]) -> Iterator[Use]:
    package, symbol = change.edge.parts
    pinned = _pinned(facts, package, change.edge.version)
    for imported in facts.imports:
        if imported.package != package or imported.name != symbol:
            continue
        what = f"imports `{symbol}` from `{package}`"
        yield Use(facts.repository, imported.file, imported.line, what, pinned=pinned)


def _pinned(facts: RepositoryFacts, package: str, version: str) -> str:
    """The dependant's range when it excludes `version`, else ""."""
    for dependency in facts.dependencies:
        if dependency.package == package and version and semver.admits(dependency.spec, version) is False:
            return dependency.spec
    return ""


def _package_uses(change: EdgeChange, facts: RepositoryFacts, _: tuple[str, ...]) -> Iterator[Use]:
    package, version = change.edge.parts[0], change.edge.version
    for dependency in facts.dependencies:
        if dependency.package != package:
            continue
        excluded = bool(version) and semver.admits(dependency.spec, version) is False
        if change.change != "changed" or excluded:
            what = f"depends on `{package}@{dependency.spec}`"
            yield Use(
                facts.repository, dependency.file, dependency.line, what, pinned=dependency.spec if excluded else ""
            )


def _names(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)
