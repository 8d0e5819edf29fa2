"""Log lines of the observed run: trace ids everywhere a trace is current, workflow context in activities."""

from __future__ import annotations

import json
from typing import Any

from opentelemetry.trace import SpanKind

from tests.ops.scenario import REVIEW_ID, Observed


def _json_lines(observed: Observed) -> list[dict[str, Any]]:
    return [json.loads(line) for line in observed.stdout_lines]


def _span(observed: Observed, name: str, kind: SpanKind | None = None) -> Any:
    [span] = [s for s in observed.spans if s.name == name and (kind is None or s.kind == kind)]
    return span


def test_every_printed_line_is_one_json_object(observed: Observed) -> None:
    lines = _json_lines(observed)
    assert lines and all({"timestamp", "level", "logger", "message", "service", "env"} <= set(line) for line in lines)


def test_webhook_line_carries_the_request_trace(observed: Observed) -> None:
    request = _span(observed, "POST /api/v1/github_webhooks", SpanKind.SERVER)
    [line] = [
        line
        for line in _json_lines(observed)
        if line["message"] == "webhook started workflows" and line["workflow_ids"] == [REVIEW_ID]
    ]
    assert line["trace_id"] == format(request.context.trace_id, "032x")


def test_activity_line_carries_workflow_run_repository_and_its_span(observed: Observed) -> None:
    record = _span(observed, "RunActivity:record_review")
    [line] = [line for line in _json_lines(observed) if line["message"] == "review recorded: posted"]
    assert line["workflow_id"] == REVIEW_ID and line["repository"] == "Codertocat/Hello-World"
    assert line["run_id"] == record.attributes["temporalRunID"]
    assert line["activity_type"] == "record_review" and line["workflow_type"] == "ReviewPR"
    assert line["trace_id"] == format(record.context.trace_id, "032x")
    assert line["span_id"] == format(record.context.span_id, "016x")
    assert "({" not in line["message"]  # temporalio's context suffix is off in JSON mode: fields carry it


def test_every_line_logged_by_activity_code_has_trace_and_workflow(observed: Observed) -> None:
    # The worker's own "Starting activity"/"Completing activity" lines come before and after the span.
    in_activities = [
        line
        for line in _json_lines(observed)
        if "activity_type" in line
        and not line["logger"].startswith("temporalio.worker")
        and line["message"] != "Starting activity"
    ]
    assert len(in_activities) >= 2  # at least the review's own line and the LLM client's
    for line in in_activities:
        assert line["workflow_id"] == REVIEW_ID and line["run_id"] and line["trace_id"] and line["span_id"]
