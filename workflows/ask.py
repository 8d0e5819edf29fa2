"""AskPR: `/ask <question>` on a pull request (`ask:{owner}/{repo}#{n}:{comment id}`), one answer.

The asker is admitted first. A question already answered (its reply found by marker) is not asked
again. The answer comes from the change, the architecture document, related code, the Jira ticket
and earlier review findings, cites `path:line`, and is posted as a reply: in the inline thread when
the question was asked there (and then it is about that line). Without a model, the reply gives the
evidence found and says the model part was skipped.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.ask import AskActivities
    from contracts.commands import (
        AnswerRequest,
        AskEvidence,
        AskInput,
        AskOutcome,
        AskRequest,
        CommandResult,
        RecordCommandInput,
    )
    from contracts.common import ASK_PR
    from domain.ask.answer import ThreadLine, render_ask_reply, usage_reply
    from workflows.command_steps import CommandSteps, elapsed_ms

STEPS = ("admit", "fetch", "context", "evidence", "model", "reply", "record")


@workflow.defn(name=ASK_PR)
class AskPullRequestWorkflow:
    def __init__(self) -> None:
        self._steps = CommandSteps("ask", STEPS)
        self._result: CommandResult | None = None

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        return self._steps.progress(self._result)

    @workflow.run
    async def run(self, request: AskInput) -> CommandResult:
        self._result = result = CommandResult(command="ask", repository=request.pr.repository, number=request.pr.number)
        result.requests = 1
        admission = await self._steps.admit(request.pr, request.request, request.dry_run)
        if not admission.allowed:
            result.status, result.reason, result.refused = "refused", admission.reason, 1
        elif not request.question.strip():
            body = usage_reply(request.request.author)
            reply = await self._steps.reply(request.pr, request.request, self._key(), body, request.dry_run)
            result.status, result.rendered_text, result.posted_comment_id = "skipped", body, reply.comment_id
        else:
            await self._answer(request, result)
        self._steps.step = "done"
        return result

    @staticmethod
    def _key() -> str:
        """The reply's marker key: the workflow id, one per asking comment."""
        return workflow.info().workflow_id

    async def _answer(self, request: AskInput, result: CommandResult) -> None:
        started, asker = workflow.now(), request.request
        if not request.dry_run:
            earlier = await self._steps.find_reply(request.pr, asker, self._key())
            if earlier.already_posted:
                result.status, result.posted_comment_id = "unchanged", earlier.comment_id
                result.reason = "this question was already answered"
                return
        snapshot = await self._steps.fetch(request.pr)
        result.head_sha = snapshot.head_sha
        context = await self._steps.context(snapshot)
        thread = ThreadLine(path=asker.path, line=asker.line) if asker.path and asker.line else None
        asked = AskRequest(snapshot=snapshot, context=context, question=request.question, thread=thread)
        self._steps.step = "evidence"
        evidence: AskEvidence = await workflow.execute_activity_method(
            AskActivities.gather_ask_evidence,
            asked,
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=self._steps.retry(request.pr),
        )
        outcome = await self._steps.model(
            lambda: workflow.execute_activity_method(
                AskActivities.answer_question,
                AnswerRequest(ask=asked, evidence=evidence),
                **self._steps.model_options(),
            ),
            lambda reason: AskOutcome(skipped_reason=reason),
        )
        body = render_ask_reply(
            request.question,
            outcome.answer,
            evidence=evidence.items,
            skipped_reason=outcome.skipped_reason,
            login=asker.author,
            thread=thread,
        )
        reply = await self._steps.reply(request.pr, asker, self._key(), body, request.dry_run)
        result.status = "posted" if outcome.answer is not None else "skipped"
        result.llm_used, result.llm_skipped_reason = outcome.answer is not None, outcome.skipped_reason
        result.rendered_text, result.posted_comment_id = body, reply.comment_id
        if request.dry_run:
            return
        await self._steps.record(
            RecordCommandInput(
                snapshot=snapshot,
                command="ask",
                status=result.status,
                trigger=asker.trigger,
                usage=outcome.usage,
                llm_skipped_reason=outcome.skipped_reason,
                comment_id=reply.comment_id,
                context_used=context.bundle.used(),
                context_missing=context.bundle.missing,
                details={
                    "question": request.question[:500],
                    "asked_in": asker.comment_id,
                    "evidence": len(evidence.items),
                },
                duration_ms=elapsed_ms(started),
            )
        )
