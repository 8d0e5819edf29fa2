"""HelpPR: `/help` on a pull request (`help:{owner}/{repo}#{n}:{comment id}`): one reply listing the
commands and the settings that shape them. The asker is admitted first, like every command."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.commands import CommandActivities
    from contracts.commands import CommandInput, CommandResult, HelpRequest
    from contracts.common import HELP_PR
    from workflows.command_steps import CommandSteps

STEPS = ("admit", "reply")


@workflow.defn(name=HELP_PR)
class HelpWorkflow:
    def __init__(self) -> None:
        self._steps = CommandSteps("help", STEPS)
        self._result: CommandResult | None = None

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        return self._steps.progress(self._result)

    @workflow.run
    async def run(self, request: CommandInput) -> CommandResult:
        self._result = result = CommandResult(
            command="help", repository=request.pr.repository, number=request.pr.number
        )
        result.requests = 1
        admission = await self._steps.admit(request.pr, request.request, request.dry_run)
        if not admission.allowed:
            result.status, result.reason, result.refused = "refused", admission.reason, 1
        else:
            text = await workflow.execute_activity_method(
                CommandActivities.help_text,
                HelpRequest(login=request.request.author),
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=self._steps.retry(request.pr),
            )
            key = workflow.info().workflow_id  # one per asking comment
            reply = await self._steps.reply(request.pr, request.request, key, text, request.dry_run)
            result.status, result.rendered_text, result.posted_comment_id = "posted", text, reply.comment_id
        self._steps.step = "done"
        return result
