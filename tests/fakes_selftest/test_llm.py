"""litellm (async, as product code calls it) against the OpenAI-compatible fake: answers,
usage, embeddings, and the 429 / 500 / timeout / 401 paths with litellm's retries off."""

from __future__ import annotations

import asyncio
import base64
import json
import math
import struct
import time
from typing import Any

import httpx
import openai
import pytest

from tests.fakes.llm import FakeLLM, Refusal


@pytest.fixture(scope="module")
def litellm() -> Any:
    import litellm  # lazily: ~5 s of import, and the conftest set LITELLM_LOCAL_MODEL_COST_MAP

    return litellm


async def _ask(litellm: Any, fake: FakeLLM, text: str, **extra: Any) -> Any:
    options: dict[str, Any] = {"num_retries": 0, "timeout": 5, "api_key": "test"}
    options.update(extra)
    return await litellm.acompletion(
        model="openai/reviewer",
        api_base=fake.url + "/v1",
        messages=[{"role": "system", "content": "You review code."}, {"role": "user", "content": text}],
        **options,
    )


async def test_queued_answer_usage_and_recorded_prompt(litellm: Any, llm_fake: FakeLLM) -> None:
    llm_fake.enqueue('{"findings": []}')
    answer = await _ask(litellm, llm_fake, "Review this diff")
    assert answer.choices[0].message.content == '{"findings": []}'
    assert answer.usage.prompt_tokens > 0 and answer.usage.completion_tokens == 4
    assert answer.usage.total_tokens == answer.usage.prompt_tokens + 4
    assert llm_fake.prompts == [
        [{"role": "system", "content": "You review code."}, {"role": "user", "content": "Review this diff"}]
    ]
    assert llm_fake.calls_by_model() == {"reviewer": 1}


async def test_a_queued_refusal_answers_that_one_call_with_the_providers_error(litellm: Any, llm_fake: FakeLLM) -> None:
    llm_fake.enqueue("first", Refusal(400, "context too long"), "third")
    assert (await _ask(litellm, llm_fake, "a")).choices[0].message.content == "first"
    with pytest.raises(litellm.BadRequestError, match="context too long") as refused:
        await _ask(litellm, llm_fake, "b")
    assert refused.value.status_code == 400
    assert (await _ask(litellm, llm_fake, "c")).choices[0].message.content == "third"
    assert len(llm_fake.chat_calls) == 3


async def test_responder_per_model_queue_and_deterministic_echo(litellm: Any, llm_fake: FakeLLM) -> None:
    llm_fake.enqueue("only for another model", model="other")
    first = await _ask(litellm, llm_fake, "same prompt")
    again = await _ask(litellm, llm_fake, "same prompt")
    echoed = json.loads(first.choices[0].message.content)
    assert echoed["last_user_message"] == "same prompt" and echoed["message_count"] == 2
    assert first.choices[0].message.content == again.choices[0].message.content
    llm_fake.responder = lambda request: f"saw {len(request['messages'])} messages"
    assert (await _ask(litellm, llm_fake, "x")).choices[0].message.content == "saw 2 messages"


async def test_rate_limit_is_a_rate_limit_error_after_one_request(litellm: Any, llm_fake: FakeLLM) -> None:
    llm_fake.faults.push(status=429, times=3, headers={"Retry-After": "1"})
    with pytest.raises(litellm.RateLimitError):
        await _ask(litellm, llm_fake, "x")
    assert len(llm_fake.requests) == 1  # neither litellm nor the openai SDK retried


async def test_server_error_is_an_internal_server_error(litellm: Any, llm_fake: FakeLLM) -> None:
    llm_fake.faults.push(status=500)
    with pytest.raises(litellm.InternalServerError) as failed:
        await _ask(litellm, llm_fake, "x")
    # Not a litellm.APIError: litellm's mapped errors share openai's base classes instead.
    assert failed.value.status_code == 500 and isinstance(failed.value, openai.APIStatusError)


async def test_a_slow_provider_is_a_timeout(litellm: Any, llm_fake: FakeLLM) -> None:
    llm_fake.faults.push(delay=5.0)
    started = time.monotonic()
    with pytest.raises(litellm.Timeout):
        await _ask(litellm, llm_fake, "x", timeout=0.3)
    assert time.monotonic() - started < 3


async def test_answers_take_the_set_delay_and_concurrent_calls_overlap(litellm: Any, llm_fake: FakeLLM) -> None:
    llm_fake.answer_delay = 0.5
    started = time.monotonic()
    answers = await asyncio.gather(*(_ask(litellm, llm_fake, f"question {i}") for i in range(4)))
    elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 1.5  # four answers of 0.5 s each, not one after another
    assert len(answers) == 4 and len(llm_fake.chat_calls) == 4


async def test_wrong_key_is_an_authentication_error(litellm: Any, llm_fake: FakeLLM) -> None:
    with pytest.raises(litellm.AuthenticationError):
        await _ask(litellm, llm_fake, "x", api_key="sk-wrong")
    assert llm_fake.chat_calls == []


@pytest.mark.filterwarnings("ignore::UserWarning")  # pydantic, on litellm's stream types
async def test_streaming_yields_the_answer(litellm: Any, llm_fake: FakeLLM) -> None:
    llm_fake.enqueue("streamed answer")
    chunks = await _ask(litellm, llm_fake, "x", stream=True)
    text = "".join([c.choices[0].delta.content or "" async for c in chunks])
    assert text == "streamed answer"


def _cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


async def test_embeddings_are_deterministic_unit_vectors_of_the_asked_size(litellm: Any, llm_fake: FakeLLM) -> None:
    texts = ["def fetch_user(user_id)", "def fetch_user(user_id): return db", "SELECT price"]
    result = await litellm.aembedding(
        model="openai/embedder", api_base=llm_fake.url + "/v1", api_key="test", input=texts, num_retries=0, timeout=5
    )
    vectors = [item["embedding"] for item in result.data]
    assert [len(v) for v in vectors] == [32, 32, 32]
    assert all(math.isclose(_cosine(v, v), 1.0, rel_tol=1e-6) for v in vectors)
    assert _cosine(vectors[0], vectors[1]) > _cosine(vectors[0], vectors[2])
    assert result.usage.prompt_tokens > 0
    # litellm forwards `dimensions` only for text-embedding-3 model names.
    again = await litellm.aembedding(
        model="openai/text-embedding-3-small",
        dimensions=8,
        api_base=llm_fake.url + "/v1",
        api_key="test",
        input=texts[:1],
    )
    assert len(again.data[0]["embedding"]) == 8
    assert [c.inputs for c in llm_fake.embedding_calls] == [texts, texts[:1]]


def test_base64_embeddings_decode_to_the_float_vectors(llm_fake: FakeLLM) -> None:
    body = {"model": "e", "input": "hello world", "encoding_format": "base64"}
    headers = {"Authorization": "Bearer test"}
    packed = httpx.post(f"{llm_fake.url}/v1/embeddings", json=body, headers=headers).json()
    plain = httpx.post(
        f"{llm_fake.url}/v1/embeddings", json={**body, "encoding_format": "float"}, headers=headers
    ).json()
    raw = base64.b64decode(packed["data"][0]["embedding"])
    decoded = struct.unpack(f"<{len(raw) // 4}f", raw)
    expected = plain["data"][0]["embedding"]
    assert len(decoded) == 32 and all(math.isclose(a, b, abs_tol=1e-6) for a, b in zip(decoded, expected, strict=True))
