"""JavaScript/TypeScript modules: what a file imports, where a relative import points, and the
string constants a file declares (so `topic(TOPICS.USER_EVENTS)` and `${API_BASE}/users` resolve).
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass

from tree_sitter import Node

from domain.impact import syntax

_SUFFIXES = ("", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", "/index.ts", "/index.tsx", "/index.js", "/index.jsx")


@dataclass(frozen=True)
class Binding:
    """A local name bound by an import: `source` as written, `imported` the exported name
    ("default" for a default import, "*" for a namespace or a whole `require`)."""

    local: str
    source: str
    imported: str
    line: int


def import_bindings(root: Node) -> Iterator[Binding]:
    """Names bound by `import` statements and top-level `require` calls."""
    for node in root.named_children:
        if node.type == "import_statement":
            yield from _import_statement(node)
        elif node.type in ("lexical_declaration", "variable_declaration"):
            for declarator in node.named_children:
                yield from _require(declarator)


def _import_statement(node: Node) -> Iterator[Binding]:
    source = syntax.string_value(syntax.field(node, "source")) or ""
    line = syntax.line(node)
    clause = next((c for c in node.named_children if c.type == "import_clause"), None)
    for child in clause.named_children if clause is not None else []:
        if child.type == "identifier":
            yield Binding(syntax.text(child), source, "default", line)
        elif child.type == "namespace_import":
            yield Binding(syntax.text(child.named_children[-1]), source, "*", line)
        elif child.type == "named_imports":
            for spec in child.named_children:
                if spec.type == "import_specifier":
                    name = syntax.text(syntax.field(spec, "name"))
                    alias = syntax.text(syntax.field(spec, "alias")) or name
                    yield Binding(alias, source, name, syntax.line(spec))


def _require(declarator: Node) -> Iterator[Binding]:
    value = syntax.field(declarator, "value")
    if value is None or value.type != "call_expression" or syntax.callee(value) != "require":
        return
    args = syntax.arguments(value)
    source = syntax.string_value(args[0]) if args else None
    target = syntax.field(declarator, "name")
    if source is None or target is None:
        return
    if target.type == "identifier":
        yield Binding(syntax.text(target), source, "*", syntax.line(declarator))
    elif target.type == "object_pattern":
        for item in target.named_children:
            key = syntax.field(item, "key") if item.type == "pair_pattern" else item
            local = syntax.field(item, "value") if item.type == "pair_pattern" else item
            yield Binding(syntax.text(local), source, syntax.text(key), syntax.line(item))


def resolve(from_path: str, source: str, known: Collection[str]) -> str | None:
    """The file a relative import names, among `known` paths; None for packages or misses."""
    if not source.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), source))
    for suffix in _SUFFIXES:
        if base + suffix in known:
            return base + suffix
    # `import './x.js'` in TypeScript compiled as ESM names the .ts file.
    stem, ext = posixpath.splitext(base)
    for candidate in (stem + ".ts", stem + ".tsx") if ext in (".js", ".jsx") else ():
        if candidate in known:
            return candidate
    return None


def package_of(source: str) -> str | None:
    """`@acme/shared/dist/x` → @acme/shared, `lodash/fp` → lodash; None for relative paths."""
    if source.startswith((".", "/")) or not source:
        return None
    parts = source.split("/")
    return "/".join(parts[:2]) if source.startswith("@") and len(parts) > 1 else parts[0]


def string_constants(root: Node) -> dict[str, str]:
    """`const NAME = 'x'` and `const TOPICS = { A: 'x' }` (as `TOPICS.A`) at any level of a file,
    plus Python `NAME = "x"`; first definition of a name wins."""
    found: dict[str, str] = {}
    for node in syntax.walk(root):
        if node.type == "variable_declarator":
            _remember(found, syntax.text(syntax.field(node, "name")), syntax.field(node, "value"))
        elif node.type == "assignment" and syntax.field(node, "left") is not None:
            _remember(found, syntax.text(syntax.field(node, "left")), syntax.field(node, "right"))
        elif node.type == "enum_declaration" and (body := syntax.field(node, "body")) is not None:
            enum = syntax.text(syntax.field(node, "name"))
            for member in body.named_children:
                _remember(found, f"{enum}.{syntax.text(syntax.field(member, 'name'))}", syntax.field(member, "value"))
    return found


def _remember(found: dict[str, str], name: str, value: Node | None) -> None:
    while value is not None and value.type in ("as_expression", "satisfies_expression"):
        value = value.named_children[0]
    literal = syntax.string_value(value)
    if literal is not None:
        found.setdefault(name, literal)
    elif value is not None and value.type == "object":
        for pair in value.named_children:
            if pair.type == "pair":
                key = syntax.text(syntax.field(pair, "key")).strip("'\"")
                _remember(found, f"{name}.{key}", syntax.field(pair, "value"))


def project_constants(files: Mapping[str, Node]) -> dict[str, dict[str, str]]:
    """Per file, its own constants and those it imports by name from relative modules."""
    own = {path: string_constants(root) for path, root in files.items()}
    visible: dict[str, dict[str, str]] = {}
    for path, root in files.items():
        names = dict(own[path])
        for binding in import_bindings(root) if syntax.is_js(path) else ():
            target = resolve(path, binding.source, files.keys())
            if target is None:
                continue
            for key, value in own[target].items():
                head, _, rest = key.partition(".")
                if head == binding.imported:
                    names.setdefault(binding.local + (f".{rest}" if rest else ""), value)
        visible[path] = names
    return visible
