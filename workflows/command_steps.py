"""What the command workflows (ImprovePR, DescribePR, AskPR, HelpPR) do the same way: admit the
asker, fetch the pull request and its context, ask the model without ever failing the command
over it, reply, record; and, for the per-PR commands, gather a burst of requests into one run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.commands import CommandActivities
    from activities.review_analysis import AnalysisActivities
    from activities.review_context import ReviewContextActivities
    from activities.review_github import PullRequestActivities
    from contracts.commands import (
        Admission,
        AdmitInput,
        CommandKind,
        CommandRequest,
        CommandResult,
        RecordCommandInput,
        ReplyInput,
        ReplyResult,
    )
    from contracts.review import (
        AnalyzeInput,
        FetchPullRequestInput,
        PullRequestRef,
        PullRequestSnapshot,
        ReviewContextInput,
        ReviewContextResult,
    )
    from core.temporal.errors import LLM_OUTPUT_INVALID, LLM_REJECTED
    from core.temporal.retries import COMMAND_LLM_RETRY, GITHUB_RETRY, LOCAL_RETRY
    from domain.findings import Finding
    from domain.review.report import skip_invalid_output, skip_provider_failed

T = TypeVar("T")
# A burst of the same command (a double click, several people at once) settles into one run.
QUIET = timedelta(seconds=2)
MAX_SETTLE = timedelta(seconds=30)
IMMEDIATE_TRIGGERS = frozenset({"cli", "admin", "demo"})
LLM_TIMEOUT = timedelta(minutes=6)


class CommandSteps:
    """The shared steps of one command workflow run, and its `progress`."""

    def __init__(self, command: CommandKind, steps: tuple[str, ...]) -> None:
        self.command, self.steps = command, steps
        self.step = "waiting"
        self.head: str | None = None

    def progress(self, result: CommandResult | None) -> dict[str, Any]:
        done = len(self.steps) if self.step == "done" else self.steps.index(self.step) if self.step in self.steps else 0
        return {
            "command": self.command,
            "step": self.step,
            "done": done,
            "total": len(self.steps),
            "head_sha": self.head,
            "status": result.status if result else "pending",
            "requests": result.requests if result else 0,
            "refused": result.refused if result else 0,
        }

    @staticmethod
    def retry(pr: PullRequestRef) -> RetryPolicy:
        return LOCAL_RETRY if pr.provider == "local" else GITHUB_RETRY

    async def admit(self, pr: PullRequestRef, request: CommandRequest, dry_run: bool) -> Admission:
        self.step = "admit"
        return await workflow.execute_activity_method(
            CommandActivities.admit_command,
            AdmitInput(pr=pr, request=request, command=self.command, dry_run=dry_run),
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=self.retry(pr),
        )

    async def admit_all(
        self, pr: PullRequestRef, requests: list[CommandRequest], dry_run: bool, result: CommandResult
    ) -> bool:
        """Admit each request of a burst (each refusal is replied); True when any may run."""
        allowed = False
        for request in requests:
            admission = await self.admit(pr, request, dry_run)
            result.requests += 1
            if admission.allowed:
                allowed = True
            else:
                result.refused += 1
                result.reason = admission.reason
        return allowed

    async def fetch(self, pr: PullRequestRef) -> PullRequestSnapshot:
        self.step = "fetch"
        snapshot = await workflow.execute_activity_method(
            PullRequestActivities.fetch_pull_request,
            FetchPullRequestInput(pr=pr, full=True, review_type=self.command),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=self.retry(pr),
        )
        self.head = snapshot.head_sha
        return snapshot

    async def context(self, snapshot: PullRequestSnapshot) -> ReviewContextResult:
        self.step = "context"
        return await workflow.execute_activity_method(
            ReviewContextActivities.load_review_context,
            ReviewContextInput(snapshot=snapshot),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=self.retry(snapshot.pr),
        )

    async def analyze(self, snapshot: PullRequestSnapshot, context: ReviewContextResult) -> list[Finding]:
        self.step = "analyze"
        analysis = await workflow.execute_activity_method(
            AnalysisActivities.analyze_changes,
            AnalyzeInput(snapshot=snapshot, context=context),
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=LOCAL_RETRY,
        )
        return list(analysis.findings)

    async def model(self, call: Callable[[], Awaitable[T]], skipped: Callable[[str], T]) -> T:
        """The model step's outcome, or `skipped(reason)` when the model failed: never a failed command."""
        self.step = "model"
        try:
            return await call()
        except ActivityError as error:
            return skipped(llm_failure_reason(error))

    def model_options(self) -> dict[str, Any]:
        return {
            "start_to_close_timeout": LLM_TIMEOUT,
            "heartbeat_timeout": timedelta(seconds=30),
            "retry_policy": COMMAND_LLM_RETRY,
        }

    async def reply(
        self, pr: PullRequestRef, request: CommandRequest, key: str, body: str, dry_run: bool
    ) -> ReplyResult:
        self.step = "reply"
        return await workflow.execute_activity_method(
            CommandActivities.reply_to_command,
            ReplyInput(pr=pr, request=request, key=key, body=body, dry_run=dry_run),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=self.retry(pr),
        )

    async def find_reply(self, pr: PullRequestRef, request: CommandRequest, key: str) -> ReplyResult:
        return await workflow.execute_activity_method(
            CommandActivities.find_command_reply,
            ReplyInput(pr=pr, request=request, key=key, body=""),
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=self.retry(pr),
        )

    async def record(self, record: RecordCommandInput) -> None:
        self.step = "record"
        await workflow.execute_activity_method(
            CommandActivities.record_command,
            record,
            start_to_close_timeout=timedelta(minutes=1),
            retry_policy=LOCAL_RETRY,
        )


class Burst:
    """Requests signalled (`command`) to a per-PR command: gathered while they keep arriving."""

    def __init__(self) -> None:
        self.pending: list[CommandRequest] = []
        self.received = 0

    def add(self, request: CommandRequest) -> None:
        self.pending.append(request)
        self.received += 1

    async def settle(self, trigger: str) -> list[CommandRequest]:
        """The requests of the burst, once none arrived for QUIET (or MAX_SETTLE passed)."""
        if trigger not in IMMEDIATE_TRIGGERS:
            deadline = workflow.now() + MAX_SETTLE
            while workflow.now() < deadline:
                seen = self.received
                try:
                    await workflow.wait_condition(lambda seen=seen: self.received != seen, timeout=QUIET)  # type: ignore[misc]
                except TimeoutError:
                    break
        taken, self.pending = self.pending, []
        return taken


def llm_failure_reason(error: ActivityError) -> str:
    """Why the model part is missing, in the words the command shows."""
    cause = error.cause
    if isinstance(cause, ApplicationError) and cause.type == LLM_OUTPUT_INVALID:
        return skip_invalid_output(cause.message)
    if isinstance(cause, ApplicationError) and cause.type == LLM_REJECTED:
        return f"LLM provider rejected the request ({cause.message})"[:300]
    return skip_provider_failed(COMMAND_LLM_RETRY.maximum_attempts)


def elapsed_ms(started: Any) -> int:
    return int((workflow.now() - started).total_seconds() * 1000)
