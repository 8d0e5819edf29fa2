"""Random bodies and headers at every endpoint: never a 5xx (property-based)."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from temporalio.client import Client

from core.settings import Settings
from core.temporal.client import TemporalGateway
from domain.webhooks.signatures import sign
from tests.support.api import app_client

ENDPOINTS = [
    "/api/v1/github_webhooks",
    "/api/v1/webhooks/push",
    "/api/v1/webhooks/github/organization",
    "/api/v1/webhooks/jira",
]
EVENTS = [
    "pull_request",
    "issue_comment",
    "push",
    "ping",
    "repository",
    "installation",
    "installation_repositories",
    "package",
    "registry_package",
    "x",
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20,
)
# Bodies shaped like the real ones, with parts missing or of the wrong type.
shaped = st.fixed_dictionaries(
    {},
    optional={
        "action": st.sampled_from(["opened", "synchronize", "created", "published", "closed", "renamed", "added"])
        | json_values,
        "number": st.integers() | json_values,
        "pull_request": st.fixed_dictionaries({}, optional={"head": json_values, "state": json_values}) | json_values,
        "repository": st.fixed_dictionaries(
            {}, optional={"full_name": st.text(max_size=15), "id": st.integers() | json_values}
        )
        | json_values,
        "installation": st.fixed_dictionaries({}, optional={"id": st.integers() | json_values}) | json_values,
        "repositories_added": json_values,
        "changes": json_values,
        "ref": st.text(max_size=20),
        "after": st.text(max_size=40),
        "issue": json_values,
        "comment": json_values,
        "webhookEvent": st.sampled_from(["jira:issue_created", "jira:issue_deleted", "x"]) | json_values,
        "package": json_values,
    },
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    shaped.map(lambda v: json.dumps(v).encode()),
)


async def test_random_input_never_causes_a_server_error(
    settings: Settings, pool: asyncpg.Pool, temporal_client: Client
) -> None:
    async with app_client(settings, pool, TemporalGateway(settings, temporal_client)) as http:
        seen: list[int] = []

        @settings_for_fuzz
        @given(
            endpoint=st.sampled_from(ENDPOINTS),
            body=bodies,
            event=st.sampled_from(EVENTS) | st.text(max_size=10),
            signed=st.booleans(),
            delivery=st.text(min_size=0, max_size=30),
        )
        def example(endpoint: str, body: bytes, event: str, signed: bool, delivery: str) -> None:
            pending.append((endpoint, body, event, signed, delivery))

        pending: list[tuple[Any, ...]] = []
        example()
        for endpoint, body, event, signed, delivery in pending:
            secret = "test-jira-secret" if endpoint.endswith("jira") else "test-webhook-secret"
            headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": delivery}
            if signed:
                headers["X-Hub-Signature-256"] = sign(secret, body)
                headers["X-Hub-Signature"] = sign(secret, body)
            headers = {k: v for k, v in headers.items() if v.isascii() and v.isprintable()}
            response = await http.post(endpoint, content=body, headers=headers)
            seen.append(response.status_code)
            assert response.status_code < 500, (endpoint, body, response.text)
    assert len(seen) >= 100
    assert any(code == 202 for code in seen) or any(code == 400 for code in seen)


settings_for_fuzz = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
