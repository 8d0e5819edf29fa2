"""Fixtures of the operations tests: an in-memory span exporter, and one observed production-shaped run."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.testing import WorkflowEnvironment

from db.embedded import DatabaseHandle
from tests.conftest import create_database
from tests.ops.scenario import Observed, observed_run


class ArmedProcessor(SpanProcessor):
    """Keeps finished spans only while armed, so the rest of the session does not fill memory."""

    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self.exporter = exporter
        self.armed = False

    def on_end(self, span: ReadableSpan) -> None:
        if self.armed:
            self.exporter.export([span])


@pytest.fixture(scope="session")
def span_processor() -> ArmedProcessor:
    """OpenTelemetry's provider is set once per process: join the SDK provider if one is installed."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    processor = ArmedProcessor(InMemorySpanExporter())
    provider.add_span_processor(processor)
    return processor


@pytest.fixture(scope="session")
async def observed(
    temporal_env: WorkflowEnvironment,
    pg_server: DatabaseHandle,
    migrated_template: str,
    span_processor: ArmedProcessor,
) -> AsyncIterator[Observed]:
    """One run shared by the trace, metrics and secret tests (a review takes seconds)."""
    database = await create_database(pg_server, migrated_template)
    target = temporal_env.client.service_client.config.target_host
    span_processor.armed = True
    try:
        async with observed_run(target, pg_server.dsn, database, span_processor.exporter) as run:
            span_processor.armed = False
            yield run
    finally:
        span_processor.armed = False
        span_processor.exporter.clear()
