"""Reading one JSON object out of a model's answer.

Models wrap JSON in ```json fences, or add a sentence before it. Decoding tolerates both; what
cannot be used raises `LlmOutputError` with a reason a model can act on (for one repair attempt).
"""

from __future__ import annotations

import json
import re
from typing import Any


class LlmOutputError(ValueError):
    """The model's answer cannot be used; `reason` says why in words a model can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_FENCE = re.compile(r"```[ \t]*([A-Za-z0-9_-]*)[ \t]*\n(.*?)(?:\n[ \t]*```|\Z)", re.DOTALL)


def extract_json_object(text: str, keys: frozenset[str]) -> dict[str, Any]:
    """The first JSON object in the answer (fenced or not) that has one of `keys`; LlmOutputError otherwise."""
    if not text or not text.strip():
        raise LlmOutputError("the answer is empty; expected one JSON object")
    candidates = [m.group(2) for m in _FENCE.finditer(text)] + [text]
    first_error: str | None = None
    for candidate in candidates:
        try:
            return _first_object(candidate, keys)
        except LlmOutputError as error:
            first_error = first_error or error.reason
    raise LlmOutputError(first_error or "no JSON object found in the answer")


def _first_object(text: str, keys: frozenset[str]) -> dict[str, Any]:
    """The first JSON object in `text` that looks like an answer.

    Decoding is tried at every '{' so that prose before the JSON does not matter. When the
    review object itself is broken (truncated, a trailing comma), its nested comment objects
    still decode; they do not look like an answer, so the decoder's error is reported instead.
    """
    decoder = json.JSONDecoder()
    error: str | None = None
    fallback: dict[str, Any] | None = None
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError as exc:
            error = error or f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            continue
        if isinstance(value, dict) and keys & value.keys():
            return value
        if isinstance(value, dict) and fallback is None:
            fallback = value
    if error is None and fallback is not None:
        return fallback
    raise LlmOutputError(error or "no JSON object found in the answer")
