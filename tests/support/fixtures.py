"""The shared real-world fixtures (../shared/fixtures), and signing them as GitHub and Jira do."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from domain.webhooks.signatures import sign

FIXTURES = Path(os.environ.get("PR_AGENT_FIXTURES", Path(__file__).resolve().parents[3] / "shared" / "fixtures"))


def fixture_bytes(relative: str) -> bytes:
    return (FIXTURES / relative).read_bytes()


def fixture_json(relative: str) -> Any:
    return json.loads(fixture_bytes(relative))


def github_headers(secret: str, body: bytes, event: str, delivery: str) -> dict[str, str]:
    return {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": sign(secret, body),
        "Content-Type": "application/json",
    }


def jira_headers(secret: str, body: bytes, identifier: str | None = None) -> dict[str, str]:
    headers = {"X-Hub-Signature": sign(secret, body), "Content-Type": "application/json"}
    if identifier:
        headers["X-Atlassian-Webhook-Identifier"] = identifier
    return headers
