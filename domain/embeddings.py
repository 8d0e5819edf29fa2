"""Embedders: what an embedder is, what a chunk is embedded as, and the offline hashing embedder.

The hashing embedder needs no model download and no network, so indexing and retrieval work on
a machine without an embedding provider; its vectors only support lexical similarity. Embedding
through a provider (litellm) is `clients.embeddings`.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
from collections import Counter
from functools import lru_cache
from typing import Protocol, runtime_checkable

from domain.chunking import Chunk

HASHING_MODEL = "hashing"
EMBEDDING_TEXT_MAX_CHARS = 8000

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]+")
# Splits "parseHTTPResponse2" into parse / HTTP / Response / 2.
_WORD_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# Keywords occur in nearly all code; they would pull every chunk towards every other one.
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "async",
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "def",
        "else",
        "export",
        "extends",
        "false",
        "for",
        "from",
        "function",
        "if",
        "import",
        "in",
        "is",
        "let",
        "new",
        "not",
        "null",
        "of",
        "or",
        "pass",
        "private",
        "protected",
        "public",
        "readonly",
        "return",
        "self",
        "static",
        "the",
        "this",
        "to",
        "true",
        "try",
        "type",
        "var",
        "void",
        "while",
        "with",
    }
)
# Feature groups and their weights: whole identifiers match exactly, word parts match across
# naming styles, character trigrams match near-spellings.
_GROUP_WEIGHTS = {"i": 1.0, "w": 1.0, "t": 0.35}


@runtime_checkable
class Embedder(Protocol):
    """Anything that embeds texts into vectors of a fixed dimension."""

    name: str
    dimension: int

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """One vector per text, in order. Search orders by inner product, so a vector's length
        is its weight: unit vectors for plain cosine, shorter ones to rank a text lower."""
        ...


def embedding_text(chunk: Chunk) -> str:
    """What is embedded for a chunk: its path and symbol give context the code alone lacks."""
    header = f"{chunk.path}\n{chunk.symbol} ({chunk.kind})" if chunk.symbol else chunk.path
    return f"{header}\n\n{chunk.content}"[:EMBEDDING_TEXT_MAX_CHARS]


def split_identifier(identifier: str) -> list[str]:
    """Lowercased words of a camelCase, PascalCase or snake_case identifier."""
    return [part.lower() for part in _WORD_PART.findall(identifier)]


def hashed_features(text: str) -> Counter[str]:
    """Counts of the features of a text: identifiers, their words and their trigrams."""
    features: Counter[str] = Counter()
    for token in _IDENTIFIER.findall(text):
        lowered = token.lower()
        if lowered in _STOPWORDS:
            continue
        words = [w for w in split_identifier(token) if w not in _STOPWORDS]
        features.update(f"w:{word}" for word in words)
        if len(words) > 1:
            features[f"i:{lowered}"] += 1
        padded = f"^{lowered.strip('_')}$"
        features.update(f"t:{padded[i : i + 3]}" for i in range(len(padded) - 2))
    return features


@lru_cache(maxsize=65536)
def _bucket(feature: str, dimension: int) -> tuple[int, float]:
    # blake2b, not hash(): Python salts str hashes per process, vectors must survive restarts.
    value = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
    return value % dimension, 1.0 if (value >> 63) & 1 else -1.0


class HashingEmbedder:
    """Offline embedder: signed feature hashing with sublinear tf, and pivoted length normalisation.

    Plain cosine similarity favours short chunks: a long chunk spreads its weight over many
    features, so the few a query shares with it count for less than the same few in a ten-line
    chunk, and a one-line interface outranks the service that does the work. Pivoted length
    normalisation (Singhal, Buckley and Mitra, SIGIR 1996) corrects for it: a text whose feature
    norm is n is scored slope * n / ((1 - slope) * pivot + slope * n) of its cosine.

    That factor is the length of the vector: its direction is the plain unit vector, its norm the
    factor (below 1, growing with the text). Cosine distance ignores it, so the HNSW index is built
    and searched exactly as for unit vectors; the inner product with a query is the cosine times
    the factor, which is how code search orders the nearest chunks (db/code_search.py). A query's
    own factor scales every score alike and changes no order.
    """

    # A chunk of about 300 characters of code has a feature norm near 10 (the median over the
    # synthetic repositories of bench/retrieval_bench.py). On their queries the vector ranker alone
    # is about as good for pivots of 5 to 30 and slopes of 0.1 to 0.3 (recall@1 0.76-0.80, against
    # 0.57 for plain cosine): the setting is not a fit to those queries.
    PIVOT = 10.0
    SLOPE = 0.25

    def __init__(self, dimension: int = 384) -> None:
        if dimension < 8:
            raise ValueError("dimension must be at least 8")
        self.dimension = dimension
        self.name = f"{HASHING_MODEL}-v2"

    def length_weight(self, norm: float) -> float:
        """The share of its cosine a text with this feature norm keeps (0 to 1, longer keeps more)."""
        return self.SLOPE * norm / ((1 - self.SLOPE) * self.PIVOT + self.SLOPE * norm)

    def embed_one(self, text: str) -> list[float]:
        """The vector of one text: its unit direction times its length weight (never all zeros)."""
        vector = [0.0] * self.dimension
        features = hashed_features(text) or Counter({"empty:": 1})
        for feature, count in features.items():
            index, sign = _bucket(feature, self.dimension)
            group = feature.split(":", 1)[0]
            vector[index] += sign * _GROUP_WEIGHTS.get(group, 1.0) * (1.0 + math.log(count))
        norm = math.sqrt(sum(v * v for v in vector))
        if norm == 0.0:  # features cancelled out exactly; any fixed direction will do
            vector[0], norm = 1.0, 1.0
        scale = self.length_weight(norm) / norm
        return [v * scale for v in vector]

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Vectors for texts; CPU-bound, so large batches run off the event loop."""
        if len(texts) <= 8:
            return [self.embed_one(text) for text in texts]
        return await asyncio.to_thread(lambda: [self.embed_one(text) for text in texts])
