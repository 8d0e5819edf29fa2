"""One investigation step's LLM call: litellm with no retries of its own, errors sorted for Temporal.

Temporal owns retries (the step's RetryPolicy in workflows/investigation.py). Here a failure is
only classified: rate limits, timeouts, connection failures and 5xx are retryable (honouring the
provider's Retry-After), any other 4xx is permanent. Fallback models are tried in order within
one attempt when the model before them fails in a retryable way: a fail-over, not a retry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from core.settings import LlmSettings

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
    name = type(error).__name__
    message = f"{model}: {name}: {str(error)[:500]}"
    if isinstance(status, int) and 400 <= status < 500 and status not in RETRYABLE_STATUSES:
        return ApplicationError(message, type="LlmRequestRejected", non_retryable=True)
    delay = _retry_after(error)
    return ApplicationError(
        message,
        type="LlmUnavailable",
        next_retry_delay=timedelta(seconds=delay) if delay is not None else None,
    )


def models_of(llm: LlmSettings) -> list[str]:
    """The primary model, then the fallbacks, without repeats."""
    return list(dict.fromkeys([llm.model, *llm.fallback_models]))


async def ask(messages: list[dict[str, str]], llm: LlmSettings) -> LlmAnswer:
    """Ask the configured model (then its fallbacks) once; raise a classified ApplicationError."""
    litellm = await asyncio.to_thread(_litellm)
    last: ApplicationError | None = None
    for model in models_of(llm):
        try:
            response = await litellm.acompletion(
                model=model,
                messages=messages,
                api_base=llm.api_base,
                api_key=llm.api_key.get_secret_value() if llm.api_key else None,
                timeout=llm.timeout_seconds,
                num_retries=0,
                max_tokens=ANSWER_MAX_TOKENS,
            )
        except Exception as error:  # litellm maps every provider failure to an exception with a status
            last = classify(error, model)
            if last.non_retryable:
                raise last from error
            log.warning("investigation model failed, trying the next one", extra={"model": model, "error": str(last)})
            continue
        return _answer(litellm, response, model)
    if last is None:  # models_of never returns an empty list; this keeps mypy and readers sure
        raise ApplicationError("no LLM model is configured", non_retryable=True)
    raise last


def _litellm() -> Any:
    """litellm, imported on first use. Its import takes ~5 s of CPU: done in a thread, the worker's
    event loop keeps heartbeating meanwhile (a blocked loop would miss the heartbeat timeout)."""
    import litellm

    litellm.suppress_debug_info = True
    return litellm


def _answer(litellm: Any, response: Any, model: str) -> LlmAnswer:
    text = (response.choices[0].message.content or "").strip()
    if not text:
        raise ApplicationError(f"{model} returned an empty answer", type="LlmEmptyAnswer")
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


@asynccontextmanager
async def heartbeating(interval_seconds: float, details: dict[str, Any]) -> AsyncIterator[None]:
    """Heartbeat every `interval_seconds` while the body runs, so a killed worker is noticed
    after the heartbeat timeout instead of the whole start-to-close timeout."""

    async def beat() -> None:
        while True:
            activity.heartbeat(details)
            await asyncio.sleep(interval_seconds)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
