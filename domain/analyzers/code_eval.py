"""Code built from strings at run time: eval, new Function, exec, string timers, create_function."""

from __future__ import annotations

from tree_sitter import Node

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "code_eval"
LANGUAGES = frozenset({"php", "python"}) | syntax.JS_LANGUAGES
_JS_TIMERS = frozenset({"setTimeout", "setInterval", "setImmediate"})
_JS_VM = frozenset({"runInThisContext", "runInNewContext", "runInContext", "compileFunction"})
_PHP_EVAL = frozenset({"eval", "create_function"})


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report added calls that run code given as a string."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    detect = {"php": _php_call, "python": _python_call}.get(file.language, _js_call)
    findings = []
    for node in syntax.walk(tree.root_node):
        what = detect(node)
        if what and view.is_added(syntax.line(node)):
            findings.append(
                make_finding(
                    NAME,
                    view,
                    syntax.line(node),
                    "high",
                    "security.eval",
                    f"`{what}` runs code built from a string: injection risk and no static checking.",
                    "Replace it with a lookup table, a parser (JSON.parse / json.loads / "
                    "ast.literal_eval) or a real function.",
                )
            )
    return findings


def _js_call(node: Node) -> str | None:
    if node.type == "new_expression":
        constructor = syntax.text(node.child_by_field_name("constructor"))
        return "new Function" if constructor == "Function" else None
    if node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    name = syntax.text(function)
    if name == "eval" or name == "Function":
        return name
    if function is not None and function.type == "member_expression":
        prop = syntax.text(function.child_by_field_name("property"))
        if prop in _JS_VM and syntax.text(function.child_by_field_name("object")) == "vm":
            return f"vm.{prop}"
    if name in _JS_TIMERS and _first_argument_is_string(node):
        return f"{name}(string)"
    return None


def _first_argument_is_string(call: Node) -> bool:
    arguments = call.child_by_field_name("arguments")
    first = arguments.named_children[0] if arguments and arguments.named_children else None
    return first is not None and first.type in ("string", "template_string")


def _python_call(node: Node) -> str | None:
    if node.type != "call":
        return None
    function = node.child_by_field_name("function")
    # Only the builtins: `model.eval()` (PyTorch) or `db.exec()` are other things.
    if function is not None and function.type == "identifier":
        name = syntax.text(function)
        return name if name in ("eval", "exec") else None
    return None


def _php_call(node: Node) -> str | None:
    if node.type != "function_call_expression":
        return None
    name = syntax.text(node.child_by_field_name("function")).lstrip("\\").lower()
    return name if name in _PHP_EVAL else None
