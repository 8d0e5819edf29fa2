"""Fixtures for the fakes' self-tests: each fake, and its real client built the way product code
should build it (no client-side retries: Temporal owns retries)."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

# litellm fetches its model price map from the network at import unless told not to; it is
# imported lazily inside the tests, after this line.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from tests.fakes.github import FakeGitHub
from tests.fakes.jira import FakeJira
from tests.fakes.llm import FakeLLM
from tests.fakes_selftest.clients import github_client as github_client_for

GITHUB_TOKEN = "ghp_selftest"
JIRA_AUTH = ("bot@acme.test", "jira-selftest")
_LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection to a non-loopback address: these tests must never leave the host."""
    original = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and not str(address[0]).startswith(_LOOPBACK):
            raise AssertionError(f"test tried to reach {address!r}")
        return original(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def github_fake() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=GITHUB_TOKEN) as fake:
        yield fake
        assert fake.server_errors == []


@pytest.fixture
def github_client(github_fake: FakeGitHub) -> Any:
    return github_client_for(github_fake.url, GITHUB_TOKEN)


@pytest.fixture
def jira_fake() -> Iterator[FakeJira]:
    with FakeJira(email=JIRA_AUTH[0], api_token=JIRA_AUTH[1]) as fake:
        yield fake
        assert fake.server_errors == []


@pytest.fixture
def llm_fake() -> Iterator[FakeLLM]:
    with FakeLLM(api_key="test", embedding_dim=32) as fake:
        yield fake
        assert fake.server_errors == []
