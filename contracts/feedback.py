"""Learning from reactions: the payloads of the feedback steps (in ReviewPR, in Reconcile, and the
RecordFeedback workflow a review thread's webhook starts). References and verdicts only: a reply's
words are read when its webhook is routed and never travel in a history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from contracts.review import PullRequestSnapshot
from domain.feedback.mutes import MutedRule
from domain.feedback.votes import Verdict


def record_feedback_workflow_id(repository: str, number: int, delivery_id: str) -> str:
    """One workflow per delivery: a redelivered webhook meets the first one."""
    return f"feedback:{repository}#{number}:{delivery_id}"


@dataclass(kw_only=True)
class FeedbackInput:
    """The pull request at the head about to be reviewed (its `files` left out: the feedback step reads none)."""

    snapshot: PullRequestSnapshot


@dataclass(kw_only=True)
class FeedbackResult:
    muted: list[MutedRule] = field(default_factory=list)  # rules muted in the repository now
    reactions_read: int = 0  # comments whose reactions were read
    addressed: int = 0  # findings found addressed by the commits since they were posted
    notes: list[str] = field(default_factory=list)  # what could not be read, and why


@dataclass(kw_only=True)
class FeedbackEvent:
    """What a review-thread webhook said about the thread starting at one of our comments.

    `kind`: "resolved" / "unresolved" (pull_request_review_thread) or "reply" (a reply's verdict)."""

    repository: str
    number: int
    kind: Literal["resolved", "unresolved", "reply"]
    comment_ids: list[int]  # the thread's comments, its root first
    actor: str
    verdict: Verdict = "neutral"


@dataclass(kw_only=True)
class FeedbackEventResult:
    recorded: bool
    reason: str | None = None  # why nothing was recorded (not a thread on one of our findings)


@dataclass(kw_only=True)
class RefreshFeedbackInput:
    days: int | None = None  # None: FEEDBACK_RECONCILE_DAYS


@dataclass(kw_only=True)
class RefreshFeedbackResult:
    pull_requests: int = 0
    reactions_read: int = 0
    muted: list[str] = field(default_factory=list)  # "owner/repo rule" muted by this refresh
    failed: list[str] = field(default_factory=list)
