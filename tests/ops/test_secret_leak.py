"""No configured secret reaches a log line, a workflow history or a span, through a webhook and a review."""

from __future__ import annotations

import json

import pytest

from tests.ops.scenario import Observed, secrets


def _span_text(observed: Observed) -> str:
    return "\n".join(
        json.dumps({"name": s.name, "attributes": dict(s.attributes or {}), "events": [e.name for e in s.events]})
        + repr([dict(e.attributes or {}) for e in s.events])
        + str(s.status.description)
        for s in observed.spans
    )


def test_the_run_did_what_the_leak_checks_rely_on(observed: Observed) -> None:
    # A leak test over a run that did nothing would prove nothing.
    assert observed.webhook_response["status"] == "started"
    assert observed.review_result["status"] == "posted" and observed.review_result["llm_used"]
    assert observed.jira_status == 202 and observed.admin_status == 200
    assert len(observed.log_records) > 5 and len(observed.stdout_lines) > 5
    assert observed.histories and observed.spans


@pytest.mark.parametrize("where", ["log records", "stdout", "workflow histories", "spans"])
def test_no_secret_appears(observed: Observed, where: str) -> None:
    text = {
        "log records": lambda: "\n".join(observed.log_records),
        "stdout": lambda: "\n".join(observed.stdout_lines),
        "workflow histories": lambda: "\n".join(observed.histories.values()),
        "spans": lambda: _span_text(observed),
    }[where]()
    leaked = [secret for secret in secrets() if secret in text]
    assert leaked == []


def test_leak_check_would_see_a_secret(observed: Observed) -> None:
    # The check must be able to fail: the canaries are in the settings the run used.
    configured = observed.settings.model_dump_json()  # SecretStr renders masked...
    assert not any(secret in configured for secret in secrets())
    raw = observed.settings.github.user_token
    assert raw is not None and raw.get_secret_value() in secrets()
