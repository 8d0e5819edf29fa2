"""Thin helpers over tree-sitter: grammars by name, cached parses and queries, node walking.

Only the per-language grammar wheels are used: they ship compiled grammars and work offline.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, lru_cache

import tree_sitter_javascript
import tree_sitter_json
import tree_sitter_php
import tree_sitter_python
import tree_sitter_typescript
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

_GRAMMAR_LOADERS = {
    "typescript": tree_sitter_typescript.language_typescript,
    "tsx": tree_sitter_typescript.language_tsx,
    "javascript": tree_sitter_javascript.language,
    "php": tree_sitter_php.language_php,
    "python": tree_sitter_python.language,
    "json": tree_sitter_json.language,
}
# File language (domain.diff.Language) → grammar; JSX lives in the JavaScript grammar.
GRAMMAR_FOR_LANGUAGE = {
    "typescript": "typescript",
    "tsx": "tsx",
    "javascript": "javascript",
    "jsx": "javascript",
    "php": "php",
    "python": "python",
    "json": "json",
}
JS_LANGUAGES = frozenset({"typescript", "tsx", "javascript", "jsx"})


@cache
def grammar(name: str) -> Language:
    """The tree-sitter Language for a grammar name (see GRAMMAR_FOR_LANGUAGE)."""
    return Language(_GRAMMAR_LOADERS[name]())


@lru_cache(maxsize=64)
def parse(grammar_name: str, text: str) -> Tree:
    """Parse text; cached because several analyzers and rules look at the same file."""
    return Parser(grammar(grammar_name)).parse(text.encode("utf-8"))


@lru_cache(maxsize=256)
def compile_query(grammar_name: str, source: str) -> Query:
    """Compile a query (raises tree_sitter.QueryError on a bad one)."""
    return Query(grammar(grammar_name), source)


def captures(query: Query, node: Node) -> dict[str, list[Node]]:
    """Captures by name, with the #eq?/#match?/#any-of? predicates applied."""
    return QueryCursor(query).captures(node)


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
    """1-based line of the node's start; source views keep rows aligned with new-side lines."""
    return node.start_point.row + 1


def end_line(node: Node) -> int:
    """1-based line of the node's last character."""
    return node.end_point.row + 1


def ancestors(node: Node) -> Iterator[Node]:
    """Parents of `node`, nearest first."""
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def unwrap_parens(node: Node | None) -> Node | None:
    """Strip any parenthesized_expression wrappers."""
    while node is not None and node.type == "parenthesized_expression":
        inner = [child for child in node.named_children if child.type != "comment"]
        node = inner[0] if inner else None
    return node
