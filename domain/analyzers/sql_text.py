"""SQL recognition shared by the SQL, PHP and string-built-query analyzers (no grammar needed)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from domain.analyzers import syntax

# Text that reads as the start of a DML statement (used on pieces of built strings).
SQL_START = re.compile(
    r"\b(?:select\s[\s\S]*?\bfrom|insert\s+into|update\s+[\w.\"`\[\]]+\s+set|delete\s+from)\b",
    re.IGNORECASE,
)
SELECT_STAR = re.compile(r"(?<![\w(])select\s+(?:distinct\s+)?\*\s*(?:from\b|,)", re.IGNORECASE)
_EXISTS_BEFORE = re.compile(r"exists\s*\(\s*$", re.IGNORECASE)
UPDATE_STATEMENT = re.compile(r"^\s*update\s+[\w.\"`\[\]]+\s+set\b", re.IGNORECASE)
DELETE_STATEMENT = re.compile(r"^\s*delete\s+from\s+[\w.\"`\[\]]+", re.IGNORECASE)
WHERE = re.compile(r"\bwhere\b", re.IGNORECASE)
# String node types per grammar, and the child types that interpolate values into them.
STRING_TYPES = frozenset({"string", "template_string", "encapsed_string", "heredoc", "nowdoc"})
INTERPOLATION_TYPES = frozenset(
    {
        "template_substitution",
        "interpolation",
        "variable_name",
        "member_access_expression",
        "subscript_expression",
        "dynamic_variable_name",
    }
)


@dataclass(frozen=True)
class Statement:
    """One `;`-terminated (or trailing) statement of a SQL text, comments blanked out."""

    text: str
    start: int  # offset in the whole text
    terminated: bool


def select_star_offsets(sql: str) -> list[int]:
    """Offsets of `SELECT *` in `sql`, except the idiomatic `EXISTS (SELECT * ...)`."""
    return [match.start() for match in SELECT_STAR.finditer(sql) if not _EXISTS_BEFORE.search(sql[: match.start()])]


def missing_where(statement: str) -> str | None:
    """'update' / 'delete' when the statement changes every row of a table, else None."""
    if WHERE.search(statement):
        return None
    if UPDATE_STATEMENT.match(statement):
        return "update"
    if DELETE_STATEMENT.match(statement):
        return "delete"
    return None


def split_statements(sql: str) -> list[Statement]:
    """Split on `;` outside quotes; comments become spaces so offsets stay valid."""
    clean = blank_comments(sql)
    statements, start, quote = [], 0, ""
    for index, char in enumerate(clean):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char == ";":
            statements.append(Statement(clean[start:index], start, True))
            start = index + 1
    if clean[start:].strip():
        statements.append(Statement(clean[start:], start, False))
    return statements


def blank_comments(sql: str) -> str:
    """Replace `-- ...` and `/* ... */` comments with spaces, keeping newlines."""
    out, index, quote = list(sql), 0, ""
    while index < len(sql):
        char = sql[index]
        if quote:
            quote = "" if char == quote else quote
            index += 1
        elif char in "'\"":
            quote, index = char, index + 1
        elif sql.startswith("--", index) or sql.startswith("/*", index):
            end = _comment_end(sql, index)
            for position in range(index, end):
                out[position] = "\n" if sql[position] == "\n" else " "
            index = end
        else:
            index += 1
    return "".join(out)


def _comment_end(sql: str, index: int) -> int:
    if sql.startswith("--", index):
        end = sql.find("\n", index)
        return len(sql) if end == -1 else end
    end = sql.find("*/", index + 2)
    return len(sql) if end == -1 else end + 2


def is_interpolated(node: Node) -> bool:
    """True when a string node splices values in (`${x}`, f"{x}", "$x")."""
    return any(child.type in INTERPOLATION_TYPES for child in node.named_children)


def string_pieces(node: Node) -> str:
    """The literal text of a string node, interpolations removed."""
    parts = [
        syntax.text(child)
        for child in node.named_children
        if child.type in ("string_fragment", "string_content", "escape_sequence", "string_value")
    ]
    return "".join(parts) if parts else syntax.text(node)[1:-1]


def line_at(node: Node, offset_in_text: int) -> int:
    """New-side line of a character offset inside the node's text."""
    return syntax.line(node) + syntax.text(node)[:offset_in_text].count("\n")
