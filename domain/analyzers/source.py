"""The new side of a changed file, laid out so that row N of the text is new-side line N + 1.

With the full file the view is exact. Without it, the hunks' new-side lines sit at their real
line numbers and the gaps between hunks are blank lines, so a syntax tree of the partial text still
reports positions that are real line numbers; tree-sitter recovers from the missing code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from tree_sitter import Node, Tree

from domain.analyzers import syntax
from domain.diff import FileDiff

_PHP_TAG = re.compile(r"<\?(?:php|=)?|\?>")


@dataclass(frozen=True)
class SourceView:
    """New-side text of one file plus which of its lines were added."""

    path: str
    language: str
    lines: tuple[str, ...]
    added: frozenset[int]
    known: frozenset[int]
    complete: bool

    @cached_property
    def text(self) -> str:
        """The aligned text (unknown lines blank)."""
        return "\n".join(self.lines) + "\n"

    def is_added(self, line: int) -> bool:
        """True when the new-side line was added by the change."""
        return line in self.added

    def first_added_in(self, node: Node) -> int | None:
        """The node's start line if added, else the first added line inside it, else None."""
        start, end = syntax.line(node), syntax.end_line(node)
        if start in self.added:
            return start
        inside = [number for number in self.added if start <= number <= end]
        return min(inside) if inside else None

    def tree(self) -> Tree | None:
        """Syntax tree of the view, or None when the language has no grammar here."""
        grammar = syntax.GRAMMAR_FOR_LANGUAGE.get(self.language)
        if grammar is None:
            return None
        text = self._php_text() if grammar == "php" else self.text
        return syntax.parse(grammar, text)

    def _php_text(self) -> str:
        # A hunk from the middle of a PHP file has no `<?php`, and the PHP grammar would read it
        # as inline HTML; open a PHP block on the (blank) first row when the hunk reads as code.
        if self.complete or not self.known or min(self.known) == 1:
            return self.text
        first_tag = _PHP_TAG.search(self.text)
        inside_php = first_tag.group(0) == "?>" if first_tag else not self._looks_like_html()
        if not inside_php:
            return self.text
        return "<?php" + self.text

    def _looks_like_html(self) -> bool:
        first = next((line.strip() for line in self.lines if line.strip()), "")
        return first.startswith("<")


def build_source(file: FileDiff, contents: str | None = None) -> SourceView:
    """Build the view from the full new-side text when it agrees with the diff, else the hunks."""
    added = file.added_lines()
    if contents is not None:
        lines = tuple(contents.split("\n"))
        if _agrees(lines, added):
            return SourceView(
                path=file.path,
                language=file.language,
                lines=tuple(line.rstrip("\r") for line in lines),
                added=frozenset(added),
                known=frozenset(range(1, len(lines) + 1)),
                complete=True,
            )
    shown = file.new_side_lines()
    rows = [""] * (max(shown) if shown else 0)
    for number, text in shown.items():
        rows[number - 1] = text
    return SourceView(
        path=file.path,
        language=file.language,
        lines=tuple(rows),
        added=frozenset(added),
        known=frozenset(shown),
        # A new file's single hunk is the whole file.
        complete=file.status == "added",
    )


def _agrees(lines: tuple[str, ...], added: dict[int, str]) -> bool:
    # Stale or wrong contents would put findings on the wrong lines: only trust a match.
    return all(
        number <= len(lines) and lines[number - 1].rstrip("\r") == text.rstrip("\r") for number, text in added.items()
    )
