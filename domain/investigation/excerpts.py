"""A file cut down to what a step needs: declarations and the lines that matter, numbered as in
the file so every claim stays citable as `path:line`.

Parsed files (TypeScript, JavaScript, Python, PHP) keep everything outside function bodies
(imports aside): class and method signatures, decorators, fields, interfaces, top-level calls
such as `router.get('/x', ...)`. Inside bodies, and in the long comments and import blocks that
are dropped, a line comes back when it matches one of the step's `line_hints` or is a line a
detected fact points at. Other files keep their head and their matching lines. Lines holding
no letter or digit (`}`, `});`, blank) are dropped everywhere: the numbers say where they were.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from tree_sitter import Node

from domain.chunking.declarations import end_row
from domain.chunking.languages import grammar_for_path, new_parser

WHOLE_FILE_CHARS = 1200  # smaller files are shown whole: cutting them saves little
HEAD_LINES = 30  # unparsed files: the first lines carry their shape
MAX_LINE_CHARS = 240
GAP = "…"
_CUT_NOTE_CHARS = 70  # room kept for the note that says where a long excerpt was cut

_FUNCTIONS = {
    "typescript": {"function_declaration", "generator_function_declaration", "function_expression",
                   "arrow_function", "method_definition", "function"},
    "python": {"function_definition"},
    "php": {"function_definition", "method_declaration", "anonymous_function"},
}  # fmt: skip
_FUNCTIONS["tsx"] = _FUNCTIONS["javascript"] = _FUNCTIONS["typescript"]
_IMPORTS = {"import_statement", "import_from_statement", "namespace_use_declaration"}


@dataclass(frozen=True)
class Excerpt:
    """The kept lines (1-based numbers) of one file and their numbered rendering."""

    path: str
    lines: tuple[int, ...]
    total_lines: int
    text: str

    @property
    def whole(self) -> bool:
        """True when no line with content was left out."""
        return len(self.lines) == self.total_lines


def hint_pattern(hints: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern for lines naming any hint at a word start ("jwt" → jwtSecret)."""
    words = sorted({h.strip() for h in hints if h.strip()}, key=len, reverse=True)
    return re.compile(r"(?<![\w$])(?:" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE) if words else None


def excerpt(
    path: str,
    text: str,
    keep: Collection[int] = (),
    hints: re.Pattern[str] | None = None,
    max_chars: int | None = None,
) -> Excerpt:
    """`text` trimmed for a step: `keep` are 1-based lines that must stay (detected facts),
    `hints` marks the lines that matter, `max_chars` bounds the rendering (head kept)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(text) <= WHOLE_FILE_CHARS:
        rows = set(range(len(lines)))
    else:
        dropped = _droppable_rows(path, text, len(lines))
        rows = {r for r in range(len(lines)) if r not in dropped}
        rows |= {n - 1 for n in keep if 0 < n <= len(lines)}
        if hints is not None:
            rows |= {r for r, line in enumerate(lines) if hints.search(line)}
    kept = tuple(r + 1 for r in sorted(rows) if any(ch.isalnum() for ch in lines[r]))
    return _render(path, lines, kept, max_chars)


def _droppable_rows(path: str, text: str, count: int) -> set[int]:
    grammar = grammar_for_path(path)
    lines = text.split("\n")
    if grammar not in _FUNCTIONS:
        # Markdown keeps its headings: they are the document's outline.
        heading = path.lower().endswith(".md")
        return {r for r in range(HEAD_LINES, count) if not (heading and lines[r].startswith("#"))}
    root = new_parser(grammar).parse(text.encode("utf-8", "surrogatepass")).root_node
    dropped: set[int] = set()
    prose: set[int] = set()
    _walk(root, _FUNCTIONS[grammar], lines, dropped, prose)
    return dropped | _prose_tails(prose, lines)


def _walk(root: Node, functions: set[str], lines: list[str], dropped: set[int], prose: set[int]) -> None:
    """Mark function-body rows and import rows as dropped and comment rows as prose. Iterative:
    generated code can nest deeper than Python's recursion limit."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in functions and (body := node.child_by_field_name("body")) is not None:
            dropped.update(_body_rows(node, body))
        elif node.type == "comment" or _is_docstring(node):
            row, column = node.start_point
            if not lines[row][:column].strip():  # a comment after code on its line is no prose row
                prose.update(range(row, end_row(node) + 1))
            continue
        elif node.type in _IMPORTS:
            dropped.update(range(node.start_point[0], end_row(node) + 1))
            continue
        stack.extend(node.children)


def _is_docstring(node: Node) -> bool:
    children = node.named_children
    return node.type == "expression_statement" and len(children) == 1 and children[0].type == "string"


def _prose_tails(prose: set[int], lines: list[str]) -> set[int]:
    """Of each run of comment or docstring rows, all but the first row with words: `/**` alone
    tells nothing, and the first sentence usually says what the rest explains."""
    tails: set[int] = set()
    worded = False
    for row in sorted(prose):
        if row - 1 not in prose:
            worded = False
        if not worded and any(ch.isalnum() for ch in lines[row]):
            worded = True
        else:
            tails.add(row)
    return tails


def _body_rows(function: Node, body: Node) -> range:
    """The rows inside a function body: after the line that opens it, before the line that
    closes it. A Python block has no braces: all of its rows go, unless it shares the def line."""
    first, last = body.start_point[0], end_row(body)
    if body.type == "block":
        return range(first, last + 1) if first > function.start_point[0] else range(0)
    return range(first + 1, last)


def _render(path: str, lines: Sequence[str], kept: tuple[int, ...], max_chars: int | None) -> Excerpt:
    width = len(str(len(lines) or 1))
    out: list[str] = []
    used, previous = 0, 0
    shown: list[int] = []
    for number in kept:
        gap = [f"{'':>{width}} | {GAP}"] if _content_between(lines, previous, number) else []
        row = f"{number:>{width}} | {_cut(lines[number - 1].rstrip())}"
        cost = sum(len(g) + 1 for g in gap) + len(row) + 1
        if max_chars is not None and used + cost + _CUT_NOTE_CHARS > max_chars and shown:
            out.append(f"{'':>{width}} | {GAP} (cut here for room; the file has {len(lines)} lines)")
            break
        out.extend([*gap, row])
        used, previous = used + cost, number
        shown.append(number)
    else:
        if _content_between(lines, previous, len(lines) + 1):
            out.append(f"{'':>{width}} | {GAP}")
    total = sum(1 for line in lines if any(ch.isalnum() for ch in line))
    return Excerpt(path, tuple(shown), total, "\n".join(out))


def _content_between(lines: Sequence[str], after: int, before: int) -> bool:
    """Whether a line with content sits strictly between two 1-based line numbers."""
    return any(any(ch.isalnum() for ch in lines[n - 1]) for n in range(after + 1, before))


def _cut(line: str) -> str:
    return line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + " …"
