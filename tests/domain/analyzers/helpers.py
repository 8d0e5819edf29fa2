"""Small builders for FileDiffs in analyzer tests."""

from __future__ import annotations

import textwrap

from domain.analyzers import AnalyzerContext
from domain.diff import FileDiff, parse_patch
from domain.findings import Finding


def changed(path: str, body: str, start: int = 1) -> FileDiff:
    """A modified file from marked lines: `+ text` added, `. text` context, `- text` removed.

    The hunk starts at new-side line `start`.
    """
    lines = textwrap.dedent(body).strip("\n").split("\n")
    marks = {"+": "+", ".": " ", "-": "-"}
    patch_lines = [marks[line[:1]] + line[2:] for line in lines]
    old = sum(1 for line in lines if line[:1] in ".-")
    new = sum(1 for line in lines if line[:1] in ".+")
    patch = f"@@ -{start},{old} +{start},{new} @@\n" + "\n".join(patch_lines)
    return parse_patch(path, patch)


def added(path: str, text: str) -> FileDiff:
    """A new file whose every line is added."""
    lines = textwrap.dedent(text).strip("\n").split("\n")
    patch = f"@@ -0,0 +1,{len(lines)} @@\n" + "\n".join("+" + line for line in lines)
    return parse_patch(path, patch, status="added")


def as_context(file: FileDiff) -> FileDiff:
    """The same new side, but every added line turned into context (plus one harmless add)."""
    shown = file.new_side_lines()
    body = "\n".join(f". {shown[n]}" for n in sorted(shown)) + "\n+ "
    return changed(file.path, body, start=min(shown))


def full_text(file: FileDiff) -> str:
    """The new side of a one-hunk file as text (for `AnalyzerContext.file_contents`)."""
    shown = file.new_side_lines()
    return "\n".join(shown[n] for n in sorted(shown)) + "\n"


def rules_of(findings: list[Finding]) -> list[tuple[str, int]]:
    """(rule_id, line) pairs, in order."""
    return [(finding.rule_id, finding.line) for finding in findings]


EMPTY = AnalyzerContext()
