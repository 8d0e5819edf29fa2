"""From ReviewPR's payloads to the domain's `ReviewReport` that the renderers read."""

from __future__ import annotations

from contracts.review import LlmReviewOutcome, NotPosted, PostReviewInput, PostReviewResult, PullRequestSnapshot
from domain.diff import FileDiff, parse_patch
from domain.review.context import PullRequestInfo
from domain.review.report import PostingNote, ReviewReport
from domain.review.schema import LlmReview


def pull_request_info(snapshot: PullRequestSnapshot) -> PullRequestInfo:
    return PullRequestInfo(
        repo_full_name=snapshot.pr.repository,
        number=snapshot.pr.number,
        title=snapshot.title,
        body=snapshot.body,
        author=snapshot.author,
        base_ref=snapshot.base_ref,
        head_ref=snapshot.head_ref,
        head_sha=snapshot.head_sha,
        url=snapshot.url,
    )


def file_diffs(snapshot: PullRequestSnapshot) -> list[FileDiff]:
    """The reviewed files as parsed diffs (a file without a patch is binary or too large)."""
    diffs = []
    for changed in snapshot.files:
        diff = parse_patch(changed.path, changed.patch or "", changed.status, changed.old_path)
        if changed.patch is None:
            diff.is_binary = True
        diffs.append(diff)
    return diffs


def llm_review(outcome: LlmReviewOutcome | None) -> LlmReview | None:
    if outcome is None or outcome.review is None:
        return None
    return LlmReview.model_validate(outcome.review)


def build_report(request: PostReviewInput, posting: PostReviewResult | None = None) -> ReviewReport:
    """The report the renderers read; `posting` adds what happened to the inline comments."""
    bundle = request.context.bundle
    missing = list(bundle.missing) + [f"{f.path} not reviewed: {f.reason}" for f in request.snapshot.ignored_files]
    context = type(bundle)(**{**bundle.__dict__, "missing": missing})
    return ReviewReport(
        pr=pull_request_info(request.snapshot),
        findings=list(request.findings),
        context=context,
        llm_review=llm_review(request.llm),
        llm_skipped_reason=request.llm.skipped_reason,
        plan=request.llm.plan,
        files_changed=len(request.snapshot.files),
        prompt_version=request.llm.prompt_version,
        scope=scope_label(request.snapshot),
        parts=request.llm.parts,
        rejected=_notes(posting.inline_rejected if posting else []),
        withheld=_notes(posting.suggestions_withheld if posting else []),
        head_moved_to=posting.head_moved_to if posting else None,
        verification=request.llm.verification,
        muted=list(request.muted),
    )


def scope_label(snapshot: PullRequestSnapshot) -> str | None:
    """ "incremental review of a..b", the reason for a whole review when one was possible, or None."""
    if snapshot.review_scope == "incremental" and snapshot.since_sha:
        since, head = snapshot.since_sha[:7], snapshot.head_sha[:7]
        return f"incremental review of `{since}..{head}` (the commits since the last review)"
    return snapshot.scope_note


def _notes(items: list[NotPosted]) -> list[PostingNote]:
    return [PostingNote(item.path, item.line, item.reason) for item in items]
