"""Local HTTP servers that speak the real GitHub, Jira and OpenAI-compatible APIs, for tests.

Each fake listens on 127.0.0.1 (port 0) in a daemon thread, so PyGithub, the jira client and
litellm run for real against it. `tests/fakes_selftest/clients.py` shows how to build each client
(no client-side retries: Temporal owns retries).
"""

from tests.fakes.faults import Faults
from tests.fakes.github import FakeGitHub, files_from_unified_diff
from tests.fakes.http import FakeServer, RecordedRequest, Reply
from tests.fakes.jira import FakeJira
from tests.fakes.llm import FakeLLM

__all__ = [
    "FakeGitHub",
    "FakeJira",
    "FakeLLM",
    "FakeServer",
    "Faults",
    "RecordedRequest",
    "Reply",
    "files_from_unified_diff",
]
