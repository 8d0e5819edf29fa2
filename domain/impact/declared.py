"""Every edge one version of a repository declares, from the files at hand.

`declared_edges` is run twice, on base and on head (each the changed files plus the same
unchanged context), and the two results are compared by key.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from tree_sitter import Node

from domain.impact import syntax
from domain.impact.exports import export_surface
from domain.impact.manifests import Manifest, read_manifest
from domain.impact.messaging import topic_sites
from domain.impact.model import Edge, ShapeField
from domain.impact.modules import project_constants
from domain.impact.routes_py import python_routes
from domain.impact.routes_ts import express_routes, nest_global_prefix, nest_routes
from domain.impact.shapes import Shapes, collect_shapes
from domain.impact.tables import column_key, declared_tables
from domain.impact.urls import shape_key
from domain.investigation.paths import is_noise, is_test_path

EdgeKey = tuple[str, ...]


def edge_key(edge: Edge) -> EdgeKey:
    """What makes two declarations the same edge: a route's method and parameter positions,
    a topic's name and direction, a column by its case- and underscore-free name."""
    if edge.kind == "route":
        return ("route", edge.parts[0], shape_key(edge.parts[1]))
    if edge.kind == "table":
        return ("table", edge.parts[0].lower())
    if edge.kind == "column":
        return ("column", edge.parts[0].lower(), column_key(edge.parts[1]))
    return (edge.kind, *edge.parts)


def relevant(path: str) -> bool:
    """Files that can declare edges: not tests, not vendored or generated."""
    return not is_noise(path) and not is_test_path(path)


def declared_edges(files: Mapping[str, str], changed: Collection[str]) -> dict[EdgeKey, Edge]:
    """Edges declared by `files`; package exports only for packages `changed` touches."""
    files = {p: t for p, t in files.items() if relevant(p)}
    roots = {p: r for p, t in files.items() if (r := syntax.parse(p, t)) is not None and p.endswith(_CODE)}
    shapes = collect_shapes({p: files[p] for p in roots})
    found: dict[EdgeKey, Edge] = {}
    for edge in _all_edges(files, roots, shapes, changed):
        key = edge_key(edge)
        if key not in found:
            found[key] = edge
        elif edge.kind == "topic":  # several sites of one topic: the message shape is all of them
            found[key] = _merged_topic(found[key], edge)
    return found


_CODE = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".py")


def _all_edges(
    files: Mapping[str, str], roots: Mapping[str, Node], shapes: Shapes, changed: Collection[str]
) -> Iterator[Edge]:
    js = {p: r for p, r in roots.items() if syntax.is_js(p)}
    prefix = nest_global_prefix(js)
    for path, root in js.items():
        yield from nest_routes(path, root, shapes, prefix)
    yield from express_routes(js)
    py = {p: r for p, r in roots.items() if p.endswith(".py")}
    yield from python_routes({p: files[p] for p in py}, py, shapes)
    constants = project_constants(roots)
    for path, root in roots.items():
        for site in topic_sites(root, constants[path], shapes):
            fields = tuple(ShapeField("field", f) for f in site.fields or ())
            yield Edge("topic", (site.name, site.direction), path, site.line, fields, variant=site.system)
    for path, text in files.items():
        yield from declared_tables(path, text)
    yield from _package_edges(files, js, changed)


def _merged_topic(first: Edge, other: Edge) -> Edge:
    names = {f.name for f in first.shape}
    extra = tuple(f for f in other.shape if f.name not in names)
    return Edge(first.kind, first.parts, first.path, first.line, first.shape + extra, first.version, first.variant)


def _package_edges(files: Mapping[str, str], js: Mapping[str, Node], changed: Collection[str]) -> Iterator[Edge]:
    for path, text in files.items():
        if not path.endswith("package.json"):
            continue
        manifest = read_manifest(path, text)
        if manifest is None or not manifest.name or not any(manifest.owns(c) for c in changed):
            continue
        yield Edge("package", (manifest.name,), path, manifest.version_line, version=manifest.version)
        yield from _exports(manifest, js, changed)


def _exports(manifest: Manifest, js: Mapping[str, Node], changed: Collection[str]) -> Iterator[Edge]:
    entry = next((e for e in manifest.entries if e in js), None)
    if entry is not None:
        surface = export_surface(entry, js)
    else:  # the entry was not supplied: a changed module's own exports stand for the package's
        surface = {}
        for path in sorted(c for c in changed if c in js and manifest.owns(c)):
            surface.update(export_surface(path, js))
    for symbol in surface.values():
        yield Edge(
            "export",
            (manifest.name, symbol.name),
            symbol.path,
            symbol.line,
            symbol.shape,
            manifest.version,
            symbol.kind,
        )
