"""Embedders: the offline hashing embedder, and litellm against a local OpenAI-compatible server."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest

from clients.embeddings import EmbeddingError, LiteLLMEmbedder, make_embedder
from domain.chunking import Chunk
from domain.embeddings import EMBEDDING_TEXT_MAX_CHARS, Embedder, HashingEmbedder, embedding_text, split_identifier

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # before litellm is first imported

USERS_TS = """export async function getUserById(id: number): Promise<User> {
  const user = await this.userRepository.findOne({ where: { id } });
  if (!user) throw new NotFoundException('user not found');
  return user;
}"""
USERS_PY = """async def get_user_by_id(user_id: int) -> User:
    user = await users_repository.find_one(user_id)
    if user is None:
        raise HTTPException(status_code=404, detail="user not found")
    return user"""
STYLES = """.navbar { display: flex; background-color: #333; }
.navbar a { color: white; padding: 14px 20px; text-decoration: none; }"""
MATH = """def fibonacci(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a"""


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_split_identifier_handles_naming_styles() -> None:
    assert split_identifier("getUserById") == ["get", "user", "by", "id"]
    assert split_identifier("get_user_by_id") == ["get", "user", "by", "id"]
    assert split_identifier("parseHTTPResponse2") == ["parse", "http", "response", "2"]


async def test_hashing_vectors_have_the_dimension_and_a_length_that_grows_with_the_text() -> None:
    embedder = HashingEmbedder(dimension=256)
    vectors = await embedder.embed([USERS_TS, "", "return this"])
    assert [len(v) for v in vectors] == [256, 256, 256]
    norms = [math.sqrt(cosine(v, v)) for v in vectors]
    assert all(0.0 < norm < 1.0 for norm in norms)
    assert norms[0] > norms[1]  # a function weighs more than an empty text
    assert isinstance(embedder, Embedder)
    many = await embedder.embed([USERS_TS, STYLES] * 10)  # a batch large enough to go off-loop
    assert many == [vectors[0], embedder.embed_one(STYLES)] * 10


def test_hashing_is_deterministic_across_processes() -> None:
    # Python salts str hashes per process: a fresh process with another seed must agree.
    code = "from domain.embeddings import HashingEmbedder; print(HashingEmbedder(64).embed_one('getUserById(id)'))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    here = HashingEmbedder(64).embed_one("getUserById(id)")
    assert json.loads(out.stdout) == pytest.approx(here)
    assert [HashingEmbedder(64).embed_one("getUserById(id)") for _ in range(3)] == [here] * 3


def unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(cosine(vector, vector))
    return [v / norm for v in vector]


async def test_similar_code_points_the_same_way_as_unrelated_code_does_not() -> None:
    ts, py, css, fib = map(unit, await HashingEmbedder().embed([USERS_TS, USERS_PY, STYLES, MATH]))
    assert cosine(ts, py) > cosine(ts, css) + 0.2
    assert cosine(ts, py) > cosine(ts, fib) + 0.2
    assert cosine(py, ts) > cosine(py, fib)


SHORT_CHUNK = "src/booking/refund.ts\n\nexport type Refund = { booking: string };"
REFUND_METHOD = """src/payment/payment.service.ts
PaymentService.refundBooking (method)

  /** Refunds a paid booking in full; the webhook marks it refunded once Stripe confirms. */
  async refundBooking(booking: BookingEntity, reason: Stripe.RefundCreateParams.Reason = 'requested_by_customer') {
    if (booking.status !== BookingStatus.Paid || !booking.paymentIntentId) {
      throw new BadRequestException('Only paid bookings can be refunded.');
    }
    this.logger.log(`refunding booking ${booking.id}`);
    return this.stripe.refunds.create({ payment_intent: booking.paymentIntentId, reason });
  }"""


async def test_a_one_line_chunk_no_longer_outranks_the_code_that_does_what_was_asked() -> None:
    embedder = HashingEmbedder()
    query, short, method = await embedder.embed(["refund a booking", SHORT_CHUNK, REFUND_METHOD])
    # Plain cosine prefers the one-line type named after both words ...
    assert cosine(unit(query), unit(short)) > cosine(unit(query), unit(method))
    # ... the inner product, cosine times the length weight, puts the refund method first.
    assert cosine(query, method) > cosine(query, short)


def test_the_length_weight_is_pivoted_normalisation() -> None:
    embedder = HashingEmbedder()
    weights = [embedder.length_weight(norm) for norm in (1.0, 5.0, embedder.PIVOT, 40.0, 1e6)]
    assert weights == sorted(weights) and weights[0] > 0.0 and weights[-1] < 1.0
    # At the pivot a text keeps `slope` of its cosine; ever longer texts approach all of it.
    assert math.isclose(weights[2], embedder.SLOPE)
    assert weights[-1] > 0.99
    assert embedder.name == "hashing-v2"  # vectors changed: a stored index is re-embedded in full


def test_embedding_text_carries_path_symbol_and_content() -> None:
    chunk = Chunk("src/users/users.service.ts", 1, 5, "function", "getUserById", "typescript", USERS_TS)
    text = embedding_text(chunk)
    assert text.startswith("src/users/users.service.ts\ngetUserById (function)\n")
    assert text.endswith(USERS_TS)
    huge = Chunk("a.ts", 1, 1, "window", None, "typescript", "x" * 20000)
    assert len(embedding_text(huge)) == EMBEDDING_TEXT_MAX_CHARS


def test_make_embedder_defaults_to_the_offline_one() -> None:
    default = make_embedder()
    assert isinstance(default, HashingEmbedder) and default.dimension == 384
    assert make_embedder("hashing", 128).dimension == 128
    remote = make_embedder("openai/text-embedding-3-small", 1536, "http://127.0.0.1:1/v1", "k")
    assert isinstance(remote, LiteLLMEmbedder) and remote.dimension == 1536


class _EmbeddingsHandler(BaseHTTPRequestHandler):
    """Speaks POST /v1/embeddings like OpenAI; `answer_dimension` lets a test misbehave."""

    requests: ClassVar[list[dict[str, Any]]] = []
    answer_dimension: ClassVar[int | None] = None

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "auth": self.headers.get("Authorization"), **body})
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        dimension = self.answer_dimension or body.get("dimensions", 8)
        data = [
            {"object": "embedding", "index": i, "embedding": [float(len(text)), *[0.5] * (dimension - 1)]}
            for i, text in reversed(list(enumerate(inputs)))  # out of order on purpose
        ]
        payload = {
            "object": "list",
            "data": data,
            "model": body["model"],
            "usage": {"prompt_tokens": 3, "total_tokens": 3},
        }
        raw = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def embeddings_server() -> Iterator[str]:
    _EmbeddingsHandler.requests = []
    _EmbeddingsHandler.answer_dimension = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmbeddingsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


async def test_litellm_embedder_calls_the_provider_and_orders_vectors(embeddings_server: str) -> None:
    embedder = LiteLLMEmbedder(
        "openai/text-embedding-3-small", 16, api_base=embeddings_server, api_key="sk-test", batch_size=2
    )
    vectors = await embedder.embed(["a", "bbb", "cc"])
    assert [round(v[0] / v[1] * 0.5, 6) for v in vectors] == [1.0, 3.0, 2.0]  # the fake sends [len, 0.5, ...]
    assert all(len(v) == 16 and math.isclose(math.sqrt(cosine(v, v)), 1.0) for v in vectors)  # made unit
    requests = _EmbeddingsHandler.requests
    assert [r["input"] for r in requests] == [["a", "bbb"], ["cc"]]
    assert requests[0]["path"] == "/v1/embeddings"
    assert requests[0]["model"] == "text-embedding-3-small"
    assert requests[0]["dimensions"] == 16
    assert requests[0]["auth"] == "Bearer sk-test"


async def test_litellm_embedder_rejects_a_wrong_dimension(embeddings_server: str) -> None:
    _EmbeddingsHandler.answer_dimension = 12
    embedder = LiteLLMEmbedder("openai/text-embedding-3-small", 16, api_base=embeddings_server, api_key="sk-test")
    with pytest.raises(EmbeddingError, match="dimension 12, expected 16"):
        await embedder.embed(["a"])
