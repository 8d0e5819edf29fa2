"""SQL: UPDATE/DELETE without WHERE and `SELECT *`, in .sql files and in SQL string literals."""

from __future__ import annotations

import bisect

from tree_sitter import Node

from domain.analyzers import sql_text, syntax
from domain.analyzers.context import AnalyzerContext, make_finding
from domain.analyzers.source import SourceView
from domain.diff import FileDiff
from domain.findings import Finding

NAME = "sql"
LANGUAGES = frozenset({"sql", "php", "python"}) | syntax.JS_LANGUAGES
_CONCATENATION_PARENTS = frozenset({"binary_expression", "binary_operator", "concatenated_string", "attribute"})
_MESSAGES = {
    "update": (
        "sql.update-without-where",
        "UPDATE without WHERE changes every row of the table.",
    ),
    "delete": (
        "sql.delete-without-where",
        "DELETE without WHERE removes every row of the table.",
    ),
}


def analyze(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    """Report risky SQL in added lines of .sql files and of SQL strings in code."""
    view = ctx.source(file)
    if file.language == "sql":
        return _analyze_sql_file(view)
    tree = view.tree()
    if tree is None:
        return []
    findings: list[Finding] = []
    for node in syntax.walk(tree.root_node):
        if node.type in sql_text.STRING_TYPES and node.parent is not None:
            findings.extend(_check_literal(view, node))
    return findings


def _analyze_sql_file(view: SourceView) -> list[Finding]:
    text = view.text
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    findings: list[Finding] = []
    for statement in sql_text.split_statements(text):
        body = statement.text.lstrip()
        first = line_of(statement.start + len(statement.text) - len(body))
        last = line_of(statement.start + len(statement.text.rstrip()))
        span = range(first, last + 1)
        kind = sql_text.missing_where(body)
        # An unterminated statement at the end of a hunk may continue (with its WHERE) below.
        visible = (statement.terminated or view.complete) and all(n in view.known for n in span)
        added = [n for n in span if view.is_added(n)]
        if kind and visible and added:
            findings.append(_where_finding(view, added[0], kind))
        for offset in sql_text.select_star_offsets(statement.text):
            line = line_of(statement.start + offset)
            if view.is_added(line):
                findings.append(_star_finding(view, line))
    return findings


def _check_literal(view: SourceView, node: Node) -> list[Finding]:
    if node.parent is not None and node.parent.type == "expression_statement":
        return []  # docstrings and bare strings are prose, not queries
    raw = syntax.text(node)
    findings = [
        _star_finding(view, line)
        for offset in sql_text.select_star_offsets(raw)
        if view.is_added(line := sql_text.line_at(node, offset))
    ]
    kind = _complete_statement_kind(node)
    if kind:
        line = sql_text.line_at(node, raw.find(kind.upper()))
        if view.is_added(line):
            findings.append(_where_finding(view, line, kind))
    return findings


def _complete_statement_kind(node: Node) -> str | None:
    # Only whole statements: a piece of a built string may get its WHERE from another piece.
    if sql_text.is_interpolated(node):
        return None
    if node.parent is not None and node.parent.type in _CONCATENATION_PARENTS:
        return None
    body = sql_text.string_pieces(node).strip()
    # Upper-case keywords only: UI text like "Delete from favourites" must not read as SQL.
    if not body.startswith(("UPDATE ", "DELETE ")):
        return None
    return sql_text.missing_where(body)


def _where_finding(view: SourceView, line: int, kind: str) -> Finding:
    rule_id, message = _MESSAGES[kind]
    return make_finding(
        NAME,
        view,
        line,
        "high",
        rule_id,
        message,
        "Add a WHERE clause; if every row really must change, say so in a comment.",
    )


def _star_finding(view: SourceView, line: int) -> Finding:
    return make_finding(
        NAME,
        view,
        line,
        "low",
        "sql.select-star",
        "`SELECT *` fetches every column, including ones added later; the result shape changes under the code.",
        "List the columns the code uses.",
    )
