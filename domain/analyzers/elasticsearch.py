"""Elasticsearch: script queries whose source is built from values instead of `params`."""

from __future__ import annotations

from tree_sitter import Node

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "elasticsearch"
LANGUAGES = frozenset({"python"}) | syntax.JS_LANGUAGES
_SOURCE_KEYS = frozenset({"source", "inline"})
_OBJECTS = frozenset({"object", "dictionary"})


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report `script` sources (painless) assembled by interpolation or concatenation."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    findings = []
    for node in syntax.walk(tree.root_node):
        if node.type != "pair" or _key(node) != "script":
            continue
        source = _script_source(node.child_by_field_name("value"))
        line = view.first_added_in(source) if source is not None and _built(source) else None
        if line is not None:
            findings.append(
                make_finding(
                    NAME,
                    view,
                    line,
                    "high",
                    "es.script-query",
                    "Elasticsearch script source is built from values: script injection, and "
                    "every distinct source is compiled again (compilation-rate limits).",
                    "Keep the script source constant and pass values through `params` "
                    "(`params.threshold` in painless).",
                )
            )
    return findings


def _key(pair: Node) -> str:
    key = pair.child_by_field_name("key")
    return syntax.text(key).strip("'\"`") if key is not None else ""


def _script_source(value: Node | None) -> Node | None:
    if value is None or value.type not in _OBJECTS:
        return value  # legacy form: "script": "<source>"
    for pair in value.named_children:
        if pair.type == "pair" and _key(pair) in _SOURCE_KEYS:
            return pair.child_by_field_name("value")
    return None


def _built(node: Node) -> bool:
    node = syntax.unwrap_parens(node) or node
    if node.type == "template_string":
        return any(child.type == "template_substitution" for child in node.named_children)
    if node.type == "string":  # a Python f-string carries interpolation children
        return any(child.type == "interpolation" for child in node.named_children)
    if node.type in ("binary_expression", "binary_operator"):
        sides = (node.child_by_field_name("left"), node.child_by_field_name("right"))
        literal = all(side is not None and side.type == "string" for side in sides)
        return syntax.text(node.child_by_field_name("operator")) in ("+", "%") and not literal
    if node.type == "call":
        function = node.child_by_field_name("function")
        return function is not None and syntax.text(function).endswith(".format")
    return False
