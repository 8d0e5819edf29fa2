"""Payloads between ReviewPR and its activities (references and review data, never secrets)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contracts.common import PullRequestRef
from domain.findings import Finding
from domain.review.budget import CoveragePlan
from domain.review.context import ReviewContextBundle


@dataclass
class ChangedFile:
    path: str
    status: str  # added, modified, deleted, renamed
    patch: str | None  # GitHub's per-file patch (hunks only); None for binary or too large
    old_path: str | None = None
    additions: int = 0
    deletions: int = 0


@dataclass
class IgnoredFile:
    path: str
    reason: str


@dataclass
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


@dataclass
class FetchPullRequestInput:
    pr: PullRequestRef
    head_sha: str | None = None


@dataclass
class ReviewContextInput:
    snapshot: PullRequestSnapshot


@dataclass
class ReviewContextResult:
    bundle: ReviewContextBundle
    rules_override: str | None = None  # the repository's own rules file, when it has one
    internal_packages: dict[str, dict[str, Any]] = field(default_factory=dict)
    known_topics: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class AnalyzeInput:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult


@dataclass
class AnalysisResult:
    findings: list[Finding] = field(default_factory=list)
    rule_errors: list[str] = field(default_factory=list)


@dataclass
class LlmReviewInput:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult
    findings: list[Finding]


@dataclass
class LlmReviewOutcome:
    review: dict[str, Any] | None = None  # domain.review.schema.LlmReview as a dict
    skipped_reason: str | None = None
    plan: CoveragePlan | None = None
    model: str | None = None
    prompt_version: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0


@dataclass
class PostReviewInput:
    snapshot: PullRequestSnapshot
    context: ReviewContextResult
    findings: list[Finding]
    llm: LlmReviewOutcome


@dataclass
class PostReviewResult:
    summary_comment_id: int | None
    inline_posted: int
    inline_already_posted: int
    rendered_text: str  # the plain-text review (what `pr-agent review` prints)
    summary_markdown: str


@dataclass
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


@dataclass
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
