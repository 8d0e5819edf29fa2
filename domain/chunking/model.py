"""The chunk: one retrievable slice of a source file, and the knobs that shape chunking."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Chunk:
    """A contiguous run of lines of one file, as indexed and embedded.

    Lines are 1-based and inclusive; `content` is exactly those lines joined by "\\n".
    `kind` says what the lines are ("function", "class", "method", "interface", "type", "enum",
    "trait", "property", "module" for the rest of a parsed file, "window" for unparsed files);
    `symbol` names the declaration ("UserService.findAll"), or is None.
    """

    path: str
    start_line: int
    end_line: int
    kind: str
    symbol: str | None
    language: str
    content: str

    @property
    def chunk_id(self) -> str:
        """A stable id: the same lines of the same file with the same text give the same id."""
        digest = hashlib.sha256()
        for part in (self.path, str(self.start_line), str(self.end_line), self.content):
            digest.update(part.encode("utf-8", "surrogatepass"))
            # A separator that cannot occur in the parts keeps ("ab","c") apart from ("a","bc").
            digest.update(b"\x00")
        return digest.hexdigest()


@dataclass(frozen=True)
class ChunkingOptions:
    """Sizes for chunking. Declarations longer than `max_lines` / `max_chars` are split into
    windows of `window_lines` lines that overlap by `overlap_lines`."""

    window_lines: int = 60
    overlap_lines: int = 10
    max_lines: int = 100
    max_chars: int = 8000

    def __post_init__(self) -> None:
        if self.window_lines < 1 or self.max_lines < 1 or self.max_chars < 1:
            raise ValueError("window_lines, max_lines and max_chars must be positive")
        if not 0 <= self.overlap_lines < self.window_lines:
            raise ValueError("overlap_lines must be at least 0 and less than window_lines")
