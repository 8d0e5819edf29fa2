"""AutoFixPR's contracts: its workflow id, input and `request` signal, and the payloads between it and
its activities.

They live in the workflow's history, which is the record of what a fix ran and changed: the
findings, each proposed edit (a small unified diff), the checks and their output, the commit. No
file contents beyond those diffs, no tokens, no settings. Fields are only ever added, with defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from domain.autofix.report import AutofixOutcome, CheckRun, SkippedFinding
from domain.review.finding_ids import NumberedFinding

RequestTrigger = Literal["comment", "review_comment", "link"]
TargetStatus = Literal["ready", "done", "refused", "nothing"]
PushStatus = Literal["pushed", "already_pushed", "pull_request", "moved", "refused"]
# How many times a request starts over on a branch that moved under it before it stops and says so.
MAX_ATTEMPTS = 2


def autofix_workflow_id(repository: str, number: int) -> str:
    """One workflow per pull request: its requests queue up in it and run one at a time."""
    return f"autofix:{repository}#{number}"


@dataclass(kw_only=True)
class AutofixRequest:
    """Signal `request`: fix findings of the pull request's latest review.

    Which findings: `finding_ids` ("F2"), else the finding of the inline comment `reply_to` (a reply
    in its thread), else the finding a link names by `marker`, else every finding of the review."""

    request_id: str  # "comment-<id>" or "link-<signature>": one request, at most one commit
    repository: str
    number: int
    trigger: RequestTrigger
    requester: str | None = None  # GitHub login; None for a link
    finding_ids: list[str] = field(default_factory=list)
    unknown_ids: list[str] = field(default_factory=list)  # words after /auto-fix that name no finding
    reply_to: int | None = None
    marker: str | None = None
    head_sha: str | None = None  # the head a link was made for
    delivery_id: str | None = None


@dataclass(kw_only=True)
class AutoFixPRInput:
    repository: str
    number: int
    pending: list[AutofixRequest] = field(default_factory=list)  # carried across continue-as-new
    handled: list[str] = field(default_factory=list)  # request ids an earlier run of this chain answered


@dataclass(kw_only=True)
class AutoFixPRResult:
    repository: str
    number: int
    outcomes: list[AutofixOutcome] = field(default_factory=list)


@dataclass(kw_only=True)
class AutofixTarget:
    """What `load_autofix_target` found: the pull request, who asked, which findings, where to push."""

    request_id: str
    status: TargetStatus
    reason: str | None = None  # for refused / nothing: the reply's sentence
    head_repository: str = ""  # where the branch lives (a fork's name for a fork)
    head_ref: str = ""
    head_sha: str = ""  # the head now: the fix is made on it
    review_head_sha: str | None = None  # the head the findings were found on
    base_ref: str = ""
    clone_url: str = ""
    pr_url: str = ""
    mode: Literal["push", "patch"] = "push"
    mode_reason: str | None = None
    findings: list[NumberedFinding] = field(default_factory=list)
    skipped: list[SkippedFinding] = field(default_factory=list)
    check_command: str | None = None
    check_timeout_seconds: float = 300.0
    conventions: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. a malformed .pr-agent/config.toml


@dataclass(kw_only=True)
class Workspace:
    """The clone of the head, and what still holds on it: findings whose file changed after the
    review (head moved) are skipped, not fixed on lines that may have moved."""

    head_sha: str
    findings: list[NumberedFinding] = field(default_factory=list)
    skipped: list[SkippedFinding] = field(default_factory=list)


@dataclass(kw_only=True)
class ProduceFixInput:
    repository: str
    clone_url: str
    head_sha: str
    finding: NumberedFinding
    conventions: str = ""


@dataclass(kw_only=True)
class FixProposal:
    finding_id: str
    path: str
    diff: str = ""  # the finding's file, before → after, as a unified diff (empty: no fix)
    how: str = ""  # "exact replacement" or "model (<model>)"
    skipped_reason: str | None = None
    model: str | None = None
    prompt_version: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0


@dataclass(kw_only=True)
class CheckFixesInput:
    request_id: str
    repository: str  # where the branch lives (the clone's token is for it)
    clone_url: str
    head_sha: str
    findings: list[NumberedFinding]
    proposals: list[FixProposal]
    check_command: str | None = None
    check_timeout_seconds: float = 300.0


@dataclass(kw_only=True)
class CheckedFixes:
    applied: list[str] = field(default_factory=list)  # finding ids whose edits are in `patch`
    skipped: list[SkippedFinding] = field(default_factory=list)
    patch: str = ""  # every applied edit, one unified diff
    files: list[str] = field(default_factory=list)
    lines_changed: int = 0
    checks: list[str] = field(default_factory=list)
    check_run: CheckRun | None = None
    blocked: str | None = None  # why nothing may be pushed although edits applied (limits, check failed)


@dataclass(kw_only=True)
class PushFixInput:
    request_id: str
    repository: str
    number: int
    head_repository: str
    head_ref: str
    head_sha: str
    clone_url: str
    patch: str
    message: str
    title: str


@dataclass(kw_only=True)
class PushOutcome:
    status: PushStatus
    commit_sha: str | None = None
    commit_url: str | None = None
    pull_request_url: str | None = None
    branch: str | None = None
    detail: str | None = None  # moved: the new head; refused: GitHub's answer


@dataclass(kw_only=True)
class ReplyInput:
    repository: str
    number: int
    outcome: AutofixOutcome
    reply_to: int | None = None  # answer in that inline thread instead of the conversation


@dataclass(kw_only=True)
class RecordAutofixInput:
    request: AutofixRequest
    outcome: AutofixOutcome
    head_sha: str | None = None
    pr_url: str | None = None
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    duration_ms: int | None = None
    reply_comment_id: int | None = None
