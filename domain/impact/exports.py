"""The public surface of a TypeScript/JavaScript package: what its entry file exports.

Followed from the entry through `export * from './x'`, `export { a as b } from './x'` and
`import { a } from './x'; export { a }`, within the files at hand. Each symbol carries its
shape: a function's parameters (role `arg`, in order), an interface's or class's fields, an
enum's members, so a change of signature shows up as a changed export.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tree_sitter import Node

from domain.impact import syntax
from domain.impact.model import ShapeField
from domain.impact.modules import Binding, import_bindings, resolve
from domain.impact.shapes import ts_fields

_DECLARATIONS = frozenset(
    {"function_declaration", "class_declaration", "interface_declaration", "type_alias_declaration", "enum_declaration"}
)
_FUNCTIONS = frozenset({"arrow_function", "function_expression", "function"})
_MAX_DEPTH = 12


@dataclass(frozen=True)
class Symbol:
    """One exported name, where it is declared, and its shape."""

    name: str
    kind: str
    path: str
    line: int
    shape: tuple[ShapeField, ...] = ()


def export_surface(entry: str, roots: Mapping[str, Node]) -> dict[str, Symbol]:
    """Every name the entry file exports, by exported name (`default` for a default export)."""
    return _surface(entry, roots, frozenset(), 0)


def _surface(path: str, roots: Mapping[str, Node], seen: frozenset[str], depth: int) -> dict[str, Symbol]:
    root = roots.get(path)
    if root is None or path in seen or depth > _MAX_DEPTH:
        return {}
    seen = seen | {path}
    local = _local_declarations(path, root)
    imported = {b.local: b for b in import_bindings(root)}
    found: dict[str, Symbol] = {}
    for statement in root.named_children:
        if statement.type != "export_statement":
            continue
        source = syntax.string_value(syntax.field(statement, "source"))
        target = resolve(path, source, roots.keys()) if source else None
        clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
        if source and clause is None:
            found.update(_star(statement, target, roots, seen, depth))
        elif clause is not None:
            found.update(_clause(path, clause, target, local, imported, roots, seen, depth))
        else:
            found.update(_declared(path, statement))
    return found


def _star(
    statement: Node, target: str | None, roots: Mapping[str, Node], seen: frozenset[str], depth: int
) -> dict[str, Symbol]:
    namespace = next((c for c in statement.named_children if c.type in ("namespace_export", "identifier")), None)
    if namespace is not None:
        name = syntax.text(namespace.named_children[-1] if namespace.named_children else namespace)
        return {name: Symbol(name, "namespace", target or "", syntax.line(statement))}
    inner = _surface(target, roots, seen, depth + 1) if target else {}
    return {k: v for k, v in inner.items() if k != "default"}


def _clause(
    path: str,
    clause: Node,
    target: str | None,
    local: Mapping[str, Symbol],
    imported: Mapping[str, Binding],
    roots: Mapping[str, Node],
    seen: frozenset[str],
    depth: int,
) -> dict[str, Symbol]:
    found = {}
    for spec in clause.named_children:
        name = syntax.text(syntax.field(spec, "name"))
        alias = syntax.text(syntax.field(spec, "alias")) or name
        symbol = _lookup(path, name, target, local, imported, roots, seen, depth)
        found[alias] = (
            Symbol(alias, symbol.kind, symbol.path, symbol.line, symbol.shape)
            if symbol
            else Symbol(alias, "unknown", path, syntax.line(spec))
        )
    return found


def _lookup(
    path: str,
    name: str,
    target: str | None,
    local: Mapping[str, Symbol],
    imported: Mapping[str, Binding],
    roots: Mapping[str, Node],
    seen: frozenset[str],
    depth: int,
) -> Symbol | None:
    """What `export { name }` refers to: in the re-exported module, a local declaration, or an import."""
    if target is not None:
        return _surface(target, roots, seen, depth + 1).get(name)
    if name in local:
        return local[name]
    binding = imported.get(name)
    source = resolve(path, binding.source, roots.keys()) if binding is not None else None
    if binding is None or source is None:
        return None
    return _surface(source, roots, seen, depth + 1).get(binding.imported)


def _declared(path: str, statement: Node) -> dict[str, Symbol]:
    declaration = syntax.field(statement, "declaration") or syntax.field(statement, "value")
    if declaration is None:
        return {}
    is_default = any(c.type == "default" for c in statement.children)
    symbols = _symbols(path, declaration)
    if is_default:
        first = symbols[0] if symbols else Symbol("default", "value", path, syntax.line(statement))
        return {"default": Symbol("default", first.kind, path, first.line, first.shape)}
    return {s.name: s for s in symbols}


def _local_declarations(path: str, root: Node) -> dict[str, Symbol]:
    found: dict[str, Symbol] = {}
    for statement in root.named_children:
        node = syntax.field(statement, "declaration") if statement.type == "export_statement" else statement
        for symbol in _symbols(path, node) if node is not None else []:
            found.setdefault(symbol.name, symbol)
    return found


def _symbols(path: str, node: Node) -> list[Symbol]:
    if node.type in _DECLARATIONS:
        name = syntax.text(syntax.field(node, "name"))
        kind = node.type.removesuffix("_declaration").replace("type_alias", "type")
        return [Symbol(name, kind, path, syntax.line(node), _shape(node))]
    if node.type in ("lexical_declaration", "variable_declaration"):
        return [
            Symbol(
                syntax.text(syntax.field(d, "name")), "const", path, syntax.line(d), _shape(syntax.field(d, "value"))
            )
            for d in node.named_children
            if d.type == "variable_declarator"
        ]
    return []


def _shape(node: Node | None) -> tuple[ShapeField, ...]:
    if node is None:
        return ()
    if node.type == "function_declaration" or node.type in _FUNCTIONS:
        return _parameters(syntax.field(node, "parameters"))
    if node.type == "type_alias_declaration":
        value = syntax.field(node, "value")
        return (
            ts_fields(value)
            if value is not None and value.type == "object_type"
            else (ShapeField("type", "=", syntax.text(value)),)
        )
    if node.type == "enum_declaration":
        body = syntax.field(node, "body")
        return (
            tuple(ShapeField("member", syntax.text(syntax.field(m, "name") or m)) for m in body.named_children)
            if body
            else ()
        )
    if node.type == "class_declaration":
        body = syntax.field(node, "body")
        methods = [
            ShapeField("method", syntax.text(syntax.field(m, "name")))
            for m in (body.named_children if body else [])
            if m.type == "method_definition" and not _private(m)
        ]
        return (*ts_fields(body), *methods)
    return ts_fields(syntax.field(node, "body")) if node.type == "interface_declaration" else ()


def _private(member: Node) -> bool:
    modifier = next((c for c in member.named_children if c.type == "accessibility_modifier"), None)
    return syntax.text(modifier) in ("private", "protected") or syntax.text(syntax.field(member, "name")).startswith(
        "#"
    )


def _parameters(params: Node | None) -> tuple[ShapeField, ...]:
    found = []
    for param in params.named_children if params is not None else []:
        if param.type not in (
            "required_parameter",
            "optional_parameter",
            "identifier",
            "assignment_pattern",
            "rest_pattern",
        ):
            continue
        pattern = syntax.field(param, "pattern") or syntax.field(param, "left") or param
        annotation = syntax.text(syntax.field(param, "type")).lstrip(":").strip()
        required = param.type in ("required_parameter", "identifier") and syntax.field(param, "value") is None
        found.append(ShapeField("arg", syntax.text(pattern), annotation, required and pattern.type != "rest_pattern"))
    return tuple(found)
