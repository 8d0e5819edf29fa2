"""The API's /metrics after a review: the Temporal SDK's metrics and the product's, in one page."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.ops.scenario import Observed


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    """The sum of `name` over every sample whose labels include `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples(text).items() if n == name and wanted <= ls)


def test_temporal_sdk_metrics_of_the_reviews_worker_are_served(observed: Observed) -> None:
    queue = observed.settings.temporal.queue_reviews
    text = observed.metrics_text
    assert value(text, "temporal_workflow_completed_total", task_queue=queue, workflow_type="ReviewPR") == 1
    assert (
        value(text, "temporal_activity_execution_latency_count", task_queue=queue, activity_type="record_review") >= 1
    )
    assert value(text, "temporal_request_total", operation="SignalWithStartWorkflowExecution") >= 1


def test_product_metrics_count_the_review_its_findings_and_llm_usage(observed: Observed) -> None:
    text = observed.metrics_text
    assert value(text, "pr_agent_reviews_total", outcome="posted") >= 1
    assert value(text, "pr_agent_review_duration_seconds_count") >= 1
    assert value(text, "pr_agent_review_findings_total", severity="high") >= 1
    assert value(text, "pr_agent_llm_tokens_total", model="openai/reviewer", direction="input") > 0
    assert value(text, "pr_agent_llm_calls_total", model="openai/reviewer", outcome="ok") >= 1
    assert value(text, "pr_agent_webhook_deliveries_total", source="github", status="started") >= 1
    assert value(text, "pr_agent_webhook_deliveries_total", source="jira", status="started") >= 1


def test_metrics_page_is_prometheus_text_with_process_metrics(observed: Observed) -> None:
    names = {family.name for family in text_string_to_metric_families(observed.metrics_text)}
    assert "process_cpu_seconds" in names
    assert {"pr_agent_index_lag_seconds", "pr_agent_llm_cost_usd"} <= names
