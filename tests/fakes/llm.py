"""A local OpenAI-compatible LLM provider for tests, spoken to by the real litellm.

    with FakeLLM() as llm:
        llm.enqueue('{"findings": []}')
        await litellm.acompletion(model="openai/reviewer", api_base=llm.url + "/v1",
                                  api_key="test", messages=[...], num_retries=0, timeout=5)

Answers come from, in order: the queue (`enqueue`, optionally per model), `responder(request)`,
or a deterministic JSON echo of the request; `answer_delay` seconds pass before each chat answer, as
a real model takes time (each request waits on its own thread, so concurrent calls overlap).
Every chat request is kept in `chat_calls`. Embeddings are deterministic bag-of-words vectors,
so texts sharing words are closer than texts that share none (retrieval tests can rank).
or a deterministic JSON echo of the request. A `Refusal` in their place answers that call with the
provider's error body instead (`llm.enqueue(review, Refusal(400))`: the second call is refused).
Embeddings are deterministic bag-of-words vectors, so texts sharing words are closer than texts that
share none (retrieval tests can rank).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import struct
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.http import FakeServer, RecordedRequest, Reply

__all__ = ["ChatCall", "EmbeddingCall", "FakeLLM", "Refusal", "embed_text"]


@dataclass(frozen=True)
class Refusal:
    """An answer that is an API error: the call gets `status` with the provider's error body."""

    status: int
    message: str | None = None


