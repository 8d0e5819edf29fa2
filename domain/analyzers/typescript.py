"""TypeScript/JavaScript: `let` bindings that are never reassigned (should be `const`)."""

from __future__ import annotations

from tree_sitter import Node

from domain.analyzers import syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "typescript"
LANGUAGES = syntax.JS_LANGUAGES
_SCOPES = frozenset({"statement_block", "program", "switch_body", "class_static_block"})
_ASSIGNMENTS = frozenset({"assignment_expression", "augmented_assignment_expression"})
_PATTERN_NAMES = frozenset({"identifier", "shorthand_property_identifier_pattern"})


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report added `let` declarations whose bindings are never written again in their scope."""
    view = ctx.source(file)
    tree = view.tree()
    if tree is None:
        return []
    findings = []
    for node in syntax.walk(tree.root_node):
        if node.type == "lexical_declaration" and view.is_added(syntax.line(node)):
            finding = _check_declaration(view, node)
            if finding:
                findings.append(finding)
    return findings


def _check_declaration(view: SourceView, node: Node) -> Finding | None:
    if _keyword(node) != "let":
        return None
    declarators = [child for child in node.named_children if child.type == "variable_declarator"]
    # `let x;` is assigned later by design; a missing initializer is not this rule's business.
    if not declarators or any(d.child_by_field_name("value") is None for d in declarators):
        return None
    scope = _scope(node)
    if scope is None or not _fully_visible(view, scope):
        return None
    names = {n for d in declarators for n in _bound_names(d.child_by_field_name("name"))}
    if not names or names & _reassigned(scope):
        return None
    shown = ", ".join(sorted(names))
    return make_finding(
        NAME,
        view,
        syntax.line(node),
        "low",
        "ts.let-never-reassigned",
        f"`let {shown}` is never reassigned; declare it with `const`.",
        _as_const(view, node) or "Replace `let` with `const` so readers and the compiler know the binding is fixed.",
    )


def _as_const(view: SourceView, node: Node) -> str | None:
    """The declaration's line with `let` made `const`, as an exact replacement (a fenced block),
    when the declaration is on one line; None otherwise."""
    row, column = node.start_point.row, node.start_point.column
    if node.end_point.row != row or row >= len(view.lines):
        return None
    text = view.lines[row]
    if text[column : column + 4] != "let ":
        return None
    return f"```ts\n{text[:column]}const{text[column + 3 :]}\n```"


def _keyword(node: Node) -> str:
    kind = node.child_by_field_name("kind")
    if kind is None and node.children:
        kind = node.children[0]
    return syntax.text(kind)


def _scope(node: Node) -> Node | None:
    return next((a for a in syntax.ancestors(node) if a.type in _SCOPES), None)


def _fully_visible(view: SourceView, scope: Node) -> bool:
    # Without the whole scope a reassignment may hide in lines the diff does not show.
    if scope.has_error:
        return False
    if view.complete:
        return True
    if scope.type == "program":
        return False
    rows = range(syntax.line(scope), syntax.end_line(scope) + 1)
    return all(row in view.known for row in rows)


def _bound_names(pattern: Node | None) -> set[str]:
    if pattern is None:
        return set()
    return {syntax.text(n) for n in syntax.walk(pattern) if n.type in _PATTERN_NAMES and not _inside_member(n, pattern)}


def _inside_member(node: Node, stop: Node) -> bool:
    for parent in syntax.ancestors(node):
        if parent.type in ("member_expression", "subscript_expression"):
            return True
        if parent == stop:
            return False
    return False


def _reassigned(scope: Node) -> set[str]:
    written: set[str] = set()
    for node in syntax.walk(scope):
        if node.type in _ASSIGNMENTS:
            written |= _bound_names(node.child_by_field_name("left"))
        elif node.type == "update_expression":
            written |= _bound_names(node.child_by_field_name("argument"))
        elif node.type == "for_in_statement" and node.child_by_field_name("kind") is None:
            written |= _bound_names(node.child_by_field_name("left"))
    return written
