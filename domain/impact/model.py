"""What a change alters at the edges of its repository: the types the impact code passes around.

An *edge* is something other repositories can depend on: an HTTP route, a topic, a database
table or column, an export of an internal package, the package's version. `edge_changes` turns
base and head file contents into `EdgeChange`s; `find_impacts` matches those against the facts
of other repositories. Everything here is a frozen dataclass of plain values, so it can travel
through workflow histories and JSON unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

EdgeKind = Literal["route", "topic", "table", "column", "export", "package"]
ChangeType = Literal["added", "removed", "changed"]
Side = Literal["base", "head"]
# The same names as core.findings.Severity: domain/ may not import core/.
Severity = Literal["critical", "high", "medium", "low", "info"]


@dataclass(frozen=True)
class ChangedFile:
    """One file of a change. `base` is None for a new file, `head` None for a deleted one."""

    path: str
    base: str | None
    head: str | None


@dataclass(frozen=True)
class ChangeSet:
    """A pull request's files, and unchanged head files that give them meaning.

    `context` holds head text of files the change did not touch but which decide what the
    changed ones mean: package.json, the package entry that re-exports a changed module, the
    NestJS main.ts with the global prefix, the controller that uses a changed DTO.
    `context_paths` says which ones are worth fetching.
    """

    repository: str
    files: tuple[ChangedFile, ...]
    context: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ShapeField:
    """One field of a declared shape: a route parameter, a DTO property, a message key, a
    function parameter. `role` says which part it belongs to (param, query, body, response,
    field, arg)."""

    role: str
    name: str
    type: str = ""
    required: bool = True


@dataclass(frozen=True)
class Edge:
    """One edge as declared in one version of the producer.

    `parts` identify it: route (METHOD, /path/:param), topic (name, publish|subscribe), table
    (table,), column (table, column), export (package, symbol), package (package,).
    `version` is the package version for exports and packages. `refs` name the types the
    shape was read from, so a change to a DTO can be placed on the DTO's changed line.
    """

    kind: EdgeKind
    parts: tuple[str, ...]
    path: str
    line: int
    shape: tuple[ShapeField, ...] = ()
    version: str = ""
    variant: str = ""  # topics: pubsub or nestjs; exports: function, class, interface, type, const...
    refs: tuple[str, ...] = ()  # named types the shape was read from (a route's DTOs)

    @property
    def name(self) -> str:
        """How a reader names it: `DELETE /api/users/:slug`, `users.avatar_url`, `@acme/ui#Button`."""
        if self.kind == "route":
            return " ".join(self.parts)
        if self.kind == "column":
            return ".".join(self.parts)
        if self.kind == "export":
            return "#".join(self.parts)
        return self.parts[0]


@dataclass(frozen=True)
class EdgeChange:
    """An edge the change adds, removes or alters, with where to say so.

    `path`/`line` point at the declaration in head (added, changed, or a removal next to which
    head has new text) or in base (`side` says which). `head_line` is the head-side line a
    review comment can sit on: for a removal inside a file that still exists, the line where
    the removed text used to be; None for a deleted file.
    """

    repository: str
    kind: EdgeKind
    name: str
    change: ChangeType
    detail: str
    breaking: bool
    path: str
    line: int
    side: Side
    head_line: int | None
    base: Edge | None = None
    head: Edge | None = None
    removed_fields: tuple[str, ...] = ()

    @property
    def location(self) -> str:
        """`path:line` of the change (in head, or in base when `side` is base)."""
        return f"{self.path}:{self.line}"

    @property
    def edge(self) -> Edge:
        """The edge as it stands after the change, or as it was before a removal."""
        edge = self.head or self.base
        if edge is None:  # constructed only by edge_changes, which always sets one
            raise ValueError("an EdgeChange needs a base or a head edge")
        return edge
