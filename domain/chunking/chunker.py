"""Cut a file into chunks: declarations where a grammar parses the file, line windows elsewhere."""

from __future__ import annotations

import logging

from domain.chunking.declarations import Declaration, find_declarations
from domain.chunking.languages import grammar_for_path, language_for_path, new_parser
from domain.chunking.model import Chunk, ChunkingOptions
from domain.chunking.windows import content_runs, fits, split_lines, window_spans

logger = logging.getLogger(__name__)

DEFAULT_OPTIONS = ChunkingOptions()

# (first row, last row, kind, symbol), rows 0-based inclusive.
_Piece = tuple[int, int, str, str | None]


def chunk_file(path: str, text: str, options: ChunkingOptions = DEFAULT_OPTIONS) -> list[Chunk]:
    """Split one file's text into chunks, in line order; the same input gives the same chunks.

    Top-level functions, classes, interfaces and function-valued consts become chunks of their
    own; a class too large for one chunk yields one chunk per method plus its remaining lines;
    the rest of the file is cut into overlapping windows, and so is anything over the size cap.
    """
    lines = split_lines(text)
    grammar = grammar_for_path(path)
    declarations = _parse(path, grammar, text) if grammar else None
    if declarations is None:
        pieces = _windows(lines, set(range(len(lines))), "window", None, options)
    else:
        pieces = _syntax_pieces(lines, declarations, options)
    language = language_for_path(path)
    chunks: dict[tuple[int, int], Chunk] = {}
    for start, end, kind, symbol in sorted(pieces, key=lambda p: (p[0], p[1], p[2], p[3] or "")):
        # Two declarations on one line would share an id; the first one names the chunk.
        chunks.setdefault(
            (start, end),
            Chunk(path, start + 1, end + 1, kind, symbol, language, "\n".join(lines[start : end + 1])),
        )
    return list(chunks.values())


def _parse(path: str, grammar: str, text: str) -> list[Declaration] | None:
    try:
        tree = new_parser(grammar).parse(text.encode("utf-8", "surrogatepass"))
        return find_declarations(tree.root_node, grammar)
    except Exception:  # a grammar problem must not stop indexing: fall back to windows
        logger.warning("could not parse %s as %s; chunking by lines", path, grammar, exc_info=True)
        return None


def _syntax_pieces(lines: list[str], declarations: list[Declaration], options: ChunkingOptions) -> list[_Piece]:
    pieces: list[_Piece] = []
    covered: set[int] = set()
    for declaration in declarations:
        covered.update(range(declaration.start, declaration.end + 1))
        pieces.extend(_declaration_pieces(lines, declaration, None, options))
    rest = set(range(len(lines))) - covered
    return pieces + _windows(lines, rest, "module", None, options)


def _declaration_pieces(
    lines: list[str], declaration: Declaration, owner: str | None, options: ChunkingOptions
) -> list[_Piece]:
    symbol = declaration.symbol
    if owner is not None:
        symbol = f"{owner}.{symbol or '?'}"
    span = (declaration.start, declaration.end)
    if fits(lines, span, options):
        return [(*span, declaration.kind, symbol)]
    if not declaration.members:
        return [(*w, declaration.kind, symbol) for w in window_spans(lines, span, options)]
    pieces: list[_Piece] = []
    inner: set[int] = set()
    for member in declaration.members:
        inner.update(range(member.start, member.end + 1))
        pieces.extend(_declaration_pieces(lines, member, declaration.symbol or "?", options))
    rest = set(range(declaration.start, declaration.end + 1)) - inner
    return pieces + _windows(lines, rest, declaration.kind, symbol, options)


def _windows(lines: list[str], rows: set[int], kind: str, symbol: str | None, options: ChunkingOptions) -> list[_Piece]:
    return [
        (*window, kind, symbol) for run in content_runs(lines, rows) for window in window_spans(lines, run, options)
    ]
