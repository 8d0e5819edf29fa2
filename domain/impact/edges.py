"""What a change alters at its repository's edges: `edge_changes(change_set)`.

Declared edges (routes, topics, entity tables and columns, package exports and version) are
read from base and from head and compared by key; schema operations are read from what the
change adds to migration files. A removal of an entity column and the migration dropping it
are one change, reported at the migration's (head) line.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

from domain.impact.anchors import anchored
from domain.impact.compat import compare
from domain.impact.declared import EdgeKey, declared_edges, edge_key, relevant
from domain.impact.model import ChangedFile, ChangeSet, ChangeType, Edge, EdgeChange, EdgeKind
from domain.impact.tables import SchemaOp, is_migration, schema_ops

_HEAD_FIRST = {"head": 0, "base": 1}


def edge_changes(change_set: ChangeSet) -> list[EdgeChange]:
    """Edge changes of a pull request, most telling first within each file, by path and line."""
    base_files = {**change_set.context, **{f.path: f.base for f in change_set.files if f.base is not None}}
    head_files = {**change_set.context, **{f.path: f.head for f in change_set.files if f.head is not None}}
    changed = [f.path for f in change_set.files]
    base = declared_edges(base_files, changed)
    head = declared_edges(head_files, changed)
    by_path = {f.path: f for f in change_set.files}
    found = list(_declared_changes(change_set.repository, base, head, by_path))
    for file in change_set.files:
        if relevant(file.path) and is_migration(file.path) and file.head is not None:
            found.extend(_migration_changes(change_set.repository, file))
    _mark_renamed_topics(found)
    placed = [anchored(c, by_path, _head_line) for c in _one_per_edge(found)]
    return sorted(placed, key=lambda c: (c.path, c.line, c.kind, c.name))


def _declared_changes(
    repository: str, base: dict[EdgeKey, Edge], head: dict[EdgeKey, Edge], files: dict[str, ChangedFile]
) -> Iterator[EdgeChange]:
    for key in base.keys() - head.keys():
        edge = base[key]
        yield _change(repository, "removed", "", edge.kind != "package", edge, None, files)
    for key in head.keys() - base.keys():
        yield _change(repository, "added", "", False, None, head[key], files)
    for key in base.keys() & head.keys():
        comparison = compare(base[key], head[key])
        if comparison is not None:
            change = _change(repository, "changed", comparison.detail, comparison.breaking, base[key], head[key], files)
            yield _with_removed_fields(change, comparison.removed_fields)


def _change(
    repository: str,
    change: ChangeType,
    detail: str,
    breaking: bool,
    base: Edge | None,
    head: Edge | None,
    files: dict[str, ChangedFile],
) -> EdgeChange:
    if head is not None:
        return EdgeChange(
            repository,
            head.kind,
            head.name,
            change,
            detail,
            breaking,
            head.path,
            head.line,
            "head",
            head.line,
            base,
            head,
        )
    if base is None:
        raise ValueError("an edge change needs a base or a head edge")
    head_line = _head_line(files.get(base.path), base.line)
    return EdgeChange(
        repository, base.kind, base.name, change, detail, breaking, base.path, base.line, "base", head_line, base, None
    )


def _with_removed_fields(change: EdgeChange, removed: tuple[str, ...]) -> EdgeChange:
    return replace(change, removed_fields=removed) if removed else change


def _head_line(file: ChangedFile | None, base_line: int) -> int | None:
    """Where a line of base sits in head: the same line if kept, else where its text was."""
    if file is None:
        return base_line  # an unchanged context file
    if file.head is None or file.base is None:
        return None
    old, new = file.base.splitlines(), file.head.splitlines()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if i1 <= base_line - 1 < i2:
            line = j1 + (base_line - 1 - i1) + 1 if tag == "equal" else j1 + 1
            return max(1, min(line, len(new)))
    return max(1, len(new)) if new else None


_OPS: dict[str, tuple[EdgeKind, ChangeType, bool]] = {
    "create_table": ("table", "added", False),
    "drop_table": ("table", "removed", True),
    "rename_table": ("table", "removed", True),
    "add_column": ("column", "added", False),
    "drop_column": ("column", "removed", True),
    "rename_column": ("column", "removed", True),
    "alter_column": ("column", "changed", False),
}


def _migration_changes(repository: str, file: ChangedFile) -> Iterator[EdgeChange]:
    old = Counter(_op_key(op) for op in schema_ops(file.path, file.base or ""))
    for op in schema_ops(file.path, file.head or ""):
        key = _op_key(op)
        if old[key] > 0:
            old[key] -= 1
            continue
        kind, change, breaking = _OPS[op.op.op]
        parts = (op.op.table,) if kind == "table" else (op.op.table, op.op.column)
        detail = f"renamed to `{op.op.new_name}`" if op.op.new_name else op.op.detail
        if op.op.op == "alter_column":
            breaking = any(word in op.op.detail for word in ("type", "set not null", "rename"))
        edge = Edge(kind, parts, file.path, op.line)
        yield EdgeChange(
            repository, kind, edge.name, change, detail, breaking, file.path, op.line, "head", op.line, None, edge
        )


def _op_key(op: SchemaOp) -> tuple[str, str, str, str, str]:
    return (op.op.op, op.op.table.lower(), op.op.column.lower(), op.op.new_name, op.op.detail)


def _mark_renamed_topics(changes: list[EdgeChange]) -> None:
    """A topic removed and another added in the same file, same direction: a rename."""
    added = [c for c in changes if c.kind == "topic" and c.change == "added"]
    for index, change in enumerate(changes):
        if change.kind != "topic" or change.change != "removed":
            continue
        twin = next((a for a in added if a.path == change.path and a.edge.parts[1] == change.edge.parts[1]), None)
        if twin is not None:
            changes[index] = replace(change, detail=f"renamed to `{twin.name}`")


def _one_per_edge(changes: list[EdgeChange]) -> list[EdgeChange]:
    """One change per (kind, key, change): a head-side report wins over a base-side one."""
    chosen: dict[tuple[object, ...], EdgeChange] = {}
    for change in sorted(changes, key=lambda c: _HEAD_FIRST[c.side]):
        key = (edge_key(change.edge), change.change)
        if key not in chosen:
            chosen[key] = change
    return list(chosen.values())
