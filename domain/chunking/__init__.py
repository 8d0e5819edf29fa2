"""Code chunking for retrieval: which files to index and how to cut them into chunks."""

from domain.chunking.chunker import DEFAULT_OPTIONS, chunk_file
from domain.chunking.filters import DEFAULT_MAX_BYTES, excluded_path_reason, should_index
from domain.chunking.languages import PROGRAMMING_LANGUAGES, language_for_path
from domain.chunking.model import Chunk, ChunkingOptions

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_OPTIONS",
    "PROGRAMMING_LANGUAGES",
    "Chunk",
    "ChunkingOptions",
    "chunk_file",
    "excluded_path_reason",
    "language_for_path",
    "should_index",
]
