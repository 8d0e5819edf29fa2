"""PHP: values echoed without HTML escaping, and debug output left in the code."""

from __future__ import annotations

import re

from tree_sitter import Node

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "php"
LANGUAGES = frozenset({"php"})
# Calls that return their (string) argument transformed but not escaped.
_PASS_THROUGH = frozenset(
    {
        "trim",
        "ltrim",
        "rtrim",
        "strtoupper",
        "strtolower",
        "ucfirst",
        "ucwords",
        "nl2br",
        "substr",
        "mb_substr",
        "sprintf",
        "implode",
        "join",
        "str_replace",
        "strip_tags",
        "stripslashes",
    }
)
_VALUE_TYPES = frozenset(
    {
        "variable_name",
        "member_access_expression",
        "nullsafe_member_access_expression",
        "subscript_expression",
        "scoped_property_access_expression",
        "dynamic_variable_name",
    }
)
# Nodes whose value is unsafe when any part of it is.
_CONTAINERS = frozenset(
    {
        "binary_expression",
        "sequence_expression",
        "encapsed_string",
        "parenthesized_expression",
        "cast_expression",
        "argument",
        "heredoc",
        "heredoc_body",
    }
)
_SAFE_CASTS = re.compile(r"^\(\s*(int|integer|float|double|bool|boolean)\s*\)")
_LIVE_DEBUG = frozenset({"var_dump", "print_r", "var_export", "dd", "dump", "debug_zval_dump", "phpinfo"})
_DEBUG_IN_COMMENT = re.compile(r"\b(var_dump|print_r|var_export|dd|dump|die|exit|debug_print_backtrace)\s*\(")


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report unescaped echo/print/`<?=` output and var_dump-style debug leftovers."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    findings: list[Finding] = []
    for node in syntax.walk(tree.root_node):
        output = _output_expressions(node)
        values = [value for expression in output for value in _unescaped(expression)]
        if values and view.is_added(syntax.line(node)):
            findings.append(_output_finding(view, node, values))
        elif node.type == "function_call_expression":
            findings.extend(_check_live_debug(view, node))
        elif node.type == "comment":
            findings.extend(_check_comment(view, node))
    return findings


def _output_expressions(node: Node) -> list[Node]:
    if node.type in ("echo_statement", "print_intrinsic"):
        return list(node.named_children)
    if node.type == "expression_statement" and _after_short_echo_tag(node):
        return list(node.named_children)
    return []


def _after_short_echo_tag(node: Node) -> bool:
    # The `<?=` token is often the last child of the preceding text_interpolation node.
    previous = node.prev_sibling
    while previous is not None and previous.child_count:
        previous = previous.children[-1]
    return previous is not None and previous.type == "php_tag" and syntax.text(previous) == "<?="


def _unescaped(node: Node) -> list[Node]:
    """The user-controllable values in `node` that reach the output without escaping."""
    if node.type in _VALUE_TYPES:
        return [node]
    if node.type == "function_call_expression":
        name = syntax.text(node.child_by_field_name("function")).lstrip("\\").lower()
        if name in _PASS_THROUGH:
            return [value for arg in _arguments(node) for value in _unescaped(arg)]
        return []  # escaping (htmlspecialchars, esc_html, intval...) or unknown: do not guess
    if node.type == "cast_expression" and _SAFE_CASTS.match(syntax.text(node)):
        return []
    if node.type == "conditional_expression":
        branches = (node.child_by_field_name("body"), node.child_by_field_name("alternative"))
        return [value for b in branches if b is not None for value in _unescaped(b)]
    if node.type in _CONTAINERS:
        return [value for child in node.named_children for value in _unescaped(child)]
    return []


def _arguments(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    return list(arguments.named_children) if arguments is not None else []


def _output_finding(view: SourceView, node: Node, values: list[Node]) -> Finding:
    shown = syntax.text(values[0])
    return make_finding(
        NAME,
        view,
        syntax.line(node),
        "high",
        "php.unescaped-output",
        f"`{shown}` is printed into the page without HTML escaping (cross-site scripting).",
        f"Escape it: `htmlspecialchars({shown}, ENT_QUOTES, 'UTF-8')`.",
    )


def _check_live_debug(view: SourceView, call: Node) -> list[Finding]:
    name = syntax.text(call.child_by_field_name("function")).lstrip("\\").lower()
    if name not in _LIVE_DEBUG or not view.is_added(syntax.line(call)):
        return []
    # print_r($x, true) and var_export($x, true) return a string instead of printing it.
    if name in ("print_r", "var_export") and len(_arguments(call)) > 1:
        return []
    return [
        make_finding(
            NAME,
            view,
            syntax.line(call),
            "medium",
            "php.debug-leftover",
            f"`{name}()` prints debug output to the page.",
            "Remove it, or log through the application's logger.",
        )
    ]


def _check_comment(view: SourceView, comment: Node) -> list[Finding]:
    match = _DEBUG_IN_COMMENT.search(syntax.text(comment))
    if match is None:
        return []
    line = syntax.line(comment) + syntax.text(comment)[: match.start()].count("\n")
    if not view.is_added(line):
        return []
    return [
        make_finding(
            NAME,
            view,
            line,
            "low",
            "php.debug-leftover",
            f"Commented-out debug code (`{match.group(1)}(`) left in the change.",
            "Delete commented-out debugging before merging; version control keeps history.",
        )
    ]
