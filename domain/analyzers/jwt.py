"""JWT verification whose failure is caught and ignored, so the request carries on."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "jwt"
LANGUAGES = frozenset({"python"}) | syntax.JS_LANGUAGES
_VERIFY_METHODS = frozenset({"verify", "verifyAsync", "verifySync", "decode"})
_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "function_definition",
        "lambda",
    }
)
_EXITS = frozenset({"throw_statement", "return_statement", "raise_statement"})


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report catch/except blocks (and callbacks) that drop a JWT verification error."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    findings: list[Finding] = []
    for node in syntax.walk(tree.root_node):
        if node.type == "try_statement":
            findings.extend(_check_try(view, node))
        elif node.type == "call_expression" and _is_verify(node):
            findings.extend(_check_callback(view, node))
    return findings


def _check_try(view: SourceView, node: Node) -> list[Finding]:
    body = node.child_by_field_name("body")
    calls = [n for n in _same_function(body) if _is_verify(n)] if body is not None else []
    if not calls:
        return []
    findings = []
    for handler in node.named_children:
        if handler.type not in ("catch_clause", "except_clause") or not _swallows(handler):
            continue
        line = syntax.line(handler)
        if not view.is_added(line):
            line = next((syntax.line(c) for c in calls if view.is_added(syntax.line(c))), 0)
        if line:
            findings.append(_finding(view, line))
    return findings


def _swallows(handler: Node) -> bool:
    block = handler.child_by_field_name("body") or next((c for c in handler.named_children if c.type == "block"), None)
    return block is not None and not any(n.type in _EXITS for n in _same_function(block))


def _check_callback(view: SourceView, call: Node) -> list[Finding]:
    arguments = call.child_by_field_name("arguments")
    args = arguments.named_children if arguments is not None else []
    callback = args[-1] if len(args) >= 3 else None
    if callback is None or callback.type not in ("arrow_function", "function_expression"):
        return []
    params = callback.child_by_field_name("parameters") or callback.child_by_field_name("parameter")
    names = [n for n in syntax.walk(params) if n.type == "identifier"] if params else []
    error = syntax.text(names[0]) if names else None
    body = callback.child_by_field_name("body")
    used = (
        error is not None
        and body is not None
        and any(n.type == "identifier" and syntax.text(n) == error for n in syntax.walk(body))
    )
    if used or not view.is_added(syntax.line(call)):
        return []
    return [_finding(view, syntax.line(call))]


def _is_verify(node: Node) -> bool:
    if node.type not in ("call_expression", "call"):
        return False
    function = node.child_by_field_name("function")
    if function is None:
        return False
    if syntax.text(function) == "jwtVerify":  # jose
        return True
    if function.type not in ("member_expression", "attribute"):
        return False
    method = function.child_by_field_name("property") or function.child_by_field_name("attribute")
    receiver = function.child_by_field_name("object")
    return syntax.text(method) in _VERIFY_METHODS and "jwt" in syntax.text(receiver).lower()


def _same_function(node: Node) -> Iterator[Node]:
    stack = list(node.named_children)
    while stack:
        current = stack.pop()
        yield current
        if current.type not in _FUNCTIONS:
            stack.extend(current.named_children)


def _finding(view: SourceView, line: int) -> Finding:
    return make_finding(
        NAME,
        view,
        line,
        "high",
        "security.jwt-error-swallowed",
        "A failed JWT verification is caught and ignored: the request goes on as if the token were fine (or absent).",
        "Reject the request (throw UnauthorizedException / return 401), or treat the user as "
        "anonymous explicitly and log why.",
    )
