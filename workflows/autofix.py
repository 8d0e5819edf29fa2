"""AutoFixPR: one workflow per pull request (`autofix:{owner}/{repo}#{n}`) fixing review findings on
request, one request at a time.

`/auto-fix` comments and signed links signal-with-start `request`; requests queue and run in turn,
so two fixes never race for the branch. Each request: who asked and which findings
(`load_autofix_target`), the clone of the head (`prepare_autofix_workspace`), one edit per finding
(`produce_autofix_edit`), the edits applied and checked together (`check_autofix_edits`), one
commit on the branch (`push_autofix_commit`), the reply and the review_history row.

Never twice: a request id is answered once (its row is checked first, its commit carries a marker
trailer the push looks for, its reply a marker the reply looks for). Never stale: the fix is made on
the branch's current head, findings whose file changed since the review are left out, and a branch
that moves before the push makes the request start over (at most MAX_ATTEMPTS times) instead of
pushing on top of what it did not see. A request that fails is answered with why and recorded; the
workflow goes on with the next one.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.autofix_outcome import checked_outcome, new_outcome, pushed_outcome

with workflow.unsafe.imports_passed_through():
    from activities.autofix_edits import AutofixEditActivities
    from activities.autofix_push import AutofixPushActivities
    from activities.autofix_reply import AutofixReplyActivities
    from activities.autofix_target import AutofixTargetActivities
    from contracts.autofix import (
        MAX_ATTEMPTS,
        AutoFixPRInput,
        AutoFixPRResult,
        AutofixRequest,
        AutofixTarget,
        CheckedFixes,
        CheckFixesInput,
        FixProposal,
        ProduceFixInput,
        PushFixInput,
        PushOutcome,
        RecordAutofixInput,
        ReplyInput,
        Workspace,
    )
    from contracts.common import AUTOFIX_PR
    from core.temporal.retries import GITHUB_RETRY, LOCAL_RETRY, REVIEW_LLM_RETRY
    from domain.autofix.report import AutofixOutcome, SkippedFinding, commit_message
    from domain.review.finding_ids import NumberedFinding

HANDLED_KEPT = 200  # request ids carried across continue-as-new (older ones are found in the database)


@workflow.defn(name=AUTOFIX_PR)
class AutoFixPRWorkflow:
    def __init__(self) -> None:
        self._queue: list[AutofixRequest] = []
        self._seen: set[str] = set()
        self._handled: list[str] = []
        self._step = "waiting"
        self._current: str | None = None

    @workflow.signal(name="request")
    def request(self, request: AutofixRequest) -> None:
        """Queue a request; one seen before (a redelivered webhook, a second click) is not queued again."""
        if request.request_id in self._seen:
            return
        self._seen.add(request.request_id)
        self._queue.append(request)

    @workflow.query(name="progress")
    def progress(self) -> dict[str, Any]:
        return {
            "step": self._step,
            "request_id": self._current,
            "queued": [r.request_id for r in self._queue],
            "answered": len(self._handled),
        }

    @workflow.run
    async def run(self, start: AutoFixPRInput) -> AutoFixPRResult:
        self._seen.update(start.handled)
        self._handled = list(start.handled)
        for pending in start.pending:
            self.request(pending)
        result = AutoFixPRResult(repository=start.repository, number=start.number)
        while self._queue:
            request = self._queue.pop(0)
            self._current = request.request_id
            outcome = await self._answer(request)
            if outcome is not None:
                result.outcomes.append(outcome)
            self._handled.append(request.request_id)
            if self._queue and workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(
                    AutoFixPRInput(
                        repository=start.repository,
                        number=start.number,
                        pending=list(self._queue),
                        handled=self._handled[-HANDLED_KEPT:],
                    )
                )
        self._step, self._current = "done", None
        return result

    async def _answer(self, request: AutofixRequest) -> AutofixOutcome | None:
        """Fix, reply, record. None when an earlier run already answered this request."""
        started = workflow.now()
        proposals: list[FixProposal] = []
        target: AutofixTarget | None = None
        try:
            target, outcome = await self._fix(request, proposals)
        except ActivityError as error:
            outcome = AutofixOutcome(
                request_id=request.request_id, status="failed", requester=request.requester, reason=_failure(error)
            )
        if outcome is None:
            return None
        reply_id = await self._reply(request, outcome)
        self._step = "record"
        models = [p.model for p in proposals if p.model]
        await workflow.execute_activity_method(
            AutofixReplyActivities.record_autofix,
            RecordAutofixInput(
                request=request,
                outcome=outcome,
                head_sha=target.head_sha if target else None,
                pr_url=target.pr_url if target else None,
                model=models[-1] if models else None,
                tokens_in=sum(p.tokens_in for p in proposals),
                tokens_out=sum(p.tokens_out for p in proposals),
                cost_usd=sum(p.cost_usd for p in proposals),
                duration_ms=int((workflow.now() - started).total_seconds() * 1000),
                reply_comment_id=reply_id,
            ),
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=LOCAL_RETRY,
        )
        return outcome

    async def _fix(
        self, request: AutofixRequest, proposals: list[FixProposal]
    ) -> tuple[AutofixTarget | None, AutofixOutcome | None]:
        target: AutofixTarget | None = None
        moved_to, skipped = "", list[SkippedFinding]()
        for _ in range(MAX_ATTEMPTS):
            self._step = "target"
            target = await workflow.execute_activity_method(
                AutofixTargetActivities.load_autofix_target,
                request,
                start_to_close_timeout=timedelta(minutes=2),
                retry_policy=GITHUB_RETRY,
            )
            if target.status == "done":
                return target, None
            if target.status == "refused" or target.status == "nothing":
                return target, new_outcome(request, target, target.status, reason=target.reason)
            workspace = await self._workspace(target)
            if not workspace.findings:
                reason = "The branch moved since the review and changed the file of every finding asked for."
                return target, new_outcome(request, target, "stale", reason=reason, skipped=workspace.skipped)
            proposals[:] = await self._propose(target, workspace)
            checked = await self._check(request, target, workspace, proposals)
            outcome = checked_outcome(request, target, workspace, proposals, checked)
            if outcome.status != "pushed":
                return target, outcome
            push = await self._push(request, target, checked, outcome)
            if push.status != "moved":
                return target, pushed_outcome(outcome, push, target)
            moved_to, skipped = push.detail or "", outcome.skipped  # start over on the new head
        reason = (
            f"The branch moved while the fix was being made (it is now at `{moved_to[:7]}`), so nothing was "
            "pushed on top of changes the fix did not see. Ask again once it settles."
        )
        if target is None:  # only if MAX_ATTEMPTS were below 1
            raise ApplicationError("MAX_ATTEMPTS must be at least 1", non_retryable=True)
        return target, new_outcome(request, target, "stale", reason=reason, skipped=skipped)

    async def _workspace(self, target: AutofixTarget) -> Workspace:
        self._step = "clone"
        return await workflow.execute_activity_method(
            AutofixTargetActivities.prepare_autofix_workspace,
            target,
            start_to_close_timeout=timedelta(minutes=15),
            retry_policy=LOCAL_RETRY,
        )

    async def _propose(self, target: AutofixTarget, workspace: Workspace) -> list[FixProposal]:
        self._step = "edits"
        return list(await asyncio.gather(*(self._propose_one(target, workspace, n) for n in workspace.findings)))

    async def _propose_one(self, target: AutofixTarget, workspace: Workspace, numbered: NumberedFinding) -> FixProposal:
        """One finding's edit; a model that keeps failing costs this finding only, not the request."""
        try:
            return await workflow.execute_activity_method(
                AutofixEditActivities.produce_autofix_edit,
                ProduceFixInput(
                    repository=target.head_repository,
                    clone_url=target.clone_url,
                    head_sha=workspace.head_sha,
                    finding=numbered,
                    conventions=target.conventions,
                ),
                start_to_close_timeout=timedelta(minutes=6),
                heartbeat_timeout=timedelta(seconds=60),
                retry_policy=REVIEW_LLM_RETRY,
            )
        except ActivityError as error:
            reason = f"no edit could be made: {_failure(error)}"
            return FixProposal(finding_id=numbered.id, path=numbered.finding.path, skipped_reason=reason)

    async def _check(
        self, request: AutofixRequest, target: AutofixTarget, workspace: Workspace, proposals: list[FixProposal]
    ) -> CheckedFixes:
        self._step = "check"
        return await workflow.execute_activity_method(
            AutofixEditActivities.check_autofix_edits,
            CheckFixesInput(
                request_id=request.request_id,
                repository=target.head_repository,
                clone_url=target.clone_url,
                head_sha=workspace.head_sha,
                findings=workspace.findings,
                proposals=proposals,
                check_command=target.check_command,
                check_timeout_seconds=target.check_timeout_seconds,
            ),
            start_to_close_timeout=timedelta(seconds=target.check_timeout_seconds + 600),
            heartbeat_timeout=timedelta(seconds=60),
            retry_policy=LOCAL_RETRY,
        )

    async def _push(
        self, request: AutofixRequest, target: AutofixTarget, checked: CheckedFixes, outcome: AutofixOutcome
    ) -> PushOutcome:
        self._step = "push"
        message = commit_message(outcome.fixed, request.request_id, request.requester)
        return await workflow.execute_activity_method(
            AutofixPushActivities.push_autofix_commit,
            PushFixInput(
                request_id=request.request_id,
                repository=request.repository,
                number=request.number,
                head_repository=target.head_repository,
                head_ref=target.head_ref,
                head_sha=target.head_sha,
                clone_url=target.clone_url,
                patch=checked.patch,
                message=message,
                title=f"PR Agent auto-fix for #{request.number}: {', '.join(f.id for f in outcome.fixed)}",
            ),
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=GITHUB_RETRY,
        )

    async def _reply(self, request: AutofixRequest, outcome: AutofixOutcome) -> int | None:
        """The reply; a pull request that cannot be answered (gone, locked) leaves the record to say it."""
        self._step = "reply"
        try:
            return await workflow.execute_activity_method(
                AutofixReplyActivities.reply_autofix,
                ReplyInput(
                    repository=request.repository, number=request.number, outcome=outcome, reply_to=request.reply_to
                ),
                start_to_close_timeout=timedelta(minutes=2),
                retry_policy=GITHUB_RETRY,
            )
        except ActivityError as error:
            outcome.notes.append(f"The reply could not be posted: {_failure(error)}")
            return None


def _failure(error: ActivityError) -> str:
    cause = error.cause
    message = cause.message if isinstance(cause, ApplicationError) else str(cause or error)
    return " ".join(str(message).split())[:300]