Answer = str | Mapping[str, Any] | Refusal  # assistant content, a whole message (e.g. with tool_calls), or an error
Responder = Callable[[dict[str, Any]], Answer]
_V1 = r"(?:/v1)?"
_ERRORS = {
    400: ("invalid_request_error", None),
    401: ("invalid_request_error", "invalid_api_key"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
}


@dataclass(frozen=True)
class ChatCall:
    """One chat completion request and the content the fake answered."""

    model: str
    messages: list[dict[str, Any]]
    request: dict[str, Any]
    reply: Answer
    answered_at: float = field(default_factory=time.monotonic)  # for ordering against other events
    answered_wall: float = field(default_factory=time.time)  # for comparing with database timestamps


@dataclass(frozen=True)
class EmbeddingCall:
    model: str
    inputs: list[str]
    dimensions: int


class FakeLLM(FakeServer):
    """`POST /v1/chat/completions` and `POST /v1/embeddings`, OpenAI style.

    `api_key`: the only key accepted (None: any). `embedding_dim`: vector size unless the request
    asks for `dimensions`. `answer_delay`: seconds each chat completion takes.
    """

    def __init__(
        self,
        *,
        api_key: str | None = "test",
        responder: Responder | None = None,
        embedding_dim: int = 1536,
        seed: int = 0,
        answer_delay: float = 0.0,
    ) -> None:
        super().__init__(seed=seed)
        self.answer_delay = answer_delay
        self.api_key = api_key
        self.responder = responder
        self.embedding_dim = embedding_dim
        self.chat_calls: list[ChatCall] = []
        self.embedding_calls: list[EmbeddingCall] = []
        self._queues: dict[str | None, deque[Answer]] = {}
        self.route("POST", _V1 + "/chat/completions", self._chat)
        self.route("POST", _V1 + "/embeddings", self._embeddings)
        self.route("GET", _V1 + "/models", self._models)

    def enqueue(self, *answers: Answer, model: str | None = None) -> None:
        """Queue answers for the next calls (to `model` only, if given; the name as the server
        sees it, e.g. "reviewer" for litellm's "openai/reviewer")."""
        with self._lock:
            self._queues.setdefault(model, deque()).extend(answers)

    def calls_by_model(self) -> dict[str, int]:
        """How many chat completions each model received."""
        with self._lock:
            return dict(Counter(call.model for call in self.chat_calls))

    @property
    def prompts(self) -> list[list[dict[str, Any]]]:
        """The `messages` of every chat call, in order."""
        with self._lock:
            return [call.messages for call in self.chat_calls]

    # -- FakeServer hooks --------------------------------------------------------------------
    def error_reply(self, status: int, message: str | None = None) -> Reply:
        kind, code = _ERRORS.get(status, ("server_error" if status >= 500 else "api_error", None))
        text = message or f"fake provider error {status}"
        return Reply(status, {"error": {"message": text, "type": kind, "param": None, "code": code}})

    def authorize(self, request: RecordedRequest) -> Reply | None:
        if self.api_key is None:
            return None
        if request.headers.get("authorization") == f"Bearer {self.api_key}":
            return None
        return self.error_reply(401, "Incorrect API key provided.")

    def _serve(self, request: RecordedRequest) -> Reply:
        # The wait happens before the route takes the fake's lock, so concurrent calls overlap.
        if self.answer_delay > 0 and request.method == "POST" and request.path.endswith("/chat/completions"):
            self._stopping.wait(self.answer_delay)
        return super()._serve(request)

    # -- routes ------------------------------------------------------------------------------
    def _chat(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        body = request.json if isinstance(request.json, dict) else {}
        model, messages = body.get("model"), body.get("messages")
        if not isinstance(model, str) or not isinstance(messages, list) or not messages:
            return self.error_reply(400, "'model' and a non-empty 'messages' are required")
        answer = self._pick_answer(model, body)
        self.chat_calls.append(ChatCall(model, messages, body, answer))
        if isinstance(answer, Refusal):
            return self.error_reply(answer.status, answer.message)
        message = _message(answer)
        prompt = sum(_tokens(_text(m.get("content"))) + 4 for m in messages)
        usage = _usage(prompt, _tokens(_text(message.get("content"))))
        if body.get("stream"):
            return _stream(model, message, usage, len(self.chat_calls))
        choice = {"index": 0, "message": message, "finish_reason": _finish(message)}
        return Reply(200, {**_envelope(model, len(self.chat_calls)), "choices": [choice], "usage": usage})

    def _pick_answer(self, model: str, body: dict[str, Any]) -> Answer:
        for key in (model, None):
            queue = self._queues.get(key)
            if queue:
                return queue.popleft()
        if self.responder is not None:
            return self.responder(body)
        return echo(body)

    def _embeddings(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        body = request.json if isinstance(request.json, dict) else {}
        model, raw = body.get("model"), body.get("input")
        if not isinstance(model, str) or raw in (None, "", []):
            return self.error_reply(400, "'model' and 'input' are required")
        inputs = _inputs(raw)
        dim = int(body.get("dimensions") or self.embedding_dim)
        self.embedding_calls.append(EmbeddingCall(model, inputs, dim))
        as_base64 = body.get("encoding_format") == "base64"
        data = [
            {"object": "embedding", "index": i, "embedding": _encode(embed_text(t, dim), as_base64)}
            for i, t in enumerate(inputs)
        ]
        tokens = sum(_tokens(t) for t in inputs)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return Reply(200, {"object": "list", "data": data, "model": model, "usage": usage})

    def _models(self, request: RecordedRequest, p: dict[str, str]) -> Reply:
        names = sorted({c.model for c in self.chat_calls} | {"fake-model"})
        data = [{"id": n, "object": "model", "created": 0, "owned_by": "fake"} for n in names]
        return Reply(200, {"object": "list", "data": data})


def echo(body: Mapping[str, Any]) -> str:
    """The default answer: a deterministic JSON object describing the request."""
    messages = body.get("messages") or []
    users = [_text(m.get("content")) for m in messages if m.get("role") == "user"]
    digest = hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()
    summary = {
        "model": body.get("model"),
        "message_count": len(messages),
        "last_user_message": users[-1][:500] if users else "",
        "prompt_sha256": digest[:16],
    }
    return json.dumps(summary, sort_keys=True)


def embed_text(text: str, dim: int) -> list[float]:
    """A unit vector hashing the words of `text` into `dim` buckets (with signs)."""
    vector = [0.0] * dim
    words = re.findall(r"[a-z]+|\d+", text.lower()) or [text]
    for word in words:
        digest = hashlib.sha256(word.encode()).digest()
        bucket = int.from_bytes(digest[:8], "big") % dim
        vector[bucket] += 1.0 if digest[8] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


def _encode(vector: list[float], as_base64: bool) -> list[float] | str:
    if not as_base64:
        return vector
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()


def _inputs(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    if raw and all(isinstance(x, int) for x in raw):
        return [" ".join(map(str, raw))]  # one input given as token ids
    return [x if isinstance(x, str) else " ".join(map(str, x)) for x in raw]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: [{"type": "text", "text": ...}, ...]
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


def _usage(prompt: int, completion: int) -> dict[str, int]:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _message(answer: str | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(answer, str):
        return {"role": "assistant", "content": answer}
    return {"role": "assistant", "content": None, **answer}


def _finish(message: Mapping[str, Any]) -> str:
    return "tool_calls" if message.get("tool_calls") else "stop"


def _envelope(model: str, serial: int) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-fake-{serial}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": "fp_fake",
    }


def _stream(model: str, message: dict[str, Any], usage: dict[str, int], serial: int) -> Reply:
    """The answer as server-sent events: a role chunk, a content chunk, a final chunk."""
    envelope = {**_envelope(model, serial), "object": "chat.completion.chunk"}
    deltas = [{"role": "assistant", "content": ""}, {"content": message.get("content") or ""}]
    chunks = [{**envelope, "choices": [{"index": 0, "delta": d, "finish_reason": None}]} for d in deltas]
    last = {"index": 0, "delta": {}, "finish_reason": _finish(message)}
    chunks.append({**envelope, "choices": [last], "usage": usage})
    events = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    return Reply(200, events, content_type="text/event-stream")
