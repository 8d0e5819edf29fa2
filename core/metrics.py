"""Prometheus metrics: the product's own, and the Temporal SDK's, served from one endpoint per process.

Product metrics are recorded where the event happens (the record_review activity, webhook intake,
each LLM call) into prometheus_client's default registry, which also carries the process metrics.
The Temporal SDK (its Rust core) exports its metrics on a loopback port of its own
(`core.telemetry.prometheus_runtime`); `TemporalSdkMetrics` reads that page at scrape time and
re-serves it, so the API's `/metrics` and a worker's METRICS_PORT each show both families.
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterable, Iterator

import prometheus_client
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families

from domain.findings import Finding

log = logging.getLogger(__name__)

REGISTRY = prometheus_client.REGISTRY
CONTENT_TYPE = CONTENT_TYPE_LATEST

REVIEWS = Counter("pr_agent_reviews", "Reviews recorded, by outcome (posted, skipped).", ["outcome"])
REVIEW_DURATION = Histogram(
    "pr_agent_review_duration_seconds",
    "From fetching a head to its review being posted.",
    buckets=(5, 15, 30, 60, 120, 300, 600, 1200),
)
FINDINGS = Counter("pr_agent_review_findings", "Findings in posted reviews, by severity.", ["severity"])
LLM_TOKENS = Counter("pr_agent_llm_tokens", "LLM tokens, by model and direction.", ["model", "direction"])
LLM_COST = Counter("pr_agent_llm_cost_usd", "LLM cost in US dollars (litellm's price map), by model.", ["model"])
LLM_CALLS = Counter("pr_agent_llm_calls", "LLM calls, by model and outcome (ok, error).", ["model", "outcome"])
DELIVERIES = Counter(
    "pr_agent_webhook_deliveries",
    "Webhook deliveries, by source and status (started, ignored, duplicate, pending; replay_started, ...).",
    ["source", "status"],
)
AUTOFIXES = Counter(
    "pr_agent_autofix_requests",
    "Auto-fix requests answered, by outcome (pushed, pull_request, patch, failed, refused, nothing).",
    ["outcome"],
)
AUTOFIX_FINDINGS = Counter(
    "pr_agent_autofix_findings",
    "Findings an auto-fix request fixed or could not fix, by result (fixed, failed).",
    ["result"],
)
INDEX_LAG = Gauge(
    "pr_agent_index_lag_seconds",
    "Seconds between a repository's newest pushed commit and its code index catching up.",
    ["repository"],
)


def record_review(outcome: str, findings: Iterable[Finding], duration_ms: int | None) -> None:
    """One recorded review: its outcome, and for a posted one its findings and duration."""
    REVIEWS.labels(outcome=outcome).inc()
    for finding in findings:
        FINDINGS.labels(severity=str(finding.severity)).inc()
    if duration_ms is not None and outcome == "posted":
        REVIEW_DURATION.observe(duration_ms / 1000)


def record_autofix(outcome: str, fixed: int, failed: int) -> None:
    """One answered auto-fix request: its outcome, and how many of its findings were fixed or not."""
    AUTOFIXES.labels(outcome=outcome).inc()
    AUTOFIX_FINDINGS.labels(result="fixed").inc(max(fixed, 0))
    AUTOFIX_FINDINGS.labels(result="failed").inc(max(failed, 0))


def record_llm_call(model: str, tokens_in: int, tokens_out: int, cost_usd: float) -> None:
    LLM_CALLS.labels(model=model, outcome="ok").inc()
    LLM_TOKENS.labels(model=model, direction="input").inc(max(tokens_in, 0))
    LLM_TOKENS.labels(model=model, direction="output").inc(max(tokens_out, 0))
    LLM_COST.labels(model=model).inc(max(cost_usd, 0.0))


def record_llm_error(model: str) -> None:
    LLM_CALLS.labels(model=model, outcome="error").inc()


def record_delivery(source: str, status: str) -> None:
    DELIVERIES.labels(source=source, status=status).inc()


def set_index_lag(repository: str, seconds: float) -> None:
    """Seconds from a commit to its index being written: how far the index trailed that push."""
    INDEX_LAG.labels(repository=repository).set(max(seconds, 0.0))


class TemporalSdkMetrics:
    """A collector that re-serves the Temporal SDK's Prometheus page (empty until an endpoint is set)."""

    def __init__(self) -> None:
        self.url: str | None = None

    def describe(self) -> list[Metric]:
        return []  # names are the SDK's, unknown until scraped: skip the registry's duplicate check

    def collect(self) -> Iterator[Metric]:
        if self.url is None:
            return
        try:
            with urllib.request.urlopen(self.url, timeout=2) as response:  # loopback only
                text = response.read().decode()
        except OSError as error:
            log.warning("Temporal SDK metrics unavailable: %s", error)
            return
        yield from text_string_to_metric_families(text)


TEMPORAL_SDK = TemporalSdkMetrics()
REGISTRY.register(TEMPORAL_SDK)


def expose_temporal_sdk_metrics(url: str) -> None:
    """Serve this process's Temporal SDK metrics (from `url`) alongside the product's."""
    TEMPORAL_SDK.url = url


def render() -> bytes:
    """The Prometheus text page; blocking (it reads the SDK's page), so call it off the event loop."""
    return prometheus_client.generate_latest(REGISTRY)


def serve(port: int, host: str = "0.0.0.0") -> None:
    """A worker's metrics endpoint (a daemon thread, on every interface: Prometheus scrapes it from outside
    the pod); the API serves `/metrics` on its own port instead."""
    prometheus_client.start_http_server(port, addr=host, registry=REGISTRY)
    log.info("metrics served", extra={"metrics_port": port})
