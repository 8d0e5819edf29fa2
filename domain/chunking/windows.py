"""Line arithmetic shared by the chunkers: splitting text, contiguous runs and overlapping windows.

Spans are 0-based inclusive row pairs here; chunks turn them into 1-based line numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from domain.chunking.model import ChunkingOptions

Span = tuple[int, int]


def split_lines(text: str) -> list[str]:
    """Lines split on "\\n" only, as tree-sitter counts rows (a trailing newline adds no line)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def span_chars(lines: list[str], span: Span) -> int:
    return sum(len(line) + 1 for line in lines[span[0] : span[1] + 1])


def fits(lines: list[str], span: Span, options: ChunkingOptions) -> bool:
    """Whether a span is small enough to be one chunk."""
    return span[1] - span[0] + 1 <= options.max_lines and span_chars(lines, span) <= options.max_chars


def window_spans(lines: list[str], span: Span, options: ChunkingOptions) -> list[Span]:
    """Cover a span with windows of at most `window_lines` lines and `max_chars` characters,
    each overlapping the previous one by `overlap_lines` (a single over-long line stays whole)."""
    start, end = span
    windows: list[Span] = []
    while True:
        last, chars = start, len(lines[start]) + 1
        while (
            last < end
            and last + 1 - start < options.window_lines
            and chars + len(lines[last + 1]) + 1 <= options.max_chars
        ):
            last += 1
            chars += len(lines[last]) + 1
        windows.append((start, last))
        if last >= end:
            return windows
        start = max(last + 1 - options.overlap_lines, start + 1)


def content_runs(lines: list[str], rows: Iterable[int]) -> list[Span]:
    """Group rows into contiguous runs, trimmed of blank edge lines; runs holding no letter or
    digit (a lone closing brace, blank lines) are dropped as they carry nothing to retrieve."""
    runs: list[Span] = []
    for row in sorted(rows):
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return [trimmed for run in runs if (trimmed := _trim(lines, run)) is not None]


def _trim(lines: list[str], span: Span) -> Span | None:
    start, end = span
    while start <= end and not lines[start].strip():
        start += 1
    while end >= start and not lines[end].strip():
        end -= 1
    if start > end or not any(ch.isalnum() for line in lines[start : end + 1] for ch in line):
        return None
    return start, end
