"""Tree-sitter helpers for the impact extractors: parse by path, walk, read literals.

Uses the offline grammars of domain.chunking.languages (typescript, tsx, javascript, python,
php, json). Files without a grammar parse to None and the callers skip them or fall back to
their own scanners (SQL, Prisma).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from tree_sitter import Node, Tree

from domain.chunking.languages import grammar_for_path, new_parser

JS_GRAMMARS = frozenset({"typescript", "tsx", "javascript"})
STRING_TYPES = frozenset({"string", "template_string"})


@lru_cache(maxsize=512)
def _parse(grammar: str, text: str) -> Tree:
    return new_parser(grammar).parse(text.encode("utf-8"))


def parse(path: str, text: str) -> Node | None:
    """The root node of a file, None when no grammar reads it."""
    grammar = grammar_for_path(path)
    return _parse(grammar, text).root_node if grammar else None


def is_js(path: str) -> bool:
    """TypeScript or JavaScript (with JSX)."""
    return grammar_for_path(path) in JS_GRAMMARS


def walk(node: Node) -> Iterator[Node]:
    """Every node under (and including) `node`, in document order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def text(node: Node | None) -> str:
    """Source text of a node ('' for None)."""
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", errors="replace")


def line(node: Node) -> int:
    """1-based line of the node's start."""
    return node.start_point.row + 1


def field(node: Node | None, name: str) -> Node | None:
    """A named field of a node, None-safe."""
    return None if node is None else node.child_by_field_name(name)


def arguments(call: Node) -> list[Node]:
    """Argument nodes of a call (JS `arguments`, Python `argument_list`), comments left out."""
    args = call.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type != "comment"] if args is not None else []


def function_of(call: Node) -> Node | None:
    """The called expression. `await api.get<T>(url)` parses as a call of `await api.get`
    (the type arguments confuse the grammar), so an await around it is looked through."""
    function = call.child_by_field_name("function")
    if function is not None and function.type == "await_expression" and function.named_children:
        return function.named_children[0]
    return function


def callee(call: Node) -> str:
    """The called expression as written: `axios.get`, `this.http.post`, `Controller`."""
    return text(function_of(call))


def string_value(node: Node | None) -> str | None:
    """The text of a string literal with no interpolation; None for anything else."""
    if node is None:
        return None
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        return text(node)[1:-1]
    if node.type != "string":
        return None
    if any(c.type == "interpolation" for c in node.named_children):
        return None
    raw = text(node).lstrip("rbuRBUfF")
    quote = 3 if raw[:3] in ('"""', "'''") else 1
    return raw[quote:-quote] if len(raw) >= 2 * quote else None


def decorators(node: Node) -> list[Node]:
    """Decorators written on a class, method or field: its own children, those of a wrapping
    `export` statement, and (TypeScript class members) the decorator siblings just before it."""
    found = [c for c in node.children if c.type == "decorator"]
    parent = node.parent
    if parent is not None and parent.type in ("export_statement", "decorated_definition"):
        found = [c for c in parent.children if c.type == "decorator"] + found
    previous = node.prev_named_sibling
    stacked: list[Node] = []
    while previous is not None and previous.type == "decorator":
        stacked.insert(0, previous)
        previous = previous.prev_named_sibling
    return stacked + found


def decorator_call(decorator: Node) -> tuple[str, list[Node]]:
    """(name, arguments) of `@Name(args)`; a bare `@Name` has no arguments."""
    inner = decorator.named_children[0] if decorator.named_children else None
    if inner is not None and inner.type in ("call_expression", "call"):
        return callee(inner).rsplit(".", 1)[-1], arguments(inner)
    return text(inner).rsplit(".", 1)[-1], []
