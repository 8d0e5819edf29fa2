"""ReviewPR's contracts: its workflow id, input and signal, and the payloads between it and its
activities (references and review data, never secrets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from contracts.common import Trigger
from domain.feedback.mutes import MutedRule
from domain.findings import Finding
from domain.review.budget import CoveragePlan, SkippedItem
from domain.review.context import ReviewContextBundle
from domain.review.verify import VerificationSummary


def review_workflow_id(repository: str, number: int) -> str:
    """One workflow per pull request, so a second start finds the first."""
    return f"review:{repository}#{number}"


@dataclass(kw_only=True)
class PullRequestRef:
    """Which pull request. `provider="local"` reviews `head_ref` against `base_ref` of a local clone."""

    repository: str  # owner/name (for local: a display name)
    number: int
    provider: Literal["github", "local"] = "github"
    local_path: str | None = None
    base_ref: str | None = None
    head_ref: str | None = None


@dataclass(kw_only=True)
class NewHead:
    """Signal `new_head`: review this head (the newest wins); `force` reviews an already reviewed head."""

    head_sha: str
    trigger: Trigger = "webhook"
    force: bool = False
    delivery_id: str | None = None
    full: bool = False  # `/review full`: the whole change, not only what is new since the last review


@dataclass(kw_only=True)
class ReviewPullRequestInput:
    pr: PullRequestRef
    head_sha: str | None = None
    trigger: Trigger = "webhook"
    force: bool = False
    delivery_id: str | None = None
    full: bool = False
    dry_run: bool = False  # render the review, post and record nothing (`pr-agent review --dry-run`)


@dataclass(kw_only=True)
class ChangedFile:
    path: str
    status: str  # added, modified, deleted, renamed
    patch: str | None  # GitHub's per-file patch (hunks only); None for binary or too large
    old_path: str | None = None
    additions: int = 0
    deletions: int = 0


@dataclass(kw_only=True)
class IgnoredFile:
    path: str
    reason: str


@dataclass(kw_only=True)
class PullRequestSnapshot:
    """A pull request at one head, as fetched: the files the review covers and those it ignores."""

    pr: PullRequestRef
    title: str
    body: str
    author: str
    state: str
    draft: bool
    head_sha: str
    head_ref: str
    base_ref: str
    url: str
    files: list[ChangedFile] = field(default_factory=list)
    ignored_files: list[IgnoredFile] = field(default_factory=list)
    author_is_bot: bool = False
    already_reviewed: bool = False
    # Incremental reviews: the last reviewed head and what changed since (compare since..head).
    review_scope: Literal["whole", "incremental"] = "whole"
    since_sha: str | None = None
    since_files: list[ChangedFile] = field(default_factory=list)
    scope_note: str | None = None  # why a whole review, when an incremental one was possible


@dataclass(kw_only=True)
class FetchPullRequestInput:
    pr: PullRequestRef
    head_sha: str | None = None
    full: bool = False
    # Which kind of run asks: `already_reviewed` says whether one of that kind was posted for this head;
    # only reviews are scoped to the commits since the last one.
    review_type: str = "review"


@dataclass(kw_only=True)
class ReviewContextInput:
    snapshot: PullRequestSnapshot


@dataclass(kw_only=True)
class ReviewContextResult:
    bundle: ReviewContextBundle
    rules_override: str | None = None  # the repository's own rules file, when it has one
    internal_packages: dict[str, dict[str, Any]] = field(default_factory=dict)
    known_topics: dict[str, list[str]] = field(default_factory=dict)
    # Cross-repository impact on lines the diff shows, posted with the analyzers' findings.
    impact_findings: list[Finding] = field(default_factory=list)


@dataclass(kw_only=True)
class AnalyzeInput:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult


@dataclass(kw_only=True)
class AnalysisResult:
    findings: list[Finding] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class LlmPart:
    """The files one LLM call reviews (a large pull request is reviewed in several parts)."""

    index: int
    count: int
    paths: list[str]
    label: str


@dataclass(kw_only=True)
class LlmReviewInput:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult
    findings: list[Finding]
    part: LlmPart | None = None  # None: the whole change in one call


@dataclass(kw_only=True)
class LlmReviewPlan:
    """How the LLM part runs: in these parts, or not at all (`skipped_reason`)."""

    parts: list[LlmPart] = field(default_factory=list)
    skipped_reason: str | None = None
    over_ceiling: list[SkippedItem] = field(default_factory=list)
    verify_threshold: int | None = None  # the verification pass's threshold (LLM_VERIFY); None: no pass


@dataclass(kw_only=True)
class LlmReviewOutcome:
    review: dict[str, Any] | None = None  # domain.review.schema.LlmReview as a dict
    skipped_reason: str | None = None
    plan: CoveragePlan | None = None
    model: str | None = None
    prompt_version: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    parts: int = 1  # LLM calls the review was split into (not counting repairs)
    verification: VerificationSummary | None = None  # None: no verification pass (off, or no answer)


@dataclass(kw_only=True)
class VerifyInput:
    """The merged answer to check, with the files it comments on and the analyzer findings."""

    snapshot: PullRequestSnapshot  # cut to the files the comments and findings are on
    context: ReviewContextResult
    review: dict[str, Any]  # domain.review.schema.LlmReview as a dict
    findings: list[Finding]


@dataclass(kw_only=True)
class VerifyOutcome:
    review: dict[str, Any]  # the answer without the dropped comments; kept ones carry their score
    verification: VerificationSummary
    model: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0


@dataclass(kw_only=True)
class PostReviewInput:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult
    findings: list[Finding]
    llm: LlmReviewOutcome
    dry_run: bool = False
    muted: list[MutedRule] = field(default_factory=list)  # rules muted in the repository that held findings back


@dataclass(kw_only=True)
class NotPosted:
    """An inline comment that did not go out as written: GitHub refused it, or its suggestion was held back."""

    path: str
    line: int
    reason: str


@dataclass(kw_only=True)
class PostReviewResult:
    summary_comment_id: int | None
    inline_posted: int
    inline_already_posted: int
    rendered_text: str  # the plain-text review (what `pr-agent review` prints)
    summary_markdown: str
    inline_rejected: list[NotPosted] = field(default_factory=list)
    suggestions_withheld: list[NotPosted] = field(default_factory=list)
    head_moved_to: str | None = None  # the head had moved on before posting: no inline comments for this one


@dataclass(kw_only=True)
class RecordReviewInput:
    snapshot: PullRequestSnapshot
    status: str  # posted, skipped
    trigger: str
    findings: list[Finding] = field(default_factory=list)
    llm: LlmReviewOutcome | None = None
    posted: PostReviewResult | None = None
    context_used: list[str] = field(default_factory=list)
    context_missing: list[str] = field(default_factory=list)
    skipped_reason: str | None = None
    duration_ms: int | None = None
    muted: list[MutedRule] = field(default_factory=list)


@dataclass(kw_only=True)
class ReviewResult:
    """What a ReviewPR run did, per reviewed head (the last entry is the newest head)."""

    repository: str
    number: int
    head_sha: str | None = None
    status: str = "pending"  # posted, skipped, superseded
    skipped_reason: str | None = None
    findings: int = 0
    llm_used: bool = False
    llm_skipped_reason: str | None = None
    summary_comment_id: int | None = None
    inline_posted: int = 0
    rendered_text: str = ""
    heads_reviewed: list[str] = field(default_factory=list)
    heads_superseded: list[str] = field(default_factory=list)
    # The newest posted review's findings as it shows them (`pr-agent eval` scores these).
    posted_findings: list[Finding] = field(default_factory=list)
