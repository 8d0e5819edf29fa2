"""Top-level declarations of a parsed file (and the members of classes), from tree-sitter trees.

Each grammar has a small classifier that says whether a node is a declaration worth its own
chunk; everything it rejects stays in the file's remaining "module" code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tree_sitter import Node

# Comments and decorators directly above a declaration belong to its chunk.
_ATTACHED = frozenset({"comment", "decorator"})
# Tiny declarations of these kinds stay in the module code rather than become chunks of their own.
_MIN_LINES = {"type": 3, "enum": 3, "property": 3}

_TS_KINDS = {
    "function_declaration": "function",
    "generator_function_declaration": "function",
    "function_expression": "function",
    "arrow_function": "function",
    "class_declaration": "class",
    "abstract_class_declaration": "class",
    "class": "class",
    "interface_declaration": "interface",
    "type_alias_declaration": "type",
    "enum_declaration": "enum",
}
_PHP_KINDS = {
    "function_definition": "function",
    "class_declaration": "class",
    "interface_declaration": "interface",
    "trait_declaration": "trait",
    "enum_declaration": "enum",
}
_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "function"})


@dataclass(frozen=True)
class Declaration:
    """A declaration's rows (0-based, inclusive, leading comments included) and its members."""

    start: int
    end: int
    kind: str
    symbol: str | None
    members: tuple[Declaration, ...] = ()


@dataclass(frozen=True)
class _Found:
    kind: str
    symbol: str | None
    body: Node | None = None


Classifier = Callable[[Node], _Found | None]


def end_row(node: Node) -> int:
    """The last row a node occupies (a node ending at column 0 ends on the row before)."""
    row, column = node.end_point
    return row - 1 if column == 0 and row > node.start_point[0] else row


def _text(node: Node | None) -> str | None:
    return node.text.decode("utf-8", "replace") if node is not None and node.text else None


def _name(node: Node) -> str | None:
    return _text(node.child_by_field_name("name"))


def _ts_top(node: Node) -> _Found | None:
    if node.type == "export_statement":
        inner = node.child_by_field_name("declaration") or node.child_by_field_name("value")
        found = _ts_top(inner) if inner is not None else None
        if found is not None and found.symbol is None:
            return _Found(found.kind, "default", found.body)
        return found
    if node.type in _TS_KINDS:
        kind = _TS_KINDS[node.type]
        body = node.child_by_field_name("body") if kind == "class" else None
        return _Found(kind, _name(node), body)
    if node.type in ("lexical_declaration", "variable_declaration"):
        for declarator in node.named_children:
            value = declarator.child_by_field_name("value")
            if declarator.type == "variable_declarator" and _holds_function(value):
                return _Found("function", _name(declarator))
    return None


def _holds_function(value: Node | None) -> bool:
    """An arrow or function expression, possibly wrapped once (`memo(() => ...)`)."""
    if value is None:
        return False
    if value.type in _FUNCTION_VALUES:
        return True
    arguments = value.child_by_field_name("arguments") if value.type == "call_expression" else None
    return arguments is not None and any(a.type in _FUNCTION_VALUES for a in arguments.children)


def _ts_member(node: Node) -> _Found | None:
    if node.type == "method_definition":
        return _Found("method", _name(node))
    if node.type == "public_field_definition" and _holds_function(node.child_by_field_name("value")):
        return _Found("method", _name(node))
    return None


def _py_top(node: Node) -> _Found | None:
    if node.type == "decorated_definition":
        definition = node.child_by_field_name("definition")
        return _py_top(definition) if definition is not None else None
    if node.type == "function_definition":
        return _Found("function", _name(node))
    if node.type == "class_definition":
        return _Found("class", _name(node), node.child_by_field_name("body"))
    return None


def _py_member(node: Node) -> _Found | None:
    found = _py_top(node)
    return _Found("method", found.symbol) if found is not None and found.kind == "function" else None


def _php_top(node: Node) -> _Found | None:
    if node.type not in _PHP_KINDS:
        return None
    kind = _PHP_KINDS[node.type]
    body = node.child_by_field_name("body") if kind in ("class", "trait", "enum") else None
    return _Found(kind, _name(node), body)


def _php_member(node: Node) -> _Found | None:
    return _Found("method", _name(node)) if node.type == "method_declaration" else None


def _json_top(node: Node) -> _Found | None:
    if node.type != "pair":
        return None
    key = node.child_by_field_name("key")
    symbol = _text(key)
    return _Found("property", symbol.strip('"') if symbol else None)


_CLASSIFIERS: dict[str, tuple[Classifier, Classifier | None]] = {
    "typescript": (_ts_top, _ts_member),
    "tsx": (_ts_top, _ts_member),
    "javascript": (_ts_top, _ts_member),
    "python": (_py_top, _py_member),
    "php": (_php_top, _php_member),
    "json": (_json_top, None),
}


def _top_level_nodes(root: Node, grammar: str) -> list[Node]:
    """The nodes that sit at file level, looking through PHP block namespaces and JSON's root."""
    nodes: list[Node] = []
    for node in root.children:
        body = node.child_by_field_name("body") if node.type == "namespace_definition" else None
        if grammar == "json" and node.type == "object":
            nodes.extend(node.children)
        elif body is not None:
            nodes.extend(body.children)
        else:
            nodes.append(node)
    return nodes


def _with_leading(siblings: list[Node]) -> Iterator[tuple[int, Node]]:
    """Each non-comment node with its start row moved up over the comments and decorators that
    sit right above it (a trailing comment on a code line does not count)."""
    lead: int | None = None
    last_end = prev_code_end = -1
    for node in siblings:
        start = node.start_point[0]
        if node.type in _ATTACHED:
            if lead is None or start > last_end + 1:
                lead = start if start > prev_code_end else None
            last_end = end_row(node)
            continue
        attached = lead is not None and start <= last_end + 1
        yield (lead if attached and lead is not None else start), node
        lead, last_end = None, end_row(node)
        prev_code_end = last_end


def _collect(siblings: list[Node], classify: Classifier, member: Classifier | None) -> list[Declaration]:
    declarations: list[Declaration] = []
    for start, node in _with_leading(siblings):
        found = classify(node)
        end = end_row(node)
        if found is None or end - start + 1 < _MIN_LINES.get(found.kind, 1):
            continue
        members: tuple[Declaration, ...] = ()
        if found.body is not None and member is not None:
            members = tuple(_collect(found.body.children, member, None))
        declarations.append(Declaration(start, end, found.kind, found.symbol, members))
    return declarations


def find_declarations(root: Node, grammar: str) -> list[Declaration]:
    """The file-level declarations of a parse tree, in file order, members included."""
    classify, member = _CLASSIFIERS[grammar]
    return _collect(_top_level_nodes(root, grammar), classify, member)
