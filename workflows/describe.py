"""DescribePR: `/describe` on a pull request (`describe:{owner}/{repo}#{n}`), its description written
into a marked section of the body.

Comments signal-with-start `command`; a burst settles into one run. The asker is admitted first.
A head already described, whose section is still in the body, is left as it is; otherwise the
model writes what and why, file notes, risk and labels (skipped, and said so, without a key), and
the section, with the facts (walkthrough table, ticket, analyzers' risk), is merged into the latest
body right before it is written.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.describe import DescribeActivities
    from contracts.commands import (
        CommandInput,
        CommandRequest,
        CommandResult,
        DescribeOutcome,
        DescribeRequest,
        RecordCommandInput,
        WriteDescriptionInput,
    )
    from contracts.common import DESCRIBE_PR
    from domain.describe.body import has_section
    from workflows.command_steps import Burst, CommandSteps, elapsed_ms

STEPS = ("admit", "fetch", "context", "analyze", "model", "write", "record")


@workflow.defn(name=DESCRIBE_PR)
class DescribePullRequestWorkflow:
    def __init__(self) -> None:
        self._steps = CommandSteps("describe", STEPS)
        self._burst = Burst()
        self._result: CommandResult | None = None

    @workflow.signal(name="command")
    def command(self, request: CommandRequest) -> None:
        self._burst.add(request)

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        return self._steps.progress(self._result)

    @workflow.run
    async def run(self, request: CommandInput) -> CommandResult:
        self._result = result = CommandResult(
            command="describe", repository=request.pr.repository, number=request.pr.number
        )
        if not self._burst.pending:  # started without the signal
            self._burst.add(request.request)
        while self._burst.pending:
            batch = await self._burst.settle(request.request.trigger)
            if await self._steps.admit_all(request.pr, batch, request.dry_run, result):
                await self._describe(request, result)
            elif result.status == "pending":
                result.status = "refused"
        self._steps.step = "done"
        return result

    async def _describe(self, request: CommandInput, result: CommandResult) -> None:
        started = workflow.now()
        snapshot = await self._steps.fetch(request.pr)
        result.head_sha = snapshot.head_sha
        if snapshot.already_reviewed and has_section(snapshot.body) and not request.dry_run:
            result.status, result.reason = "unchanged", f"head {snapshot.head_sha[:7]} is already described"
            return
        context = await self._steps.context(snapshot)
        findings = await self._steps.analyze(snapshot, context)
        asked = DescribeRequest(snapshot=snapshot, context=context, findings=findings)
        outcome = await self._steps.model(
            lambda: workflow.execute_activity_method(
                DescribeActivities.generate_description, asked, **self._steps.model_options()
            ),
            lambda reason: DescribeOutcome(skipped_reason=reason),
        )
        self._steps.step = "write"
        written = await workflow.execute_activity_method(
            DescribeActivities.write_description,
            WriteDescriptionInput(
                snapshot=snapshot, context=context, findings=findings, outcome=outcome, dry_run=request.dry_run
            ),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=self._steps.retry(request.pr),
        )
        result.status = "posted" if outcome.skipped_reason is None else "skipped"
        result.llm_used, result.llm_skipped_reason = outcome.skipped_reason is None, outcome.skipped_reason
        result.rendered_text = written.section
        if request.dry_run:
            return
        await self._steps.record(
            RecordCommandInput(
                snapshot=snapshot,
                command="describe",
                status=result.status,
                trigger=request.request.trigger,
                usage=outcome.usage,
                llm_skipped_reason=outcome.skipped_reason,
                context_used=context.bundle.used(),
                context_missing=context.bundle.missing,
                details={"body_changed": written.changed},
                duration_ms=elapsed_ms(started),
            )
        )
