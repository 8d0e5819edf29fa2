"""ReviewPR's pure pipeline in one process, with no Temporal, HTTP or database: the baseline that
the orchestrated review is compared with.

It calls the functions the activities call, in the workflow's order: `analyze` (analyzers and house
rules), the LLM step's pure half (coverage plan, prompt assembly, parsing and validating the model's
answer), `build_report`, and the renderers (summary, inline comments, terminal text). Fetching the
pull request, loading context from the database, the LLM's HTTP call and posting are the I/O that
orchestration wraps; they are left out on purpose.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from activities.review_analysis import analyze
from activities.review_github import MAX_INLINE_COMMENTS
from activities.review_report import build_report, file_diffs, pull_request_info
from contracts.review import (
    AnalyzeInput,
    ChangedFile,
    IgnoredFile,
    LlmReviewOutcome,
    PostReviewInput,
    PullRequestRef,
    PullRequestSnapshot,
    ReviewContextResult,
)
from domain.findings import Finding
from domain.review.budget import commentable_lines, estimate_tokens, plan_coverage, render_diff_for_prompt
from domain.review.context import ReviewContextBundle
from domain.review.ignore import ignore_reason
from domain.review.prompt import build_review_messages, current_prompt_dir, prompt_version
from domain.review.render import render_inline_comment, render_summary, render_terminal_review
from domain.review.report import SKIP_NO_API_KEY
from domain.review.schema import LlmReview, parse_llm_review, to_findings
from domain.rules import default_rules

MAX_PROMPT_TOKENS = 24_000  # LlmSettings' default


@dataclass(frozen=True)
class PipelineInput:
    snapshot: PullRequestSnapshot
    llm_answer: str | None  # the model's text, as the fake LLM sends it; None: no LLM configured


def snapshot_from_github(event: Mapping[str, Any], files: Sequence[Mapping[str, Any]]) -> PullRequestSnapshot:
    """What `fetch_pull_request` builds from GitHub's answers (same ignore rules), prepared off the clock."""
    pr = event["pull_request"]
    snapshot = PullRequestSnapshot(
        pr=PullRequestRef(repository=event["repository"]["full_name"], number=int(pr["number"])),
        title=pr["title"],
        body=pr.get("body") or "",
        author=pr["user"]["login"],
        state=pr["state"],
        draft=bool(pr.get("draft")),
        head_sha=pr["head"]["sha"],
        head_ref=pr["head"]["ref"],
        base_ref=pr["base"]["ref"],
        url=pr["html_url"],
    )
    for entry in files:
        changed = ChangedFile(
            path=entry["filename"],
            status=entry["status"],
            patch=entry.get("patch"),
            old_path=entry.get("previous_filename"),
            additions=entry["additions"],
            deletions=entry["deletions"],
        )
        reason = ignore_reason(changed.path)
        if reason:
            snapshot.ignored_files.append(IgnoredFile(path=changed.path, reason=reason))
        else:
            snapshot.files.append(changed)
    return snapshot


def context_without_sources(snapshot: PullRequestSnapshot) -> ReviewContextResult:
    """What `load_review_context` finds for a fresh deployment: house rules, every other source missing."""
    repo = snapshot.pr.repository
    bundle = ReviewContextBundle(
        house_rules=[f"{rule.id}: {rule.message}" for rule in default_rules().rules][:20],
        missing=[
            f"no architecture analysis yet for {repo}",
            "no Jira key in the title, branch or description",
            f"related code: {repo} is not indexed yet",
        ],
    )
    return ReviewContextResult(bundle=bundle)


def llm_step(
    snapshot: PullRequestSnapshot, context: ReviewContextResult, findings: list[Finding], answer: str | None
) -> LlmReviewOutcome:
    """The pure half of `generate_llm_review`: plan, prompt, then parse the answer the model gave."""
    if answer is None:
        return LlmReviewOutcome(skipped_reason=SKIP_NO_API_KEY)
    files = file_diffs(snapshot)
    pr = pull_request_info(snapshot)
    prompt_dir = current_prompt_dir()
    frame = build_review_messages(pr, context.bundle, "", findings, prompt_dir)
    budget = MAX_PROMPT_TOKENS - sum(estimate_tokens(m["content"]) for m in frame)
    plan = plan_coverage(files, findings, max(budget, 500))
    build_review_messages(pr, context.bundle, render_diff_for_prompt(files, plan), findings, prompt_dir)
    review = parse_llm_review(answer, valid_lines=commentable_lines(files, plan))
    return LlmReviewOutcome(review=review.model_dump(), plan=plan, prompt_version=prompt_version(prompt_dir))


def review_in_process(data: PipelineInput) -> str:
    """One review, start to rendered text; returns the summary markdown that would be posted."""
    snapshot = data.snapshot
    context = context_without_sources(snapshot)
    analysis = analyze(AnalyzeInput(snapshot=snapshot, context=context))
    llm = llm_step(snapshot, context, analysis.findings, data.llm_answer)
    findings = list(analysis.findings)
    if llm.review is not None:
        findings += to_findings(LlmReview.model_validate(llm.review))
    report = build_report(PostReviewInput(snapshot=snapshot, context=context, findings=findings, llm=llm))
    summary = render_summary(report)
    repo, head = snapshot.pr.repository, snapshot.head_sha
    for finding in findings[:MAX_INLINE_COMMENTS]:
        render_inline_comment(finding, repo_full_name=repo, head_sha=head, editor_page=None)
    render_terminal_review(report)
    return summary


def instant_answer(snapshot: PullRequestSnapshot) -> str:
    """The fake model's answer: a summary and one comment on the first added line it was shown."""
    comments = []
    for diff in file_diffs(snapshot):
        added = [line.new_line for hunk in diff.hunks for line in hunk.lines if line.kind == "add"]
        if added:
            comment = {"path": diff.path, "line": added[0], "severity": "low", "category": "design"}
            comments.append({**comment, "message": "Benchmark comment.", "suggestion": None})
            break
    return json.dumps({"summary": "Benchmark review: the change looks plausible.", "risk": "low", "comments": comments})
