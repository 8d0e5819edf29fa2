"""One LLM chat call through litellm, with Temporal owning the retries (reviews and investigations).

litellm is only ever called with `num_retries=0` and an explicit timeout. A failure is classified,
not retried here: rate limits, timeouts, connection failures and 5xx are retryable (the provider's
Retry-After becomes the next retry delay); any other 4xx is a permanent `LlmRequestRejected`.
Fallback models are tried in order within one attempt when the one before fails retryably: a
fail-over, not a retry.
"""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any

from opentelemetry.trace import Status, StatusCode
from temporalio.exceptions import ApplicationError

from core.metrics import record_llm_call, record_llm_error
from core.settings import LlmSettings
from core.telemetry import client_span
from core.temporal.errors import LLM_EMPTY_ANSWER, LLM_REJECTED, LLM_UNAVAILABLE

log = logging.getLogger(__name__)

ANSWER_MAX_TOKENS = 4096
RETRYABLE_STATUSES = frozenset({408, 409, 425, 429})
MAX_RETRY_AFTER_SECONDS = 600.0


@dataclass(frozen=True)
class LlmAnswer:
    text: str
    model: str
    tokens_in: int
    tokens_out: int
    cost_usd: float


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), capped; None if absent."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


def _retry_after(error: BaseException) -> float | None:
    # litellm keeps the provider's headers in `litellm_response_headers`; `response.headers` is a fallback.
    for source in (
        getattr(error, "litellm_response_headers", None),
        getattr(getattr(error, "response", None), "headers", None),
    ):
        if source is not None and hasattr(source, "get"):
            found = retry_after_seconds(source.get("retry-after"))
            if found is not None:
                return found
    return None


def classify(error: BaseException, model: str) -> ApplicationError:
    """The ApplicationError Temporal should see for a provider failure."""
    status = getattr(error, "status_code", None)
    message = f"{model}: {type(error).__name__}: {str(error)[:500]}"
    if isinstance(status, int) and 400 <= status < 500 and status not in RETRYABLE_STATUSES:
        return ApplicationError(message, type=LLM_REJECTED, non_retryable=True)
    delay = _retry_after(error)
    return ApplicationError(
        message, type=LLM_UNAVAILABLE, next_retry_delay=timedelta(seconds=delay) if delay is not None else None
    )


def models_of(llm: LlmSettings) -> list[str]:
    """The primary model, then the fallbacks, without repeats."""
    return list(dict.fromkeys([llm.model, *llm.fallback_models]))


async def ask(
    messages: list[dict[str, str]], llm: LlmSettings, *, json_mode: bool = False, max_tokens: int = ANSWER_MAX_TOKENS
) -> LlmAnswer:
    """Ask the configured model (then its fallbacks) once; raise a classified ApplicationError."""
    litellm = await asyncio.to_thread(_litellm)
    last: ApplicationError | None = None
    for model in models_of(llm):
        try:
            return await _traced_call(litellm, llm, model, messages, json_mode, max_tokens)
        except ApplicationError:
            raise
        except Exception as error:  # litellm maps every provider failure to an exception with a status
            last = classify(error, model)
            if last.non_retryable:
                raise last from error
            log.warning("model failed, trying the next one", extra={"model": model, "error": str(last)})
    if last is None:  # models_of never returns an empty list; this keeps mypy and readers sure
        raise ApplicationError("no LLM model is configured", non_retryable=True)
    raise last


async def _traced_call(
    litellm: Any, llm: LlmSettings, model: str, messages: list[dict[str, str]], json_mode: bool, max_tokens: int
) -> LlmAnswer:
    """One call in its own span, counted in the LLM metrics. The span keeps the error's type only:
    provider messages can echo request details."""
    with client_span("llm.complete", **{"gen_ai.system": llm.provider, "gen_ai.request.model": model}) as span:
        try:
            kwargs: dict[str, Any] = {"response_format": {"type": "json_object"}} if json_mode else {}
            response = await litellm.acompletion(
                model=model, messages=messages, api_base=llm.api_base,
                api_key=llm.api_key.get_secret_value() if llm.api_key else None,
                timeout=llm.timeout_seconds, num_retries=0, max_tokens=max_tokens, **kwargs,
            )  # fmt: skip
            answer = _answer(litellm, response, model)
        except Exception as error:
            record_llm_error(model)
            span.set_status(Status(StatusCode.ERROR, type(error).__name__))
            raise
        span.set_attribute("gen_ai.usage.input_tokens", answer.tokens_in)
        span.set_attribute("gen_ai.usage.output_tokens", answer.tokens_out)
    record_llm_call(model, answer.tokens_in, answer.tokens_out, answer.cost_usd)
    return answer


def import_litellm() -> None:
    """Import litellm now (workers call this before polling; see workers/run.py)."""
    _litellm()


@cache
def _litellm() -> Any:
    """litellm, imported on first use. Its import takes ~5 s of CPU: done in a thread, the worker's
    event loop keeps heartbeating meanwhile (a blocked loop would miss the heartbeat timeout)."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # else it fetches prices at import
    import litellm

    litellm.suppress_debug_info = True
    litellm.telemetry = False
    return litellm


def _answer(litellm: Any, response: Any, model: str) -> LlmAnswer:
    text = (response.choices[0].message.content or "").strip()
    if not text:
        raise ApplicationError(f"{model} returned an empty answer", type=LLM_EMPTY_ANSWER)
    usage = getattr(response, "usage", None)
    try:
        cost = float(litellm.completion_cost(completion_response=response) or 0.0)
    except Exception:  # models missing from litellm's price map (self-hosted ones) cost nothing known
        cost = 0.0
    return LlmAnswer(
        text=text,
        model=model,
        tokens_in=int(getattr(usage, "prompt_tokens", 0) or 0),
        tokens_out=int(getattr(usage, "completion_tokens", 0) or 0),
        cost_usd=cost,
    )
