"""What a fix must pass before it is pushed: the file still parses, no credential is added, and the
change stays within the request's limits. Each check returns a sentence for the reply, or None.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from domain.analyzers import secrets, syntax
from domain.analyzers.context import AnalyzerContext
from domain.autofix.patch import unified_diff
from domain.diff import FileDiff, parse_unified_diff


def language_of(path: str) -> str:
    """The file's language as the analyzers name it (from its extension)."""
    return FileDiff(path=path, old_path=None, status="modified").language


def can_parse(path: str) -> bool:
    """Whether this file's language has a grammar here (other files are not parse-checked)."""
    return language_of(path) in syntax.GRAMMAR_FOR_LANGUAGE


def parse_problem(path: str, before: str, after: str) -> str | None:
    """Why `after` no longer parses where `before` did (more syntax errors than before), or None.

    A file that already had errors is held to "no new ones", so a fix is not blamed for them."""
    grammar = syntax.GRAMMAR_FOR_LANGUAGE.get(language_of(path))
    if grammar is None:
        return None
    old_errors = _error_lines(syntax.parse(grammar, before).root_node)
    new_errors = _error_lines(syntax.parse(grammar, after).root_node)
    if len(new_errors) <= len(old_errors):
        return None
    fresh = [line for line in new_errors if line not in old_errors] or new_errors
    return f"`{path}` no longer parses after the fix (syntax error at line {fresh[0]})"


def _error_lines(root: Node) -> list[int]:
    return sorted({syntax.line(node) for node in _errors(root)})


def _errors(node: Node) -> Iterator[Node]:
    if node.type == "ERROR" or node.is_missing:
        yield node
        return
    if node.has_error:
        for child in node.children:
            yield from _errors(child)


def secret_problem(path: str, before: str, after: str) -> str | None:
    """A sentence when the lines the fix adds hold what looks like a credential (never the value)."""
    files = parse_unified_diff(unified_diff(path, before, after))
    if not files:
        return None
    found = secrets.analyze(files[0], AnalyzerContext(file_contents={path: after.replace("\r\n", "\n")}))
    if not found:
        return None
    return f"the fix would add what looks like a credential to `{path}` (line {found[0].line})"


def limit_problem(files: int, lines: int, *, max_files: int, max_lines: int) -> str | None:
    """A sentence when a change is over the configured size of one auto-fix."""
    if files > max_files:
        return f"it would change {files} files, over the limit of {max_files} (AUTOFIX_MAX_FILES)"
    if lines > max_lines:
        return f"it would change {lines} lines, over the limit of {max_lines} (AUTOFIX_MAX_CHANGED_LINES)"
    return None
