"""The finished review as the renderers see it, and the plain statements they share.

The overview is either the model's own summary or a plain statement that the LLM part was
skipped and why; nothing here ever writes review text of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from domain.feedback.mutes import MutedRule
from domain.findings import SEVERITY_ORDER, Finding, Severity, severity_rank
from domain.review.budget import CoveragePlan
from domain.review.context import PullRequestInfo, ReviewContextBundle
from domain.review.schema import LlmReview
from domain.review.verify import VerificationSummary, verification_lines

# Reasons for skipping the LLM part, in the words the summary shows after "LLM review skipped: ".
SKIP_NO_API_KEY = "no LLM_API key configured"
SKIP_BUDGET_EXHAUSTED = "monthly budget exhausted"
SKIP_NOTHING_TO_REVIEW = "no reviewable text changes"
SKIP_NOTHING_NEW = "the commits since the last review changed none of this pull request's lines"


def skip_provider_failed(attempts: int) -> str:
    """Reason when every attempt at the provider failed."""
    return f"LLM provider failed after {attempts} attempt{'s' if attempts != 1 else ''}"


def skip_invalid_output(error: str) -> str:
    """Reason when the answer stayed unusable after the one repair attempt."""
    return f"the model's answer was unusable after one repair attempt ({error})"


@dataclass(frozen=True)
class PostingNote:
    """An inline comment that did not go out as written, and why."""

    path: str
    line: int
    reason: str


@dataclass
class ReviewReport:
    """Everything a rendered review shows.

    `findings` holds every finding to show (analyzers, house rules and the LLM's, already merged).
    Exactly one of `llm_review` and `llm_skipped_reason` is normally set; `plan` is None when the
    LLM part never planned its coverage. `files_changed` is only needed when there is no plan.
    Findings are listed with the ids of `finding_ids.number_findings` (F1..Fn), which `/auto-fix` takes.
    """

    pr: PullRequestInfo
    findings: list[Finding] = field(default_factory=list)
    context: ReviewContextBundle = field(default_factory=ReviewContextBundle)
    llm_review: LlmReview | None = None
    llm_skipped_reason: str | None = None
    plan: CoveragePlan | None = None
    files_changed: int | None = None
    prompt_version: str | None = None
    scope: str | None = None  # e.g. "incremental review of abc1234..def5678"; None: a whole review
    parts: int = 1  # LLM calls the change was split into
    rejected: list[PostingNote] = field(default_factory=list)  # GitHub refused these inline comments
    withheld: list[PostingNote] = field(default_factory=list)  # comments posted without their suggestion
    head_moved_to: str | None = None  # inline comments were left to the newer head's review
    autofix_enabled: bool = False  # say how to ask for a fix (`/auto-fix`)
    autofix_links: dict[str, str] = field(default_factory=dict)  # finding marker → its signed Auto-fix link
    verification: VerificationSummary | None = None  # the verification pass (None: it did not run)
    muted: list[MutedRule] = field(default_factory=list)  # muted rules whose findings were held back


def skipped_statement(report: ReviewReport) -> str | None:
    """ "LLM review skipped: <reason>." when the LLM part did not produce a review, else None."""
    if report.llm_review is not None:
        return None
    reason = (report.llm_skipped_reason or "").strip().rstrip(".") or "no reason was recorded"
    return f"LLM review skipped: {reason}."


def overview_text(report: ReviewReport) -> str:
    """The model's summary, or the statement that the LLM part was skipped and why."""
    if report.llm_review is not None:
        return report.llm_review.summary
    return skipped_statement(report) or ""


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by path and line."""
    return sorted(findings, key=lambda f: (severity_rank(f.severity), f.path, f.line, f.rule_id))


def by_severity(findings: list[Finding]) -> list[tuple[Severity, list[Finding]]]:
    """Non-empty severity groups, most severe first."""
    ordered = sorted_findings(findings)
    groups = [(sev, [f for f in ordered if f.severity == sev]) for sev in SEVERITY_ORDER]
    return [(sev, group) for sev, group in groups if group]


def counts_line(findings: list[Finding]) -> str:
    """E.g. "3 findings (1 high, 2 low; analyzers 2, LLM 1)" or "no findings"."""
    if not findings:
        return "no findings"
    severities = Counter(f.severity for f in findings)
    by_sev = ", ".join(f"{severities[s]} {s}" for s in SEVERITY_ORDER if severities[s])
    sources = Counter(_source_group(f.source) for f in findings)
    by_source = ", ".join(f"{name} {sources[name]}" for name in _SOURCE_GROUPS if sources[name])
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun} ({by_sev}; {by_source})"


_SOURCE_GROUPS = ("analyzers", "house rules", "LLM", "other")


def _source_group(source: str) -> str:
    if source.startswith("analyzer"):
        return "analyzers"
    return {"rule": "house rules", "llm": "LLM"}.get(source, "other")


def coverage_lines(report: ReviewReport) -> list[str]:
    """Plain sentences on what the LLM saw; the skipped items are listed separately."""
    plan = report.plan
    if plan is None:
        changed = f"all {report.files_changed} changed files" if report.files_changed else "the change"
        return [f"Analyzers and house rules ran on {changed}; the LLM saw none of it."]
    shown = plan.included_paths()
    total = len(set(shown) | {item.path for item in plan.skipped})
    # budget_tokens is the room the prompt had for the diff, not the diff's size: name both numbers.
    in_parts = f" in {report.parts} parts reviewed in parallel" if report.parts > 1 else ""
    lines = [
        f"The LLM saw {len(plan.included)} hunk{'s' if len(plan.included) != 1 else ''} "
        f"in {len(shown)} of {total} changed files{in_parts} "
        f"(sent ~{plan.used_tokens:,} diff tokens of a {plan.budget_tokens:,}-token budget)."
    ]
    dropped = report.llm_review.dropped if report.llm_review else 0
    if dropped:
        plural = dropped != 1
        lines.append(
            f"{dropped} LLM comment{'s' if plural else ''} pointed outside the changed lines "
            f"and {'were' if plural else 'was'} dropped."
        )
    lines += verification_lines(report.verification)
    if report.withheld:
        count = len(report.withheld)
        lines.append(
            f"{count} suggested change{'s' if count != 1 else ''} left out of {'their' if count != 1 else 'its'} "
            "comment (would not parse, or would change nothing): "
            + "; ".join(f"`{n.path}:{n.line}` {n.reason}" for n in report.withheld[:10])
        )
    return lines


def scope_label(report: ReviewReport) -> str:
    """Which kind of review this was: "whole review" or e.g. "incremental review of abc1234..def5678"."""
    return report.scope or "whole review"


def risk_label(report: ReviewReport) -> str:
    """The model's risk, or "not assessed" when the LLM part was skipped."""
    return report.llm_review.risk if report.llm_review else "not assessed"


def one_line(text: str, limit: int = 300) -> str:
    """Whitespace collapsed to single spaces, cut at `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
