"""One LLM chat call through litellm, with Temporal owning the retries.

litellm is imported here, lazily, and only ever called with `num_retries=0` and an explicit
timeout. Failures are sorted for Temporal: rate limits, 5xx, timeouts and connection errors are
retryable (a 429's Retry-After becomes the next retry delay); any other 4xx is a permanent
`LlmProviderRejected`. Fallback models are tried in order within one attempt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from opentelemetry.trace import Status, StatusCode
from temporalio.exceptions import ApplicationError

from core.metrics import record_llm_call, record_llm_error
from core.settings import LlmSettings
from core.telemetry import client_span

LLM_REJECTED = "LlmProviderRejected"
LLM_OUTPUT_INVALID = "LlmOutputError"


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    tokens_in: int
    tokens_out: int
    cost_usd: float


def _litellm() -> Any:
    # The model price map ships inside the package; without this litellm fetches it at import.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    import litellm

    litellm.telemetry = False
    return litellm


async def complete(settings: LlmSettings, messages: list[dict[str, str]], *, json_mode: bool = True) -> Completion:
    """Ask the configured model (then each fallback) once; raise a classified error when all fail."""
    models = [settings.model, *settings.fallback_models]
    last: Exception | None = None
    for model in models:
        try:
            return await _traced_call(settings, model, messages, json_mode)
        except Exception as error:  # classified below; the next model may still answer
            last = error
    assert last is not None
    raise classify(last) from last


async def _traced_call(
    settings: LlmSettings, model: str, messages: list[dict[str, str]], json_mode: bool
) -> Completion:
    """One call in its own span, counted in the LLM metrics. The span keeps the error's type only:
    provider messages can echo request details."""
    attributes = {"gen_ai.system": settings.provider, "gen_ai.request.model": model}
    with client_span("llm.complete", **attributes) as span:
        try:
            completion = await _call(settings, model, messages, json_mode)
        except Exception as error:
            record_llm_error(model)
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            raise
        span.set_attribute("gen_ai.usage.input_tokens", completion.tokens_in)
        span.set_attribute("gen_ai.usage.output_tokens", completion.tokens_out)
    record_llm_call(model, completion.tokens_in, completion.tokens_out, completion.cost_usd)
    return completion


async def _call(settings: LlmSettings, model: str, messages: list[dict[str, str]], json_mode: bool) -> Completion:
    litellm = _litellm()
    kwargs: dict[str, Any] = {
        "model": model,
        "messages": messages,
        "timeout": settings.timeout_seconds,
        "num_retries": 0,
        "temperature": 0.1,
    }
    if settings.api_base:
        kwargs["api_base"] = settings.api_base
    if settings.api_key is not None:
        kwargs["api_key"] = settings.api_key.get_secret_value()
    if json_mode:
        kwargs["response_format"] = {"type": "json_object"}
    response = await litellm.acompletion(**kwargs)
    usage = getattr(response, "usage", None)
    return Completion(
        text=response.choices[0].message.content or "",
        model=model,
        tokens_in=int(getattr(usage, "prompt_tokens", 0) or 0),
        tokens_out=int(getattr(usage, "completion_tokens", 0) or 0),
        cost_usd=_cost(litellm, response),
    )


def _cost(litellm: Any, response: Any) -> float:
    try:
        return float(litellm.completion_cost(completion_response=response) or 0.0)
    except Exception:  # a model missing from the price map costs "unknown", recorded as 0
        return 0.0


def classify(error: Exception) -> Exception:
    """Map a provider error to what Temporal should do with it."""
    status = getattr(error, "status_code", None)
    if status == 429:
        return ApplicationError(
            f"LLM rate limited: {error}", type="LlmRateLimited", next_retry_delay=_retry_after(error)
        )
    if isinstance(status, int) and 400 <= status < 500 and status not in (408, 409):
        return ApplicationError(
            f"LLM provider rejected the request ({status}): {error}", type=LLM_REJECTED, non_retryable=True
        )
    return error  # 5xx, timeouts, connection errors: retryable as they are


def _retry_after(error: Exception) -> timedelta | None:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None) or {}
    value = headers.get("retry-after") if hasattr(headers, "get") else None
    try:
        return timedelta(seconds=min(float(value), 300)) if value is not None else None
    except (TypeError, ValueError):
        return None
