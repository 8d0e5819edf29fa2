"""One trace from the webhook request through ReviewPR to each of its activities, LLM and database calls."""

from __future__ import annotations

from opentelemetry.trace import SpanKind

from tests.ops.scenario import Observed

REVIEW_ACTIVITIES = (
    "fetch_pull_request",
    "load_review_context",
    "analyze_changes",
    "generate_llm_review",
    "verify_llm_review",
    "collect_feedback",
    "post_review",
    "record_review",
)


def _request_trace(observed: Observed) -> int:
    [request] = [s for s in observed.spans if s.kind == SpanKind.SERVER and s.name == "POST /api/v1/github_webhooks"]
    assert request.context is not None
    return request.context.trace_id


def test_webhook_review_workflow_and_activities_share_one_trace(observed: Observed) -> None:
    trace_id = _request_trace(observed)
    in_trace = {s.name for s in observed.spans if s.context is not None and s.context.trace_id == trace_id}
    assert "SignalWithStartWorkflow:ReviewPR" in in_trace
    assert "RunWorkflow:ReviewPR" in in_trace
    for name in REVIEW_ACTIVITIES:
        assert f"StartActivity:{name}" in in_trace
        assert f"RunActivity:{name}" in in_trace
    assert "llm.complete" in in_trace
    assert "db.query" in in_trace


def test_review_spans_belong_to_no_other_trace(observed: Observed) -> None:
    trace_id = _request_trace(observed)
    review_spans = [s for s in observed.spans if s.name.endswith(":ReviewPR") or s.name.startswith("RunActivity:")]
    assert review_spans
    assert {s.context.trace_id for s in review_spans if s.context is not None} == {trace_id}


def test_llm_spans_carry_model_and_token_usage(observed: Observed) -> None:
    """The review's answer and the verification pass: one LLM span each, under its own activity."""
    names = {s.context.span_id: s.name for s in observed.spans if s.context is not None}
    by_parent = {
        names.get(s.parent.span_id) if s.parent else None: s for s in observed.spans if s.name == "llm.complete"
    }
    assert set(by_parent) == {"RunActivity:generate_llm_review", "RunActivity:verify_llm_review"}
    for llm in by_parent.values():
        attributes = dict(llm.attributes or {})
        assert attributes["gen_ai.request.model"] == "openai/reviewer"
        assert int(attributes["gen_ai.usage.input_tokens"]) > 0  # type: ignore[arg-type]
        assert int(attributes["gen_ai.usage.output_tokens"]) > 0  # type: ignore[arg-type]


def test_database_queries_of_an_activity_are_its_children(observed: Observed) -> None:
    [record] = [s for s in observed.spans if s.name == "RunActivity:record_review"]
    assert record.context is not None
    children = [
        s for s in observed.spans if s.name == "db.query" and s.parent and s.parent.span_id == record.context.span_id
    ]
    assert any("review_history" in str((s.attributes or {}).get("db.statement")) for s in children)
