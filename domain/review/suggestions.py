"""Checking a committable suggestion before it is posted.

GitHub applies a ```suggestion block verbatim over the commented line range (`start_line`..`line`).
A block that changes nothing, or that leaves the file unparseable, would be a trap for whoever
clicks "Commit suggestion": such comments are posted without their block, and the review counts
them. The check applies the replacement to the head version of the file and parses the result
with tree-sitter where a grammar exists; elsewhere only the "changes nothing" test applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tree_sitter import Node

from domain.analyzers.syntax import GRAMMAR_FOR_LANGUAGE, parse
from domain.diff import language_for_path

Verdict = Literal["ok", "unchanged", "breaks_parsing", "out_of_range"]

VERDICT_REASONS: dict[Verdict, str] = {
    "ok": "applies cleanly",
    "unchanged": "the suggestion would change nothing",
    "breaks_parsing": "the file would no longer parse with the suggestion applied",
    "out_of_range": "the suggested line range is not in the head version of the file",
}


@dataclass(frozen=True)
class SuggestionCheck:
    verdict: Verdict
    patched: str | None = None  # the head file with the suggestion applied (when in range)

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    @property
    def reason(self) -> str:
        return VERDICT_REASONS[self.verdict]


def apply_suggestion(text: str, start_line: int, end_line: int, replacement: str) -> str | None:
    """`text` with lines start_line..end_line (1-based, inclusive) replaced, or None when out of range.

    The replacement's lines are taken exactly as written (indentation included); the file keeps its
    own line endings, and a replacement without a final newline still ends the range with one.
    """
    lines = text.splitlines(keepends=True)
    if start_line < 1 or end_line < start_line or end_line > len(lines):
        return None
    newline = "\r\n" if lines[end_line - 1].endswith("\r\n") else "\n"
    new_lines = [line + newline for line in replacement.split("\n")] if replacement != "" else []
    if end_line == len(lines) and not lines[-1].endswith(("\n", "\r")) and new_lines:
        new_lines[-1] = new_lines[-1][: -len(newline)]
    return "".join(lines[: start_line - 1] + new_lines + lines[end_line:])


def check_suggestion(path: str, head_text: str, start_line: int, end_line: int, replacement: str) -> SuggestionCheck:
    """Whether posting `replacement` over start_line..end_line of `path` is safe to commit."""
    patched = apply_suggestion(head_text, start_line, end_line, replacement)
    if patched is None:
        return SuggestionCheck("out_of_range")
    if patched == head_text:
        return SuggestionCheck("unchanged", patched)
    grammar = GRAMMAR_FOR_LANGUAGE.get(language_for_path(path))
    if grammar is not None and _error_count(grammar, patched) > _error_count(grammar, head_text):
        # Compared with the head, not with zero: a file that already has a parse error (a template,
        # a grammar gap) must not make every suggestion on it look broken.
        return SuggestionCheck("breaks_parsing", patched)
    return SuggestionCheck("ok", patched)


def _error_count(grammar: str, text: str) -> int:
    root = parse(grammar, text).root_node
    if not root.has_error:
        return 0
    return _count_errors(root)


def _count_errors(node: Node) -> int:
    if node.is_error or node.is_missing:
        return 1
    if not node.has_error:
        return 0
    return sum(_count_errors(child) for child in node.children)
