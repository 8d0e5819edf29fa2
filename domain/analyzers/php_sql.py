"""PHP: SQL text built by concatenating or interpolating variables (SQL injection)."""

from __future__ import annotations

import re

from tree_sitter import Node

from domain.analyzers import sql_text, syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding, Severity

NAME = "php_sql"
LANGUAGES = frozenset({"php"})
# Values a request controls; a query built from them directly is critical, not just high.
_SUPERGLOBAL = re.compile(r"\$_(GET|POST|REQUEST|COOKIE|SERVER|FILES)\b")
_DYNAMIC = frozenset(
    {
        "variable_name",
        "member_access_expression",
        "nullsafe_member_access_expression",
        "subscript_expression",
        "scoped_property_access_expression",
        "dynamic_variable_name",
    }
)
_STRINGS = frozenset({"string", "encapsed_string", "heredoc", "nowdoc"})


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report SQL strings that splice PHP variables into the query text."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    findings = []
    for node in syntax.walk(tree.root_node):
        values = _spliced_values(node)
        line = view.first_added_in(node) if values else None
        if line is not None:
            findings.append(_finding(view, line, values))
    return findings


def _spliced_values(node: Node) -> list[Node]:
    """Variables spliced into SQL by this node (a string or a top-level `.` chain)."""
    standalone = _parent_operator(node) != "."
    if node.type in ("encapsed_string", "heredoc") and standalone and _is_sql(node):
        return _interpolated(node)
    if node.type == "binary_expression" and _operator(node) == ".":
        if _parent_operator(node) == ".":
            return []  # the top of the chain reports the whole concatenation
        operands = _flatten(node)
        if any(op.type in _STRINGS and _is_sql(op) for op in operands):
            return [v for op in operands for v in _dynamic_parts(op)]
    return []


def _flatten(node: Node) -> list[Node]:
    if node.type == "binary_expression" and _operator(node) == ".":
        return [part for child in _sides(node) for part in _flatten(child)]
    inner = syntax.unwrap_parens(node)
    return [inner] if inner is not None else []


def _sides(node: Node) -> list[Node]:
    sides = (node.child_by_field_name("left"), node.child_by_field_name("right"))
    return [side for side in sides if side is not None]


def _dynamic_parts(node: Node) -> list[Node]:
    if node.type in _DYNAMIC:
        return [node]
    if node.type in ("encapsed_string", "heredoc"):
        return _interpolated(node)
    return []  # literals, constants, casts and calls: do not guess


def _interpolated(node: Node) -> list[Node]:
    body = next((c for c in node.named_children if c.type == "heredoc_body"), node)
    return [child for child in body.named_children if child.type in _DYNAMIC]


def _is_sql(node: Node) -> bool:
    return sql_text.SQL_START.search(syntax.text(node)) is not None


def _operator(node: Node) -> str:
    return syntax.text(node.child_by_field_name("operator"))


def _parent_operator(node: Node) -> str | None:
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None or parent.type != "binary_expression":
        return None
    return _operator(parent)


def _finding(view: SourceView, line: int, values: list[Node]) -> Finding:
    names = ", ".join(dict.fromkeys(f"`{syntax.text(v)}`" for v in values))
    from_request = any(_SUPERGLOBAL.search(syntax.text(v)) for v in values)
    severity: Severity = "critical" if from_request else "high"
    return make_finding(
        NAME,
        view,
        line,
        severity,
        "php.sql-concatenation",
        f"SQL is built by splicing {names} into the query text: an injection risk.",
        "Use a prepared statement with placeholders (`:name` or `?`) and pass the values to `execute()`.",
    )
