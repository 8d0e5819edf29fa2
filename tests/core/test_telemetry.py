"""Tracing set-up chosen by the OTEL_* variables; query spans; FastAPI spans without query strings."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as HttpExporter
from opentelemetry.sdk.trace.export import ConsoleSpanExporter

from core.settings import Settings
from core.telemetry import build_tracer_provider, otlp_headers, span_exporter


def telemetry(**variables: str) -> Settings:
    return Settings.from_variables(variables)


def test_no_exporter_by_default() -> None:
    assert span_exporter(telemetry().telemetry) is None
    assert span_exporter(telemetry(OTEL_TRACES_EXPORTER="none").telemetry) is None


def test_console_exporter() -> None:
    assert isinstance(span_exporter(telemetry(OTEL_TRACES_EXPORTER="Console").telemetry), ConsoleSpanExporter)


def test_otlp_grpc_uses_the_configured_endpoint_and_headers() -> None:
    settings = telemetry(
        OTEL_TRACES_EXPORTER="otlp",
        OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:4317",
        OTEL_EXPORTER_OTLP_HEADERS="x-api-key=abc%3D1,team=reviews",
    )
    exporter = span_exporter(settings.telemetry)
    assert isinstance(exporter, GrpcExporter)
    assert exporter._endpoint == "127.0.0.1:4317"
    assert dict(exporter._headers or ()) == {"x-api-key": "abc=1", "team": "reviews"}  # type: ignore[arg-type]
    exporter.shutdown()


def test_otlp_http_appends_the_traces_path() -> None:
    settings = telemetry(
        OTEL_TRACES_EXPORTER="otlp",
        OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf",
        OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:4318/",
    )
    exporter = span_exporter(settings.telemetry)
    assert isinstance(exporter, HttpExporter)
    assert exporter._endpoint == "http://127.0.0.1:4318/v1/traces"
    exporter.shutdown()


def test_unknown_exporter_is_a_settings_error() -> None:
    import pytest

    from core.settings import SettingsError

    with pytest.raises(SettingsError, match="OTEL_TRACES_EXPORTER"):
        telemetry(OTEL_TRACES_EXPORTER="jaeger")


def test_otlp_headers_parsing_ignores_malformed_items() -> None:
    assert otlp_headers("") == {}
    assert otlp_headers("a=1, b = two ,junk,=x") == {"a": "1", "b": "two"}


def test_service_name_defaults_to_service_name_and_otel_name_wins() -> None:
    default = build_tracer_provider(telemetry(SERVICE_NAME="pr-agent-staging"), "api")
    assert default.resource.attributes["service.name"] == "pr-agent-staging"
    assert default.resource.attributes["pr_agent.role"] == "api"
    named = build_tracer_provider(telemetry(SERVICE_NAME="x", OTEL_SERVICE_NAME="reviewer", NODE_ENV="staging"), "w")
    assert named.resource.attributes["service.name"] == "reviewer"
    assert named.resource.attributes["deployment.environment"] == "staging"


async def test_request_spans_drop_query_strings() -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from core.telemetry import instrument_app

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = FastAPI()

    @app.post("/hook")
    async def hook() -> dict[str, str]:
        return {}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {}

    instrument_app(app, tracer_provider=provider)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        await http.post("/hook", params={"token": "tok-secret-123"})
        await http.get("/healthz")
    spans = exporter.get_finished_spans()
    assert spans and all("healthz" not in s.name for s in spans)
    assert all("tok-secret-123" not in str(dict(s.attributes or {})) for s in spans)
    [server] = [s for s in spans if s.name == "POST /hook" and s.parent is None]
    assert str((server.attributes or {}).get("http.url")).endswith("/hook")
