"""JSON log lines: trace ids, Temporal context flattened, the repository named, secrets masked."""

from __future__ import annotations

import json
import logging

from opentelemetry.sdk.trace import TracerProvider

from core.logs import JsonFormatter, TextFormatter, context_fields, mask, secret_values
from core.settings import Settings


def record(message: str = "hello", **extra: object) -> logging.LogRecord:
    item = logging.LogRecord("pr_agent.test", logging.INFO, __file__, 1, message, None, None)
    for key, value in extra.items():
        setattr(item, key, value)
    return item


def test_temporal_workflow_context_is_flattened_and_names_the_repository() -> None:
    details = {"workflow_id": "index:acme/api@main", "run_id": "r1", "workflow_type": "IndexRepo", "attempt": 2}
    fields = context_fields(record(temporal_workflow=details, step="plan"))
    assert fields == {
        "workflow_id": "index:acme/api@main",
        "run_id": "r1",
        "workflow_type": "IndexRepo",
        "temporal_attempt": 2,
        "repository": "acme/api",
        "step": "plan",
    }


def test_activity_context_uses_run_id_and_explicit_repository_wins() -> None:
    details = {"workflow_id": "review:acme/web#7", "workflow_run_id": "r2", "activity_type": "post_review"}
    fields = context_fields(record(temporal_activity=details, repository="other/repo"))
    assert fields["run_id"] == "r2" and fields["activity_type"] == "post_review"
    assert fields["repository"] == "other/repo"


def test_workflow_ids_without_a_repository_add_none() -> None:
    assert "repository" not in context_fields(record(temporal_workflow={"workflow_id": "sync-jira:KAN-3"}))
    assert "repository" not in context_fields(record())


def test_json_line_has_trace_and_span_of_the_current_span() -> None:
    tracer = TracerProvider().get_tracer("test")
    formatter = JsonFormatter("pr-agent", "test")
    with tracer.start_as_current_span("work") as span:
        line = json.loads(formatter.format(record()))
    context = span.get_span_context()
    assert line["trace_id"] == format(context.trace_id, "032x") and len(line["trace_id"]) == 32
    assert line["span_id"] == format(context.span_id, "016x")
    assert "trace_id" not in json.loads(formatter.format(record()))  # no span: no made-up ids


def test_configured_secrets_are_masked_in_json_and_text() -> None:
    settings = Settings.from_variables(
        {
            "GITHUB_USER_TOKEN": "ghp_secretvalue123",
            "DATABASE_URL": "postgresql://app:db-password-9@db:5432/app",
            "ADMIN_API_TOKEN": "short",  # too short to mask safely: left alone
        }
    )
    secrets = secret_values(settings)
    assert "ghp_secretvalue123" in secrets and "db-password-9" in secrets and "short" not in secrets
    leaky = record("token ghp_secretvalue123 and postgresql://app:db-password-9@db/app")
    assert "ghp_secretvalue123" not in JsonFormatter("s", "e", secrets).format(leaky)
    text = TextFormatter(secrets).format(leaky)
    assert "db-password-9" not in text and "***" in text


def test_secrets_are_masked_longest_first_so_no_tail_survives() -> None:
    settings = Settings.from_variables({"JIRA_API_TOKEN": "abcdefgh", "JIRA_WEBHOOK_SECRET": "abcdefgh-1234"})
    secrets = secret_values(settings)
    assert secrets == ["abcdefgh-1234", "abcdefgh"]
    assert mask("x abcdefgh-1234 y", secrets) == "x *** y"


def test_a_multi_line_secret_is_masked_in_its_json_escaped_form() -> None:
    key = "-----BEGIN KEY-----\nMIIEsecretbody\n-----END KEY-----"
    settings = Settings.from_variables({"GITHUB_APP_PRIVATE_KEY": key})
    line = JsonFormatter("s", "e", secret_values(settings)).format(record(f"loaded {key}"))
    assert "MIIEsecretbody" not in line and json.loads(line)["message"] == "loaded ***"
