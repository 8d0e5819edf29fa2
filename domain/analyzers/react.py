"""React: hooks called conditionally, and list items rendered by `.map` without a `key`."""

from __future__ import annotations

import re

from tree_sitter import Node

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "react"
LANGUAGES = syntax.JS_LANGUAGES
_JSX_LANGUAGES = frozenset({"tsx", "jsx", "javascript"})
_HOOK = re.compile(r"^(React\.)?use[A-Z0-9]\w*$")
_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
    }
)
# Parent type → the fields of it under which code runs only sometimes.
_CONDITIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "if_statement": ("consequence", "alternative"),
    "ternary_expression": ("consequence", "alternative"),
    "binary_expression": ("right",),
    "for_statement": ("body", "condition", "increment"),
    "for_in_statement": ("body",),
    "while_statement": ("body", "condition"),
    "do_statement": ("body", "condition"),
}
_ALWAYS_CONDITIONAL = frozenset({"switch_case", "switch_default", "catch_clause"})
_JSX = frozenset({"jsx_element", "jsx_self_closing_element"})


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report conditional hook calls and keyless JSX returned from `.map` callbacks."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    findings: list[Finding] = []
    for node in syntax.walk(tree.root_node):
        if node.type != "call_expression":
            continue
        findings.extend(_check_hook(view, node))
        if file.language in _JSX_LANGUAGES:
            findings.extend(_check_map(view, node))
    return findings


def _check_hook(view: SourceView, call: Node) -> list[Finding]:
    name = syntax.text(call.child_by_field_name("function"))
    if not _HOOK.match(name) or not view.is_added(syntax.line(call)):
        return []
    condition = _enclosing_condition(call)
    if condition is None:
        return []
    return [
        make_finding(
            NAME,
            view,
            syntax.line(call),
            "high",
            "react.hook-in-condition",
            f"`{name}` is called inside a {condition.replace('_', ' ')}: hooks must run in the "
            "same order on every render.",
            "Call the hook unconditionally at the top of the component and branch on its result.",
        )
    ]


def _enclosing_condition(node: Node) -> str | None:
    child = node
    for parent in syntax.ancestors(node):
        if parent.type in _FUNCTIONS:
            return None
        if parent.type in _ALWAYS_CONDITIONAL:
            return parent.type
        fields = _CONDITIONAL_FIELDS.get(parent.type, ())
        if parent.type == "binary_expression" and syntax.text(parent.child_by_field_name("operator")) not in (
            "&&",
            "||",
            "??",
        ):
            fields = ()
        if any(parent.child_by_field_name(field) == child for field in fields):
            return parent.type
        child = parent
    return None


def _check_map(view: SourceView, call: Node) -> list[Finding]:
    function = call.child_by_field_name("function")
    if function is None or function.type != "member_expression":
        return []
    if syntax.text(function.child_by_field_name("property")) not in ("map", "flatMap"):
        return []
    arguments = call.child_by_field_name("arguments")
    callback = arguments.named_children[0] if arguments and arguments.named_children else None
    if callback is None or callback.type not in ("arrow_function", "function_expression"):
        return []
    return [
        _missing_key(view, element)
        for element in _returned_jsx(callback)
        if view.is_added(syntax.line(element)) and not _has_key(element)
    ]


def _returned_jsx(callback: Node) -> list[Node]:
    body = callback.child_by_field_name("body")
    if body is None:
        return []
    if body.type != "statement_block":
        return _jsx_values(body)
    results: list[Node] = []
    for node in _walk_same_function(body):
        if node.type == "return_statement" and node.named_children:
            results.extend(_jsx_values(node.named_children[0]))
    return results


def _walk_same_function(body: Node) -> list[Node]:
    found, stack = [], list(body.named_children)
    while stack:
        node = stack.pop()
        found.append(node)
        if node.type not in _FUNCTIONS:
            stack.extend(node.named_children)
    return found


def _jsx_values(node: Node | None) -> list[Node]:
    node = syntax.unwrap_parens(node)
    if node is None:
        return []
    if node.type in _JSX:
        return [node]
    if node.type == "ternary_expression":
        return _jsx_values(node.child_by_field_name("consequence")) + _jsx_values(
            node.child_by_field_name("alternative")
        )
    if node.type == "binary_expression":
        return _jsx_values(node.child_by_field_name("right"))
    return []


def _has_key(element: Node) -> bool:
    tag = element.child_by_field_name("open_tag") if element.type == "jsx_element" else element
    if tag is None:
        return True
    for attribute in tag.named_children:
        if attribute.type == "jsx_expression":
            return True  # `{...props}` may carry the key; do not guess.
        first = attribute.named_children[0] if attribute.named_children else None
        if attribute.type == "jsx_attribute" and syntax.text(first) == "key":
            return True
    return False


def _missing_key(view: SourceView, element: Node) -> Finding:
    tag = element.child_by_field_name("open_tag") if element.type == "jsx_element" else element
    fragment = tag is not None and tag.child_by_field_name("name") is None
    suggestion = (
        "A `<>` fragment cannot take a key: use `<Fragment key={item.id}>`."
        if fragment
        else "Add a stable `key` (an id, not the array index) to the outermost element."
    )
    return make_finding(
        NAME,
        view,
        syntax.line(element),
        "medium",
        "react.list-missing-key",
        "Element rendered from `.map` has no `key`: React cannot track items between renders.",
        suggestion,
    )
