"""Product metrics, and the Temporal SDK's page re-served through the same registry."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from core import metrics
from domain.findings import Finding

SDK_PAGE = b"""# HELP temporal_request_total Count of client request successes by rpc name
# TYPE temporal_request_total counter
temporal_request_total{operation="GetSystemInfo",service_name="temporal-core-sdk"} 3
# HELP temporal_workflow_task_execution_latency Histogram of workflow task execution latencies
# TYPE temporal_workflow_task_execution_latency histogram
temporal_workflow_task_execution_latency_bucket{task_queue="reviews",le="50"} 1
temporal_workflow_task_execution_latency_bucket{task_queue="reviews",le="+Inf"} 2
temporal_workflow_task_execution_latency_sum{task_queue="reviews"} 70
temporal_workflow_task_execution_latency_count{task_queue="reviews"} 2
"""


@pytest.fixture
def sdk_page() -> Iterator[str]:
    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.end_headers()
            self.wfile.write(SDK_PAGE)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/metrics"
    server.shutdown()


def test_sdk_page_is_re_served_with_the_same_names_and_values(sdk_page: str) -> None:
    collector = metrics.TemporalSdkMetrics()
    collector.url = sdk_page
    registry = CollectorRegistry()
    registry.register(collector)
    text = generate_latest(registry).decode()
    assert 'temporal_request_total{operation="GetSystemInfo",service_name="temporal-core-sdk"} 3.0' in text
    assert 'temporal_workflow_task_execution_latency_bucket{le="+Inf",task_queue="reviews"} 2.0' in text
    assert 'temporal_workflow_task_execution_latency_count{task_queue="reviews"} 2.0' in text


def test_unreachable_sdk_page_costs_the_scrape_nothing_else(caplog: pytest.LogCaptureFixture) -> None:
    collector = metrics.TemporalSdkMetrics()
    registry = CollectorRegistry()
    registry.register(collector)
    assert b"temporal_" not in generate_latest(registry)  # no endpoint yet
    collector.url = "http://127.0.0.1:9/metrics"  # discard port: refused
    assert b"temporal_" not in generate_latest(registry)
    assert "Temporal SDK metrics unavailable" in caplog.text


def _value(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def test_record_review_counts_outcome_findings_by_severity_and_duration() -> None:
    before = (
        _value("pr_agent_reviews_total", outcome="posted"),
        _value("pr_agent_review_findings_total", severity="critical"),
        _value("pr_agent_review_findings_total", severity="low"),
        _value("pr_agent_review_duration_seconds_count"),
    )
    findings = [
        Finding("a.py", 1, "critical", "r", "m"),
        Finding("a.py", 2, "critical", "r", "m"),
        Finding("b", 3, "low", "r", "m"),
    ]
    metrics.record_review("posted", findings, 42_000)
    metrics.record_review("skipped", [], None)
    after = (
        _value("pr_agent_reviews_total", outcome="posted"),
        _value("pr_agent_review_findings_total", severity="critical"),
        _value("pr_agent_review_findings_total", severity="low"),
        _value("pr_agent_review_duration_seconds_count"),
    )
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 2, 1, 1]


def test_llm_usage_is_counted_per_model() -> None:
    tokens = _value("pr_agent_llm_tokens_total", model="m-test", direction="output")
    cost = _value("pr_agent_llm_cost_usd_total", model="m-test")
    metrics.record_llm_call("m-test", 100, 25, 0.5)
    metrics.record_llm_error("m-test")
    assert _value("pr_agent_llm_tokens_total", model="m-test", direction="output") - tokens == 25
    assert _value("pr_agent_llm_cost_usd_total", model="m-test") - cost == 0.5
    assert _value("pr_agent_llm_calls_total", model="m-test", outcome="error") >= 1


def test_index_lag_is_a_gauge_per_repository_never_negative() -> None:
    metrics.set_index_lag("acme/api", 12.5)
    metrics.set_index_lag("acme/web", -3)
    assert _value("pr_agent_index_lag_seconds", repository="acme/api") == 12.5
    assert _value("pr_agent_index_lag_seconds", repository="acme/web") == 0
