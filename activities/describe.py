"""DescribePR's activities: the model's part of the description, then the section written into the
pull request's body.

Writing is a read-modify-write of the latest body, read right before the PATCH, so the author's
text outside the section, and an edit made while the model was writing, are kept. (GitHub offers
no conditional PATCH: an edit landing in the instant between that read and the write would still
be lost; the window is one round trip, not the minutes the model takes.)
"""

from __future__ import annotations

import asyncio
from collections import Counter

import asyncpg
from github import GithubException
from temporalio import activity

from activities.command_llm import CommandLlm
from activities.review_github import ProviderFactory
from activities.review_report import pull_request_info
from clients.github import github_failure
from clients.pull_requests import provider_for
from contracts.commands import DescribeOutcome, DescribeRequest, WriteDescriptionInput, WriteDescriptionResult
from core.settings import Settings
from core.temporal.heartbeat import heartbeating
from domain.commands.prompts import context_values
from domain.describe.body import merge_description
from domain.describe.render import DescriptionFacts, TicketLine, WalkthroughFile, render_description
from domain.describe.schema import DescribeAnswer, describe_json_schema, parse_describe_answer
from domain.review.report import SKIP_NOTHING_TO_REVIEW


class DescribeActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, providers: ProviderFactory | None = None) -> None:
        self._settings = settings
        self._pool = pool
        self._providers = providers or (lambda pr: provider_for(settings.github, pr))

    @activity.defn(name="generate_description")
    async def generate_description(self, request: DescribeRequest) -> DescribeOutcome:
        """What and why, file notes, risk and labels from the model, or why it was not asked."""
        llm = CommandLlm(self._settings, self._pool, "describe", request.snapshot)
        reason = await llm.skip_reason()
        if reason or not any(f.patch for f in request.snapshot.files):
            return DescribeOutcome(skipped_reason=reason or SKIP_NOTHING_TO_REVIEW)
        frame = context_values(pull_request_info(request.snapshot), request.context.bundle, request.findings)
        frame["schema"] = describe_json_schema()
        diff, _ = llm.fit_diff(request.findings, frame)
        paths = {f.path for f in request.snapshot.files}
        async with heartbeating({"step": "describe"}, every=5.0):
            answer = await llm.ask_json(
                llm.prompt.messages({**frame, "diff": diff}),
                lambda text: parse_describe_answer(text, paths),
                describe_json_schema(),
            )
        return DescribeOutcome(answer=answer.model_dump(), usage=llm.usage())

    @activity.defn(name="write_description")
    async def write_description(self, request: WriteDescriptionInput) -> WriteDescriptionResult:
        """The section into the latest body (nothing written in a dry run or when it is already there)."""
        section = render_description(
            self._facts(request),
            DescribeAnswer.model_validate(request.outcome.answer) if request.outcome.answer else None,
            request.outcome.skipped_reason,
        )
        if request.dry_run:
            return WriteDescriptionResult(section=section, changed=False)
        provider = self._providers(request.snapshot.pr)
        try:
            latest = await asyncio.to_thread(provider.latest_body)
            merged = merge_description(latest, section)
            if merged == latest.replace("\r\n", "\n"):
                return WriteDescriptionResult(section=section, changed=False)
            await asyncio.to_thread(provider.update_body, merged)
        except GithubException as error:
            pr = request.snapshot.pr
            raise github_failure(error, f"cannot write the description of {pr.repository}#{pr.number}") from error
        return WriteDescriptionResult(section=section, changed=True)

    def _facts(self, request: WriteDescriptionInput) -> DescriptionFacts:
        snapshot, bundle = request.snapshot, request.context.bundle
        jira = bundle.jira
        ticket = None
        if jira is not None:
            base = (self._settings.jira.base_url or "").rstrip("/")
            ticket = TicketLine(jira.key, jira.summary, jira.status, f"{base}/browse/{jira.key}" if base else None)
        missing = next((m for m in bundle.missing if "Jira" in m), None)
        return DescriptionFacts(
            head_sha=snapshot.head_sha,
            files=[WalkthroughFile(f.path, f.status, f.additions, f.deletions) for f in snapshot.files],
            ticket=ticket,
            ticket_missing=f"No ticket: {missing}." if missing else None,
            findings_by_severity=dict(Counter(f.severity for f in request.findings)),
        )
