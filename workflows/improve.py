"""ImprovePR: `/improve` on a pull request (`improve:{owner}/{repo}#{n}`), committable suggestions.

Comments signal-with-start `command`; a burst settles into one run. The asker is admitted first
(refused: one reply, nothing else). A head that already got its suggestions posts nothing new;
otherwise the model proposes, checks and ranks suggestions, and the ones that hold are posted as
one review with one summary comment (edited in place on later heads).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.improve import ImproveActivities
    from contracts.commands import (
        CommandInput,
        CommandRequest,
        CommandResult,
        ImproveOutcome,
        ImproveRequest,
        PostImproveInput,
        PostImproveResult,
        RecordCommandInput,
    )
    from contracts.common import IMPROVE_PR
    from contracts.review import PullRequestSnapshot
    from workflows.command_steps import Burst, CommandSteps, elapsed_ms

STEPS = ("admit", "fetch", "context", "analyze", "model", "post", "record")


@workflow.defn(name=IMPROVE_PR)
class ImprovePullRequestWorkflow:
    def __init__(self) -> None:
        self._steps = CommandSteps("improve", STEPS)
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
            command="improve", repository=request.pr.repository, number=request.pr.number
        )
        if not self._burst.pending:  # started without the signal
            self._burst.add(request.request)
        while self._burst.pending:
            batch = await self._burst.settle(request.request.trigger)
            if await self._steps.admit_all(request.pr, batch, request.dry_run, result):
                await self._improve(request, result)
            elif result.status == "pending":
                result.status = "refused"
        self._steps.step = "done"
        return result

    async def _improve(self, request: CommandInput, result: CommandResult) -> None:
        started = workflow.now()
        snapshot = await self._steps.fetch(request.pr)
        result.head_sha = snapshot.head_sha
        if snapshot.already_reviewed and not request.dry_run:
            result.status, result.reason = (
                "unchanged",
                f"suggestions for head {snapshot.head_sha[:7]} were already posted",
            )
            return
        skipped = _skip_reason(snapshot)
        outcome = ImproveOutcome(skipped_reason=skipped)
        context = None
        if skipped is None:
            context = await self._steps.context(snapshot)
            findings = await self._steps.analyze(snapshot, context)
            asked = ImproveRequest(snapshot=snapshot, context=context, findings=findings)
            outcome = await self._steps.model(
                lambda: workflow.execute_activity_method(
                    ImproveActivities.generate_improvements, asked, **self._steps.model_options()
                ),
                lambda reason: ImproveOutcome(skipped_reason=reason),
            )
        posted = await self._post(request, snapshot, outcome, skipped)
        result.status = "posted" if outcome.skipped_reason is None else "skipped"
        result.llm_used, result.llm_skipped_reason = outcome.skipped_reason is None, outcome.skipped_reason
        result.rendered_text, result.posted_comment_id = posted.rendered_text, posted.summary_comment_id
        if request.dry_run:
            return
        await self._steps.record(
            RecordCommandInput(
                snapshot=snapshot,
                command="improve",
                status=result.status,
                trigger=request.request.trigger,
                usage=outcome.usage,
                llm_skipped_reason=outcome.skipped_reason,
                comment_id=posted.summary_comment_id,
                context_used=context.bundle.used() if context else [],
                context_missing=context.bundle.missing if context else [],
                details=_details(posted, outcome),
                duration_ms=elapsed_ms(started),
            )
        )

    async def _post(
        self, request: CommandInput, snapshot: PullRequestSnapshot, outcome: ImproveOutcome, skipped: str | None
    ) -> PostImproveResult:
        self._steps.step = "post"
        return await workflow.execute_activity_method(
            ImproveActivities.post_improvements,
            PostImproveInput(snapshot=snapshot, outcome=outcome, skipped_reason=skipped, dry_run=request.dry_run),
            start_to_close_timeout=timedelta(minutes=3),
            retry_policy=self._steps.retry(request.pr),
        )


def _skip_reason(snapshot: PullRequestSnapshot) -> str | None:
    if snapshot.state != "open":
        return f"the pull request is {snapshot.state}"
    if not snapshot.files:
        return "no reviewable files (all ignored or none changed)"
    return None


def _details(posted: PostImproveResult, outcome: ImproveOutcome) -> dict[str, Any]:
    counts = {
        "suggestions_posted": posted.posted,
        "already_posted": posted.already_posted,
        "moot": posted.moot,
        "held_back": posted.withheld + posted.rejected,
        "dropped": outcome.dropped,
    }
    details: dict[str, Any] = {k: v for k, v in counts.items() if v}
    if posted.head_moved_to:
        details["head_moved_to"] = posted.head_moved_to
    return details
