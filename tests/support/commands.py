"""A pull request with people on it, for the command workflows' tests (on tests.support.review_harness):
a repository with history, a change under review, collaborators with roles, and their comments."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from temporalio.client import Client

from contracts.commands import CommandRequest, CommandResult
from contracts.starts import WorkflowStart
from core.temporal.client import start_workflow
from tests.support.review_harness import ReviewHarness

DEVELOPER = "dana-dev"  # write access
READER = "rey-reader"  # read access only


@dataclass
class PullRequestWorld:
    h: ReviewHarness
    repo: str
    number: int
    head: str

    def comment(self, body: str, login: str = DEVELOPER) -> CommandRequest:
        """A comment by `login` holding a command, and the request routing makes of it."""
        comment_id = self.h.github.add_issue_comment(self.repo, self.number, body, user_login=login)
        return CommandRequest(trigger="comment", author=login, comment_id=comment_id, delivery_id=str(uuid.uuid4()))

    def push(self, changes: Mapping[str, str | None]) -> str:
        self.head = self.h.github.commit_changes(self.repo, changes, branch="feature", message="More work")
        return self.head

    def issue_comments(self, marker: str = "") -> list[dict[str, Any]]:
        return [c for c in self.h.github.issue_comments(self.repo, self.number) if marker in c["body"]]

    def review_comments(self) -> list[dict[str, Any]]:
        return self.h.github.review_comments(self.repo, self.number)

    def bot_reactions(self, comment_id: int) -> list[str]:
        reactions = self.h.github.reactions(self.repo, comment_id)
        return [r["content"] for r in reactions if r["user"]["login"] == self.h.github.bot_login]

    def body(self) -> str:
        return self.h.github.pull_record(self.repo, self.number).body or ""


def open_pull(
    h: ReviewHarness, base: Mapping[str, str], head: Mapping[str, str], *, title: str = "Allow actions", body: str = ""
) -> PullRequestWorld:
    repo = f"acme/shop-{uuid.uuid4().hex[:6]}"
    h.github.add_repo(repo, files=dict(base))
    sha = h.github.commit_changes(repo, dict(head), branch="feature")
    number = h.github.open_pull(repo, title=title, head_ref="feature", body=body, user_login=DEVELOPER)
    h.github.add_collaborator(repo, DEVELOPER, "write")
    h.github.add_user(READER)
    return PullRequestWorld(h, repo, number, sha)


async def run(client: Client, h: ReviewHarness, plan: WorkflowStart) -> CommandResult:
    handle = await start_workflow(client, h.settings.temporal, plan)
    typed = client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=CommandResult)
    return await typed.result()
