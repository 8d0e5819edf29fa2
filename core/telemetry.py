"""Tracing (OpenTelemetry) and the Temporal SDK's metrics, set up once by each serving process.

One trace runs from a webhook request through the workflow to each activity, LLM call and query:
FastAPI is instrumented; the Temporal client carries `TracingInterceptor`, which puts the trace
context into workflow and activity headers (workers built from that client inherit it); LLM calls
and asyncpg queries open spans of their own. The exporter follows the standard variables
(OTEL_TRACES_EXPORTER = none | otlp | console, OTEL_EXPORTER_OTLP_*). With `none` spans are still
made and propagated, so log lines of one review share a trace_id across processes.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from core.metrics import expose_temporal_sdk_metrics, serve
from core.settings import Settings, TelemetrySettings

if TYPE_CHECKING:
    import asyncpg
    from fastapi import FastAPI
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from temporalio.client import Interceptor
    from temporalio.runtime import Runtime

log = logging.getLogger(__name__)

TRACER_NAME = "pr_agent"
# Probes and scrapes would be most of the spans and say nothing.
UNTRACED_PATHS = "/healthz,/readyz,/metrics"


@dataclass
class Telemetry:
    """What `configure_telemetry` set up; `shutdown()` flushes spans before the process exits."""

    provider: TracerProvider
    sdk_metrics_url: str | None

    def shutdown(self) -> None:
        self.provider.shutdown()


def configure_telemetry(
    settings: Settings, role: str, *, temporal_metrics: bool = True, serve_metrics: bool = False
) -> Telemetry:
    """Install the tracer provider and (before any Temporal client exists) the metrics-exporting runtime;
    with `serve_metrics` (workers), serve /metrics on METRICS_PORT when it is set."""
    provider = build_tracer_provider(settings, role)
    trace.set_tracer_provider(provider)
    url = None
    if temporal_metrics:
        from temporalio.runtime import Runtime

        runtime, url = prometheus_runtime()
        try:
            Runtime.set_default(runtime, error_if_already_set=True)
        except RuntimeError:
            log.warning("a Temporal runtime already existed: Temporal SDK metrics are not exported")
            url = None
    if serve_metrics and settings.telemetry.metrics_port:
        serve(settings.telemetry.metrics_port)
    return Telemetry(provider, url)


def build_tracer_provider(settings: Settings, role: str) -> TracerProvider:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    telemetry = settings.telemetry
    resource = Resource.create(
        {
            "service.name": telemetry.trace_service_name,
            "deployment.environment": telemetry.env,
            "pr_agent.role": role,
        }
    )
    provider = TracerProvider(resource=resource)
    exporter = span_exporter(telemetry)
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def span_exporter(telemetry: TelemetrySettings) -> SpanExporter | None:
    """The exporter OTEL_TRACES_EXPORTER names; OTLP takes endpoint, protocol and headers from settings."""
    if telemetry.traces_exporter == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        return ConsoleSpanExporter()
    if telemetry.traces_exporter != "otlp":
        return None
    headers = otlp_headers(telemetry.otlp_headers.get_secret_value() if telemetry.otlp_headers else "")
    if telemetry.otlp_protocol == "http/protobuf":
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpExporter

        # The generic endpoint names the collector; the HTTP exporter wants the signal's own path.
        endpoint = telemetry.otlp_endpoint.rstrip("/") + "/v1/traces" if telemetry.otlp_endpoint else None
        return HttpExporter(endpoint=endpoint, headers=headers or None)
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter

    return GrpcExporter(endpoint=telemetry.otlp_endpoint, headers=headers or None)


def otlp_headers(value: str) -> dict[str, str]:
    """OTEL_EXPORTER_OTLP_HEADERS: `key=value,key2=value2`, values URL-encoded."""
    pairs = (item.partition("=") for item in value.split(",") if "=" in item)
    return {unquote(key.strip()): unquote(val.strip()) for key, _, val in pairs if key.strip()}


def tracing_interceptors() -> list[Interceptor]:
    """For `Client.connect`: traces starts and signals, and (inherited by workers) workflows and activities."""
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor()]


def prometheus_runtime(host: str = "127.0.0.1") -> tuple[Runtime, str]:
    """A Temporal runtime exporting SDK metrics on a free loopback port, re-served by `core.metrics`."""
    from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

    port = _free_port(host)
    # `_total` on counters keeps the names identical after prometheus_client re-renders them.
    metrics = PrometheusConfig(bind_address=f"{host}:{port}", counters_total_suffix=True)
    runtime = Runtime(telemetry=TelemetryConfig(metrics=metrics))
    url = f"http://{host}:{port}/metrics"
    expose_temporal_sdk_metrics(url)
    return runtime, url


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def instrument_app(app: FastAPI, tracer_provider: TracerProvider | None = None) -> None:
    """Server spans for every request but probes and scrapes, without query strings (they may hold tokens)."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=tracer_provider, excluded_urls=UNTRACED_PATHS, server_request_hook=_drop_query
    )


def _drop_query(span: Span | None, scope: dict[str, Any]) -> None:
    # A Jira webhook may authenticate with ?token=...: keep it out of every exported span.
    if span is None or not span.is_recording() or not scope.get("query_string"):
        return
    attributes = getattr(span, "attributes", None) or {}
    for key in ("http.url", "url.full"):
        value = attributes.get(key)
        if isinstance(value, str):
            span.set_attribute(key, value.split("?", 1)[0])
    if "url.query" in attributes:
        span.set_attribute("url.query", "[redacted]")


def tracer() -> trace.Tracer:
    return trace.get_tracer(TRACER_NAME)


@contextmanager
def client_span(name: str, **attributes: str | int | float | bool) -> Iterator[Span]:
    """A span around a call to another service (an LLM provider). Exceptions are not recorded on it:
    provider messages can echo request details; the caller sets the status it wants."""
    with tracer().start_as_current_span(
        name, kind=SpanKind.CLIENT, attributes=attributes, record_exception=False, set_status_on_exception=False
    ) as span:
        yield span


def trace_queries(conn: asyncpg.Connection) -> None:
    """A `db.query` span for each query run inside a trace (asyncpg's query logger: no wrapping, no cost
    outside traces). Statements only: arguments may be payloads or secrets."""
    conn.add_query_logger(_query_span)


def _query_span(record: Any) -> None:
    # asyncpg calls this with call_soon, which carries the query's context: its span is current here.
    if not trace.get_current_span().get_span_context().is_valid:
        return
    end = time.time_ns()
    span = tracer().start_span(
        "db.query",
        kind=SpanKind.CLIENT,
        start_time=end - int(record.elapsed * 1e9),
        attributes={"db.system": "postgresql", "db.statement": " ".join(str(record.query).split())[:500]},
    )
    if record.exception is not None:
        span.set_status(Status(StatusCode.ERROR, type(record.exception).__name__))
    span.end(end_time=end)
