"""What one repository uses of others, with `path:line` evidence: the consumer side of impact.

`extract_facts` (domain.impact.extract) builds these from a repository's files; they are plain
data, stored as JSON (`facts_to_json` / `facts_from_json`) next to an investigation or an index
pass, and read back by the review to find who a change affects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

FACTS_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class HttpCallFact:
    """An outgoing HTTP call. `route` is the path with parameters as `:name` and any literal
    base path already joined; `origin` is what stands before it: "" (same origin), a host
    ("https://api.acme.dev") or an unknown base by name ("{API_URL}")."""

    method: str
    route: str
    origin: str
    written: str
    file: str
    line: int


@dataclass(frozen=True)
class TopicFact:
    """A topic published or subscribed to; `fields` None when the message shape is unknown."""

    name: str
    direction: str
    system: str
    fields: tuple[str, ...] | None
    file: str
    line: int


@dataclass(frozen=True)
class TableFact:
    """A table used by a query (read/write) or mapped by an entity (entity). `columns` None
    when every column is read (`SELECT *`) or the columns are unknown."""

    table: str
    columns: tuple[str, ...] | None
    access: str
    file: str
    line: int


@dataclass(frozen=True)
class ImportFact:
    """One name imported from a package (`default`, or `*` when it is used whole)."""

    package: str
    name: str
    file: str
    line: int


@dataclass(frozen=True)
class DependencyFact:
    """A package.json dependency and the range it asks for."""

    package: str
    spec: str
    file: str
    line: int


@dataclass(frozen=True)
class RepositoryFacts:
    """Everything one repository's code says about what it uses, at one commit.

    `route_prefixes` are prefixes the repository serves its own routes under (a NestJS global
    prefix), used when a caller's base URL is unknown. `edge_files` are the files declaring the
    repository's own edges (routes, topics, entities): the context a review of a change to it
    needs even when the change does not touch them.
    """

    repository: str
    commit: str
    calls: tuple[HttpCallFact, ...] = ()
    topics: tuple[TopicFact, ...] = ()
    tables: tuple[TableFact, ...] = ()
    imports: tuple[ImportFact, ...] = ()
    dependencies: tuple[DependencyFact, ...] = ()
    route_prefixes: tuple[str, ...] = ()
    edge_files: tuple[str, ...] = ()
    schema_version: int = field(default=FACTS_SCHEMA_VERSION)


def facts_to_json(facts: RepositoryFacts) -> dict[str, Any]:
    """A JSON-able dict (tuples become lists)."""
    return asdict(facts)


def facts_from_json(data: Mapping[str, Any]) -> RepositoryFacts | None:
    """Facts read back; None when they were written by another schema version (re-extract)."""
    if data.get("schema_version") != FACTS_SCHEMA_VERSION:
        return None
    return RepositoryFacts(
        repository=str(data["repository"]),
        commit=str(data["commit"]),
        calls=tuple(HttpCallFact(**item) for item in data.get("calls", [])),
        topics=tuple(
            TopicFact(**{**item, "fields": _maybe_tuple(item.get("fields"))}) for item in data.get("topics", [])
        ),
        tables=tuple(
            TableFact(**{**item, "columns": _maybe_tuple(item.get("columns"))}) for item in data.get("tables", [])
        ),
        imports=tuple(ImportFact(**item) for item in data.get("imports", [])),
        dependencies=tuple(DependencyFact(**item) for item in data.get("dependencies", [])),
        route_prefixes=tuple(data.get("route_prefixes", [])),
        edge_files=tuple(data.get("edge_files", [])),
    )


def _maybe_tuple(value: Any) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)
