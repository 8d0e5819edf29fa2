"""The real-world fixtures in tests/fixtures (see its PROVENANCE.md), and signing them as GitHub and Jira do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from domain.webhooks.signatures import sign

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_path(relative: str) -> Path:
    """A fixture file by its path under tests/fixtures, e.g. "diffs/php-sql__....diff"."""
    path = FIXTURES / relative
    if not path.is_file():
        raise FileNotFoundError(f"no fixture {relative!r} in {FIXTURES}")
    return path


def fixture_paths(pattern: str) -> list[Path]:
    """Fixture files matching a glob under tests/fixtures, sorted; never empty, so a parametrized
    test cannot silently collect nothing."""
    paths = sorted(FIXTURES.glob(pattern))
    if not paths:
        raise FileNotFoundError(f"no fixture matches {pattern!r} in {FIXTURES}")
    return paths


def fixture_bytes(relative: str) -> bytes:
    return fixture_path(relative).read_bytes()


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
