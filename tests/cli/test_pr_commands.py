"""`pr-agent review|improve|describe|ask --pr-url URL --dry-run` in a subprocess, against the GitHub (and
model) stand-ins: the real workflows run on an in-process Temporal, the result is printed, and nothing
is written on GitHub."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.github import FakeGitHub
from tests.fakes.llm import FakeLLM

PR_AGENT = str(Path(sys.executable).with_name("pr-agent"))
BASE = "export function allowed(admin: boolean): boolean {\n  return false;\n}\n"
HEAD = "export function allowed(admin: boolean): boolean {\n  if (admin) {\n    return true;\n  }\n  return false;\n}\n"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(token="ghp_cli") as fake:
        yield fake


def pull_request(github: FakeGitHub) -> tuple[str, str]:
    """A pull request on the stand-in and its web address (on the stand-in's host)."""
    repo = f"acme/cli-{uuid.uuid4().hex[:6]}"
    github.add_repo(repo, files={"src/auth.ts": BASE})
    github.commit_changes(repo, {"src/auth.ts": HEAD}, branch="feature")
    number = github.open_pull(repo, title="Admins pass", head_ref="feature", body="Author's words.")
    return repo, f"{github.url}/{repo}/pull/{number}"


def pr_agent(
    tmp_path: Path, db_dsn: str, github: FakeGitHub, *argv: str, llm: FakeLLM | None = None
) -> subprocess.CompletedProcess[str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LITELLM_LOCAL_MODEL_COST_MAP")}
    env = {
        **keep,
        "PR_AGENT_DATA_DIR": str(tmp_path / "data"),
        "NODE_ENV": "development",
        "DATABASE_URL": db_dsn,
        "GITHUB_API_URL": github.url,
        "GITHUB_USER_TOKEN": "ghp_cli",
    }
    if llm is not None:
        env |= {"LLM_MODEL": "openai/cli", "LLM_API_BASE": llm.url + "/v1", "LLM_API_KEY": "test"}
    return subprocess.run([PR_AGENT, *argv], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)


def writes(github: FakeGitHub) -> list[str]:
    return [f"{r.method} {r.path}" for r in github.requests_matching() if r.method != "GET"]


@pytest.mark.slow
def test_improve_dry_run_prints_the_suggestions_and_posts_nothing(
    tmp_path: Path, db_dsn: str, github: FakeGitHub
) -> None:
    repo, url = pull_request(github)
    suggestion = {
        "path": "src/auth.ts",
        "start_line": 2,
        "line": 4,
        "existing_code": "  if (admin) {\n    return true;\n  }",
        "improved_code": "  if (admin === true) {\n    return true;\n  }",
        "summary": "Compare strictly.",
        "importance": "medium",
        "category": "correctness",
    }
    with FakeLLM() as llm:
        llm.enqueue(json.dumps({"suggestions": [suggestion]}), json.dumps({"scores": [{"index": 0, "score": 8}]}))
        result = pr_agent(tmp_path, db_dsn, github, "improve", "--pr-url", url, "--dry-run", llm=llm)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "`src/auth.ts:4` Compare strictly. (self-check 8/10)" in result.stdout
    assert "```suggestion\n  if (admin === true) {\n    return true;\n  }\n```" in result.stdout
    assert "dry run: nothing was posted" in result.stderr
    assert writes(github) == [] and github.issue_comments(repo, 1) == [] and github.review_comments(repo, 1) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "printed"),
    [
        (["review"], "LLM review skipped: no LLM_API key configured."),
        (["describe"], "| `src/auth.ts` | modified | +3 −0 |"),
        (["ask", "--question", "when does allowed return true?"], "the model part was skipped: no LLM_API key"),
    ],
)
def test_review_describe_and_ask_dry_runs_print_and_post_nothing(
    tmp_path: Path, db_dsn: str, github: FakeGitHub, argv: list[str], printed: str
) -> None:
    repo, url = pull_request(github)
    result = pr_agent(tmp_path, db_dsn, github, argv[0], "--pr-url", url, "--dry-run", *argv[1:])
    assert result.returncode == 0, result.stdout + result.stderr
    assert printed in result.stdout
    assert writes(github) == [] and github.issue_comments(repo, 1) == []
    assert github.pull_record(repo, 1).body == "Author's words."


def test_a_url_that_is_no_pull_request_is_a_usage_error(tmp_path: Path, db_dsn: str, github: FakeGitHub) -> None:
    result = pr_agent(tmp_path, db_dsn, github, "improve", "--pr-url", "https://github.com/acme/api/issues/3")
    assert result.returncode == 2 and "is not a pull request URL" in result.stderr
