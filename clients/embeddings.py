"""Embeddings from a provider through litellm, and the embedder the settings name.

litellm is called with no retries of its own (Temporal retries the activity) and an explicit
timeout; it is imported on first use, since only the processes that embed should pay for it.
"""

from __future__ import annotations

import math
from typing import Any

from core.settings import LlmSettings
from domain.embeddings import HASHING_MODEL, Embedder, HashingEmbedder


class EmbeddingError(RuntimeError):
    """The embedding provider answered with something unusable (wrong count or dimension)."""


class LiteLLMEmbedder:
    """Embeddings from a provider through litellm, with no retries of its own (Temporal retries)."""

    def __init__(
        self,
        model: str,
        dimension: int,
        api_base: str | None = None,
        api_key: str | None = None,
        timeout: float = 30,
        batch_size: int = 64,
    ) -> None:
        self.name = model
        self.dimension = dimension
        self._api_base = api_base
        self._api_key = api_key
        self._timeout = timeout
        self._batch_size = batch_size

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Vectors for texts, checked for count and dimension; raises EmbeddingError if wrong."""
        vectors: list[list[float]] = []
        for offset in range(0, len(texts), self._batch_size):
            vectors.extend(await self._embed_batch(texts[offset : offset + self._batch_size]))
        return vectors

    async def _embed_batch(self, texts: list[str]) -> list[list[float]]:
        import litellm  # slow to import; only the processes that embed pay for it

        response = await litellm.aembedding(
            model=self.name,
            input=texts,
            dimensions=self.dimension,
            api_base=self._api_base,
            api_key=self._api_key,
            num_retries=0,
            timeout=self._timeout,
        )
        return self._validated(response.data, len(texts))

    def _validated(self, data: list[Any], expected: int) -> list[list[float]]:
        if len(data) != expected:
            raise EmbeddingError(f"{self.name} returned {len(data)} embeddings for {expected} texts")
        items = sorted(data, key=lambda item: _field(item, "index"))
        vectors = [[float(v) for v in _field(item, "embedding")] for item in items]
        for vector in vectors:
            if len(vector) != self.dimension:
                raise EmbeddingError(
                    f"{self.name} returned vectors of dimension {len(vector)}, expected {self.dimension}"
                )
        # Search orders by inner product, taking a vector's length as its weight (see
        # HashingEmbedder): a provider's vectors all weigh the same, whatever it returns.
        return [_unit(vector) for vector in vectors]


def _unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector] if norm > 0 else vector


def _field(item: Any, name: str) -> Any:
    return item[name] if isinstance(item, dict) else getattr(item, name)


def make_embedder(
    model: str = HASHING_MODEL,
    dimension: int = 384,
    api_base: str | None = None,
    api_key: str | None = None,
) -> Embedder:
    """The embedder for a configured model name; "hashing" (the default) is the offline one."""
    if not model or model == HASHING_MODEL:
        return HashingEmbedder(dimension)
    return LiteLLMEmbedder(model, dimension, api_base=api_base, api_key=api_key)


def configured_embedder(llm: LlmSettings) -> Embedder:
    """The embedder the settings name: one place, so the index and its queries always match."""
    api_key = llm.api_key.get_secret_value() if llm.api_key else None
    return make_embedder(llm.embedding_model, llm.embedding_dimension, api_base=llm.api_base, api_key=api_key)
