"""JS/TS/Python: SQL built by interpolation or concatenation instead of bound parameters."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tree_sitter import Node

from domain.analyzers import sql_text, syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "string_sql"
LANGUAGES = frozenset({"python"}) | syntax.JS_LANGUAGES
# Interpolating constants (table names) is not injection: ALL_CAPS names, optionally qualified.
_CONSTANT = re.compile(r"^[\w.]*\b[A-Z][A-Z0-9_]*$")
_LITERALS = frozenset({"string", "number", "integer", "float", "true", "false", "none", "null"})
_SUGGESTIONS = {
    "python": "Pass values separately: `cursor.execute(sql, params)` / asyncpg `$1` placeholders.",
    "js": "Use placeholders (`$1`, `?`) with a values array, or the driver's tagged `sql` template.",
}


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report SQL text that splices in non-constant values."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    check = _check_python if file.language == "python" else _check_js
    findings = []
    for node in syntax.walk(tree.root_node):
        if check(node):
            line = view.first_added_in(node)
            if line is not None:
                findings.append(_finding(view, line, file.language))
    return findings


def _check_js(node: Node) -> bool:
    if node.type == "template_string":
        parent = node.parent
        tagged = parent is not None and parent.type == "call_expression"
        values = [c for c in node.named_children if c.type == "template_substitution"]
        return not tagged and _is_sql(node) and _any_dynamic(_first_children(values))
    if node.type == "binary_expression" and _operator(node) == "+":
        return _top_concatenation(node, "+") and _sql_concatenation(node, "+")
    return False


def _check_python(node: Node) -> bool:
    if node.type == "string" and _is_fstring(node):
        values = [c for c in node.named_children if c.type == "interpolation"]
        return _is_sql(node) and _any_dynamic(_first_children(values))
    if node.type == "binary_operator" and _operator(node) in ("+", "%"):
        return _top_concatenation(node, _operator(node)) and _sql_concatenation(node, _operator(node))
    if node.type == "call":
        function = node.child_by_field_name("function")
        if function is not None and function.type == "attribute":
            receiver = function.child_by_field_name("object")
            named = syntax.text(function.child_by_field_name("attribute"))
            if named == "format" and receiver is not None and _is_sql_literal(receiver):
                return _any_dynamic(_call_values(node))
    return False


def _first_children(nodes: list[Node]) -> list[Node]:
    return [node.named_children[0] for node in nodes if node.named_children]


def _call_values(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    values = []
    for argument in arguments.named_children if arguments is not None else []:
        value = argument.child_by_field_name("value") if argument.type == "keyword_argument" else argument
        values.append(value if value is not None else argument)
    return values


def _operator(node: Node) -> str:
    return syntax.text(node.child_by_field_name("operator"))


def _top_concatenation(node: Node, operator: str) -> bool:
    parent = syntax.unwrap_parens(node.parent)
    return not (parent is not None and parent.type == node.type and _operator(parent) == operator)


def _sql_concatenation(node: Node, operator: str) -> bool:
    operands = _flatten(node, operator)
    if not any(_is_sql_literal(operand) for operand in operands):
        return False
    if operator == "%":
        return _any_dynamic(operands[1:])
    return _any_dynamic(operand for operand in operands if operand.type != "string")


def _flatten(node: Node, operator: str) -> list[Node]:
    if node.type in ("binary_expression", "binary_operator") and _operator(node) == operator:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        return _flatten_opt(left, operator) + _flatten_opt(right, operator)
    return [node]


def _flatten_opt(node: Node | None, operator: str) -> list[Node]:
    return _flatten(node, operator) if node is not None else []


def _is_sql_literal(node: Node) -> bool:
    return node.type in ("string", "template_string") and _is_sql(node)


def _is_sql(node: Node) -> bool:
    return sql_text.SQL_START.search(sql_text.string_pieces(node)) is not None


def _is_fstring(node: Node) -> bool:
    start = node.named_children[0] if node.named_children else None
    return start is not None and "f" in syntax.text(start).rstrip("'\"").lower()


def _any_dynamic(values: Iterable[Node]) -> bool:
    return any(not _constant(value) for value in values)


def _constant(node: Node) -> bool:
    if node.type in _LITERALS:
        return True
    if node.type in ("tuple", "parenthesized_expression", "expression_list", "dictionary"):
        return all(_constant(child) for child in node.named_children)
    return _CONSTANT.match(syntax.text(node)) is not None


def _finding(view: SourceView, line: int, language: str) -> Finding:
    suggestion = _SUGGESTIONS["python" if language == "python" else "js"]
    return make_finding(
        NAME,
        view,
        line,
        "high",
        "sql.string-built-query",
        "SQL is built by splicing values into the query text: an injection risk.",
        suggestion,
    )
