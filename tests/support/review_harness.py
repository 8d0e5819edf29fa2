"""A reviews worker wired to a local fake GitHub and a local fake LLM, on the real Temporal and database."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from contracts.common import Trigger
from contracts.review import NewHead, ReviewResult
from contracts.starts import review_pr_start
from core.settings import Settings
from core.temporal.client import start_workflow
from tests.fakes.github import FakeGitHub
from tests.fakes.github_diff import files_from_unified_diff
from tests.fakes.llm import FakeLLM
from tests.support.fixtures import fixture_bytes, fixture_json
from tests.support.settings import make_settings
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

OPENED = "github/octokit-webhooks__pull_request_opened.payload.json"


def review_settings(db_dsn: str, github: FakeGitHub, llm: FakeLLM | None, **extra: str) -> Settings:
    variables = {
        "GITHUB_API_URL": github.url,
        "GITHUB_USER_TOKEN": "ghp_test",
        "LLM_MODEL": "openai/reviewer",
        "LLM_TIMEOUT_SECONDS": "5",
        # Tests of other behaviour count the model's calls; the verification pass has tests of its own.
        "LLM_VERIFY": "false",
        **extra,
    }
    if llm is not None:
        variables |= {"LLM_API_BASE": llm.url + "/v1", "LLM_API_KEY": "test"}
    return make_settings(db_dsn, **variables)


def llm_answer(summary: str, comments: list[dict[str, Any]] | None = None, risk: str = "low") -> str:
    return json.dumps({"summary": summary, "risk": risk, "comments": comments or []})


@dataclass
class ReviewHarness:
    client: Client
    settings: Settings
    pool: asyncpg.Pool
    github: FakeGitHub
    llm: FakeLLM | None

    def seed_pull(self, diff_fixture: str | None = None, *, diff_text: str | None = None, **changes: Any) -> str:
        """The octokit 'opened' PR (Codertocat/Hello-World#2) with the files of a real diff."""
        event = fixture_json(OPENED)
        event["pull_request"].update(changes)
        text = diff_text if diff_text is not None else fixture_bytes(f"diffs/{diff_fixture}").decode()
        self.github.add_pull_from_event(event, files=files_from_unified_diff(text))
        return str(event["pull_request"]["head"]["sha"])

    def open_pull(self, base: dict[str, str], head: dict[str, str], title: str = "A change") -> tuple[str, int, str]:
        """A new repository holding `base`, a branch changing it to `head`, and a pull request of it:
        (repository, number, head sha). Its files can be read at the head, unlike `seed_pull`'s."""
        repo = f"acme/shop-{uuid.uuid4().hex[:6]}"
        self.github.add_repo(repo, files=base)
        head_sha = self.github.commit_changes(repo, head, branch="feature")
        return repo, self.github.open_pull(repo, title=title, head_ref="feature"), head_sha

    async def review_pull(self, repo: str, number: int, head_sha: str, *, force: bool = False) -> ReviewResult:
        """Review a pull request of `open_pull` to its end (a webhook start, as GitHub's would be)."""
        plan = review_pr_start(repository=repo, number=number, head_sha=head_sha, trigger="webhook", force=force)
        handle = await start_workflow(self.client, self.settings.temporal, plan)
        typed = self.client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=ReviewResult)
        return await typed.result()

    async def start(self, head_sha: str, *, force: bool = False, trigger: Trigger = "webhook") -> WorkflowHandle:
        plan = review_pr_start(
            repository="Codertocat/Hello-World",
            number=2,
            head_sha=head_sha,
            trigger=trigger,
            force=force,
            delivery_id=str(uuid.uuid4()),
        )
        return await start_workflow(self.client, self.settings.temporal, plan)

    async def signal_head(self, head_sha: str) -> None:
        handle = self.client.get_workflow_handle("review:Codertocat/Hello-World#2")
        await handle.signal("new_head", NewHead(head_sha=head_sha))

    async def review(self, head_sha: str, *, force: bool = False) -> ReviewResult:
        handle = await self.start(head_sha, force=force)
        typed = self.client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=ReviewResult)
        return await typed.result()

    def summary_comments(self) -> list[dict[str, Any]]:
        return [c for c in self.github.issue_comments("Codertocat/Hello-World", 2) if "pr-agent:summary" in c["body"]]

    def inline_comments(self) -> list[dict[str, Any]]:
        return self.github.review_comments("Codertocat/Hello-World", 2)


@asynccontextmanager
async def review_harness(
    client: Client,
    db_dsn: str,
    pool: asyncpg.Pool,
    *,
    with_llm: bool = True,
    **variables: str,
) -> AsyncIterator[ReviewHarness]:
    with FakeGitHub() as github, FakeLLM() as llm:
        configured = review_settings(db_dsn, github, llm if with_llm else None, **variables)
        deps = WorkerDeps(configured, pool)
        worker: Worker = build_worker(client, deps, "reviews", REGISTRATIONS["reviews"](deps))
        async with worker:
            yield ReviewHarness(client, configured, pool, github, llm if with_llm else None)
