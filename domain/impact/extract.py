"""`extract_facts`: what a repository uses of others, read from its files in one pass.

Pure: give it the repository's files (source, package.json, .prisma; tests and vendored code
are skipped here) and it returns `RepositoryFacts`. Meant to run where an index or
investigation pass already has the files, so the facts stay as fresh as that pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from tree_sitter import Node

from domain.impact import sqlscan, syntax
from domain.impact.calls import call_sites, clients
from domain.impact.declared import declared_edges, relevant
from domain.impact.facts import DependencyFact, HttpCallFact, ImportFact, RepositoryFacts, TableFact, TopicFact
from domain.impact.manifests import read_manifest
from domain.impact.messaging import topic_sites
from domain.impact.modules import import_bindings, package_of, project_constants
from domain.impact.routes_ts import nest_global_prefix
from domain.impact.shapes import collect_shapes
from domain.impact.tables import declared_tables, is_migration

_CODE = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".py")
# Files past this size are generated bundles or data, not code someone wrote against an edge.
MAX_INPUT_BYTES = 512 * 1024
_QUERY_CALLS = ("query", "execute", "raw", "prepare", "sql", "all", "get", "run", "one", "many", "any", "none", "fetch")


def facts_input(path: str, size: int = 0) -> bool:
    """Whether `extract_facts` needs this file: source code, package.json and .prisma schemas
    that are not tests, vendored or generated, and not larger than `MAX_INPUT_BYTES`."""
    readable = path.endswith((*_CODE, ".prisma")) or path.rsplit("/", 1)[-1] == "package.json"
    return readable and size <= MAX_INPUT_BYTES and relevant(path)


def extract_facts(repository: str, commit: str, files: Mapping[str, str]) -> RepositoryFacts:
    """Calls, topics, tables, package imports and dependencies of one repository at `commit`."""
    files = {p: t for p, t in files.items() if relevant(p)}
    roots = {p: r for p, t in files.items() if p.endswith(_CODE) and (r := syntax.parse(p, t)) is not None}
    consts = project_constants(roots)
    known_clients = clients(roots, consts)
    shapes = collect_shapes({p: files[p] for p in roots})
    calls: list[HttpCallFact] = []
    topics: list[TopicFact] = []
    tables: list[TableFact] = []
    imports: list[ImportFact] = []
    for path, root in sorted(roots.items()):
        for site in call_sites(path, root, consts[path], known_clients, roots):
            calls.append(HttpCallFact(site.method, site.url.path, site.url.origin, site.written, path, site.line))
        for topic in topic_sites(root, consts[path], shapes):
            topics.append(TopicFact(topic.name, topic.direction, topic.system, topic.fields, path, topic.line))
        if not is_migration(path):
            tables.extend(_queries(path, root))
        imports.extend(_imports(path, root) if syntax.is_js(path) else ())
    tables.extend(_entities(files))
    return RepositoryFacts(
        repository=repository,
        commit=commit,
        calls=tuple(calls),
        topics=tuple(topics),
        tables=tuple(tables),
        imports=tuple(imports),
        dependencies=tuple(_dependencies(files)),
        route_prefixes=tuple(p for p in [nest_global_prefix({p: r for p, r in roots.items() if syntax.is_js(p)})] if p),
        edge_files=tuple(sorted({edge.path for edge in declared_edges(files, ()).values()})),
    )


def _queries(path: str, root: Node) -> Iterator[TableFact]:
    """Tables and columns named by SQL strings in code."""
    for node in syntax.walk(root):
        if node.type not in syntax.STRING_TYPES or node.parent is None or node.parent.type in syntax.STRING_TYPES:
            continue
        text = _sql_text(node)
        if not sqlscan.looks_like_dml(text) or not (_in_query_call(node) or _shouted(text)):
            continue
        for use in sqlscan.table_uses(text):
            yield TableFact(use.table, use.columns, use.access, path, syntax.line(node))


def _sql_text(node: Node) -> str:
    parts = []
    for child in node.named_children or [node]:
        if child.type in ("template_substitution", "interpolation"):
            parts.append("$1")
        elif child.type in ("string_fragment", "string_content", "escape_sequence"):
            parts.append(syntax.text(child))
    if not node.named_children:
        return syntax.string_value(node) or ""
    return "".join(parts)


def _in_query_call(node: Node) -> bool:
    call = (
        node.parent.parent if node.parent is not None and node.parent.type in ("arguments", "argument_list") else None
    )
    if call is not None and call.type in ("call_expression", "call"):
        return syntax.callee(call).rsplit(".", 1)[-1] in _QUERY_CALLS
    # sql`...` tagged templates
    return (
        node.parent is not None and node.parent.type == "call_expression" and syntax.callee(node.parent).endswith("sql")
    )


def _shouted(text: str) -> bool:
    """SQL written in capitals reads as SQL even outside a query call (a constant, a builder)."""
    return any(word in text for word in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM"))


def _entities(files: Mapping[str, str]) -> Iterator[TableFact]:
    """Another service mapping the same table with an entity or schema uses its columns too."""
    for path, text in sorted(files.items()):
        for edge in declared_tables(path, text):
            columns = () if edge.kind == "table" else (edge.parts[1],)
            yield TableFact(edge.parts[0], columns, "entity", path, edge.line)


def _imports(path: str, root: Node) -> Iterator[ImportFact]:
    for binding in import_bindings(root):
        package = package_of(binding.source)
        if package is None:
            continue
        if binding.imported != "*":
            yield ImportFact(package, binding.imported, path, binding.line)
            continue
        used = sorted(_members_used(root, binding.local))
        for name in used or ["*"]:
            yield ImportFact(package, name, path, binding.line)


def _members_used(root: Node, local: str) -> set[str]:
    found = set()
    for node in syntax.walk(root):
        if node.type == "member_expression" and syntax.text(syntax.field(node, "object")) == local:
            found.add(syntax.text(syntax.field(node, "property")))
    return found


def _dependencies(files: Mapping[str, str]) -> Iterator[DependencyFact]:
    for path, text in sorted(files.items()):
        if path.rsplit("/", 1)[-1] != "package.json":
            continue
        manifest = read_manifest(path, text)
        for dep in manifest.dependencies if manifest is not None else ():
            yield DependencyFact(dep.package, dep.spec, path, dep.line)
