"""The pull-request commands' contracts (/improve, /ask, /describe, /help): workflow ids, inputs,
the `command` signal, and the payloads between the workflows and their activities.

A command names who asked and where (`CommandRequest`); from the CLI or the admin API nobody
commented, so there is no comment to answer and no permission to read (the operator is trusted).
`dry_run` is honoured by every activity that would write on the pull request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

from contracts.common import Trigger
from contracts.review import PullRequestRef, PullRequestSnapshot, ReviewContextResult
from domain.ask.answer import Evidence, ThreadLine
from domain.findings import Finding

CommandKind = Literal["improve", "ask", "describe", "help"]


def improve_workflow_id(repository: str, number: int) -> str:
    return f"improve:{repository}#{number}"


def describe_workflow_id(repository: str, number: int) -> str:
    return f"describe:{repository}#{number}"


def ask_workflow_id(repository: str, number: int, comment_id: int | None, question: str = "") -> str:
    """One workflow per question: the asking comment, or (CLI, admin) the question itself."""
    if comment_id is not None:
        return f"ask:{repository}#{number}:{comment_id}"
    return f"ask:{repository}#{number}:q-{hashlib.sha256(question.encode()).hexdigest()[:12]}"


def help_workflow_id(repository: str, number: int, comment_id: int | None) -> str:
    return f"help:{repository}#{number}:{comment_id if comment_id is not None else 'cli'}"


@dataclass(kw_only=True)
class CommandRequest:
    """Who asked for a command, and where to answer. Signal `command` carries one to a running
    /improve or /describe, so a burst of the same command on one pull request runs once."""

    trigger: Trigger = "comment"
    author: str | None = None  # None: an operator (CLI, admin API), who is not asked for permission
    comment_id: int | None = None  # the comment holding the command
    review_comment: bool = False  # the comment is an inline (review) comment, answered in its thread
    thread_root_id: int | None = None  # the inline thread's first comment (replies go to it)
    path: str | None = None  # the inline comment's file and line: what an /ask there is about
    line: int | None = None
    delivery_id: str | None = None


@dataclass(kw_only=True)
class CommandInput:
    """ImprovePR, DescribePR and HelpPR's input."""

    pr: PullRequestRef
    request: CommandRequest
    dry_run: bool = False


@dataclass(kw_only=True)
class AskInput:
    pr: PullRequestRef
    request: CommandRequest
    question: str
    dry_run: bool = False


@dataclass(kw_only=True)
class CommandResult:
    """What a command run did: `posted`, `unchanged` (nothing new for this head), `refused` or `skipped`."""

    command: CommandKind
    repository: str
    number: int
    status: str = "pending"
    head_sha: str | None = None
    reason: str | None = None
    llm_used: bool = False
    llm_skipped_reason: str | None = None
    rendered_text: str = ""  # what was (or, in a dry run, would have been) posted
    posted_comment_id: int | None = None
    requests: int = 0  # command requests this run answered (a burst counts each)
    refused: int = 0


# --- activities shared by the commands -----------------------------------------------------------


@dataclass(kw_only=True)
class AdmitInput:
    pr: PullRequestRef
    request: CommandRequest
    command: CommandKind
    dry_run: bool = False


@dataclass(kw_only=True)
class Admission:
    allowed: bool
    reason: str | None = None  # why not, as replied
    reply_comment_id: int | None = None


@dataclass(kw_only=True)
class ReplyInput:
    """A reply to the asking comment (in its inline thread, when it is an inline comment); `key`
    makes it idempotent: a reply carrying the key's marker is never posted twice."""

    pr: PullRequestRef
    request: CommandRequest
    key: str
    body: str
    dry_run: bool = False


@dataclass(kw_only=True)
class ReplyResult:
    comment_id: int | None
    already_posted: bool = False


@dataclass(kw_only=True)
class HelpRequest:
    login: str | None = None  # who asked (greeted by name)


@dataclass(kw_only=True)
class LlmUsage:
    """What a command's model calls cost (all its calls, repairs included)."""

    model: str | None = None
    prompt_version: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    calls: int = 0


@dataclass(kw_only=True)
class RecordCommandInput:
    snapshot: PullRequestSnapshot
    command: CommandKind
    status: str  # posted, skipped
    trigger: str
    usage: LlmUsage | None = None
    llm_skipped_reason: str | None = None
    comment_id: int | None = None
    context_used: list[str] = field(default_factory=list)
    context_missing: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    duration_ms: int | None = None


# --- /improve ---------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class ImproveRequest:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult
    findings: list[Finding] = field(default_factory=list)


@dataclass(kw_only=True)
class RankedSuggestion:
    suggestion: dict[str, Any]  # domain.improve.suggestions.ImproveSuggestion as a dict
    score: dict[str, Any]  # domain.improve.suggestions.SelfCheckScore as a dict


@dataclass(kw_only=True)
class ImproveOutcome:
    suggestions: list[RankedSuggestion] = field(default_factory=list)
    dropped: int = 0  # outside the change, unscored, under the threshold or over the limit
    skipped_reason: str | None = None
    usage: LlmUsage = field(default_factory=LlmUsage)


@dataclass(kw_only=True)
class PostImproveInput:
    snapshot: PullRequestSnapshot
    outcome: ImproveOutcome
    skipped_reason: str | None = None  # the run itself was skipped (closed, nothing reviewable)
    dry_run: bool = False


@dataclass(kw_only=True)
class PostImproveResult:
    summary_comment_id: int | None
    posted: int = 0
    already_posted: int = 0
    moot: int = 0
    withheld: int = 0  # failed the check against the head file
    rejected: int = 0  # refused by GitHub
    head_moved_to: str | None = None
    rendered_text: str = ""


# --- /describe --------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class DescribeRequest:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult
    findings: list[Finding] = field(default_factory=list)


@dataclass(kw_only=True)
class DescribeOutcome:
    answer: dict[str, Any] | None = None  # domain.describe.schema.DescribeAnswer as a dict
    skipped_reason: str | None = None
    usage: LlmUsage = field(default_factory=LlmUsage)


@dataclass(kw_only=True)
class WriteDescriptionInput:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult
    findings: list[Finding]
    outcome: DescribeOutcome
    dry_run: bool = False


@dataclass(kw_only=True)
class WriteDescriptionResult:
    section: str
    changed: bool  # False: the body already held exactly this section


# --- /ask -------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class AskRequest:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult
    question: str
    thread: ThreadLine | None = None


@dataclass(kw_only=True)
class AskEvidence:
    items: list[Evidence] = field(default_factory=list)


@dataclass(kw_only=True)
class AnswerRequest:
    ask: AskRequest
    evidence: AskEvidence


@dataclass(kw_only=True)
class AskOutcome:
    answer: str | None = None
    skipped_reason: str | None = None
    usage: LlmUsage = field(default_factory=LlmUsage)
