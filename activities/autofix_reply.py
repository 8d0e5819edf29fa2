"""AutoFixPR's last steps: the one reply on the pull request (edited in place when a retried attempt
finds it by its marker), and the request's review_history row, metric and log line."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable

import asyncpg
from github import Github, GithubException
from temporalio import activity

from activities import autofix_github as gh
from clients.github import github_failure, make_github
from contracts.autofix import RecordAutofixInput, ReplyInput
from core.metrics import record_autofix
from core.settings import Settings
from db.autofix import AutofixRecord, AutofixRepository
from domain.autofix.report import render_reply

log = logging.getLogger(__name__)
GithubFactory = Callable[[str], Github]


class AutofixReplyActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, github: GithubFactory | None = None) -> None:
        self._store = AutofixRepository(pool)
        self._github = github or (lambda repository: make_github(settings.github, repository))

    @activity.defn(name="reply_autofix")
    async def reply_autofix(self, request: ReplyInput) -> int:
        """Post (or edit) the request's reply; returns its comment id."""
        body = render_reply(request.outcome)

        def post() -> int:
            repo = self._github(request.repository).get_repo(request.repository)
            return gh.post_reply(repo, request.number, request.outcome.request_id, body, request.reply_to)

        try:
            return await asyncio.to_thread(post)
        except GithubException as error:
            raise github_failure(error, f"cannot reply on {request.repository}#{request.number}") from error

    @activity.defn(name="record_autofix")
    async def record_autofix(self, request: RecordAutofixInput) -> None:
        outcome, asked = request.outcome, request.request
        info = activity.info()
        changed = outcome.status in ("pushed", "pull_request", "patch")
        await self._store.record(
            AutofixRecord(
                request_id=outcome.request_id,
                repository=asked.repository,
                pr_number=asked.number,
                head_sha=outcome.commit_sha or request.head_sha or "",
                status=outcome.status,
                trigger=asked.trigger,
                requester=asked.requester,
                pr_url=request.pr_url,
                workflow_id=info.workflow_id,
                run_id=info.workflow_run_id,
                outcome=dataclasses.asdict(outcome),
                findings_fixed=len(outcome.fixed) if changed else 0,
                reason=outcome.reason,
                reply_comment_id=request.reply_comment_id,
                model=request.model,
                tokens_in=request.tokens_in,
                tokens_out=request.tokens_out,
                cost_usd=request.cost_usd,
                duration_ms=request.duration_ms,
            )
        )
        record_autofix(outcome.status, len(outcome.fixed) if changed else 0, len(outcome.skipped))
        log.log(
            logging.WARNING if outcome.status in ("failed", "stale") else logging.INFO,
            "auto-fix %s: %d fixed, %d not",
            outcome.status,
            len(outcome.fixed),
            len(outcome.skipped),
            extra={
                "action": "autofix",
                "outcome": outcome.status,
                "repository": asked.repository,
                "pr_number": asked.number,
                "request_id": outcome.request_id,
                "requester": asked.requester,
                "trigger": asked.trigger,
                "findings_fixed": [f.id for f in outcome.fixed],
                "findings_skipped": [s.id for s in outcome.skipped],
                "commit_sha": outcome.commit_sha,
                "reason": outcome.reason,
            },
        )
