"""ReviewPR's activities that talk to the pull request's provider: fetch it, post the review.

Posting is idempotent, because Temporal may run it again after a timeout or a lost response:
- the one summary comment is edited in place by its stored id; if the id was never stored (a crash
  between create and store), the hidden summary marker finds it before anything is created;
- every inline comment carries a hidden marker of its finding; markers already on the PR (from
  this head, an earlier head, or an attempt whose response was lost) are not posted again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

import asyncpg
from github import GithubException
from temporalio import activity

from activities.autofix_links import autofix_links
from activities.head_files import HeadFiles
from activities.inline_posting import post_with_fallback
from activities.review_report import build_report
from clients.github import github_failure
from clients.pull_requests import InlineComment, ReviewProvider, provider_for
from contracts.review import (
    FetchPullRequestInput,
    IgnoredFile,
    NotPosted,
    PostReviewInput,
    PostReviewResult,
    PullRequestRef,
    PullRequestSnapshot,
)
from core.settings import Settings
from db.reviews import ReviewRepository
from domain.findings import Finding
from domain.review.ignore import ignore_reason
from domain.review.markers import SUMMARY_MARKER, extract_finding_markers, finding_hash
from domain.review.render import (
    editor_page_url,
    literal_replacement,
    render_inline_comment,
    render_summary,
    render_terminal_review,
)

MAX_INLINE_COMMENTS = 25
MAX_REVIEWED_FILES = 300

ProviderFactory = Callable[[PullRequestRef], ReviewProvider]


class PullRequestActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, providers: ProviderFactory | None = None) -> None:
        self._settings = settings
        self._reviews = ReviewRepository(pool)
        self._providers = providers or (lambda pr: provider_for(settings.github, pr))

    @activity.defn(name="fetch_pull_request")
    async def fetch_pull_request(self, request: FetchPullRequestInput) -> PullRequestSnapshot:
        provider = self._providers(request.pr)
        try:
            fetched = await asyncio.to_thread(provider.fetch)
        except GithubException as error:
            raise github_failure(error, f"cannot fetch {request.pr.repository}#{request.pr.number}") from error
        snapshot = PullRequestSnapshot(
            pr=request.pr,
            title=fetched.title,
            body=fetched.body,
            author=fetched.author,
            state=fetched.state,
            draft=fetched.draft,
            head_sha=fetched.head_sha,
            head_ref=fetched.head_ref,
            base_ref=fetched.base_ref,
            url=fetched.url,
            author_is_bot=fetched.author_is_bot,
        )
        for changed in fetched.files:
            reason = ignore_reason(changed.path)
            if reason is None and len(snapshot.files) >= MAX_REVIEWED_FILES:
                reason = f"over the {MAX_REVIEWED_FILES}-file limit of one review"
            if reason:
                snapshot.ignored_files.append(IgnoredFile(path=changed.path, reason=reason))
            else:
                snapshot.files.append(changed)
        snapshot.already_reviewed = await self._reviews.was_posted(
            request.pr.repository, request.pr.number, fetched.head_sha, request.review_type
        )
        if not request.full and request.review_type == "review":
            await self._scope_to_new_commits(provider, snapshot)
        return snapshot

    async def _scope_to_new_commits(self, provider: ReviewProvider, snapshot: PullRequestSnapshot) -> None:
        """Make the snapshot incremental when an earlier head was reviewed and is an ancestor of this one."""
        last = await self._reviews.last_posted_head(snapshot.pr.repository, snapshot.pr.number)
        if last is None or last == snapshot.head_sha:
            return
        try:
            comparison = await asyncio.to_thread(provider.compare, last, snapshot.head_sha)
        except GithubException as error:
            raise github_failure(error, f"cannot compare {last[:7]}..{snapshot.head_sha[:7]}") from error
        if comparison is None or comparison.status != "ahead":
            snapshot.scope_note = (
                f"whole review: the last reviewed head {last[:7]} is not in this head's history (force-push or rebase)"
            )
            return
        snapshot.review_scope, snapshot.since_sha, snapshot.since_files = "incremental", last, comparison.files

    @activity.defn(name="post_review")
    async def post_review(self, request: PostReviewInput) -> PostReviewResult:
        """Inline comments first (what GitHub refuses is listed in the summary), then the summary.
        A dry run renders the review and posts nothing."""
        snapshot = request.snapshot
        if request.dry_run:
            report = build_report(request)
            summary = render_summary(report)
            return PostReviewResult(
                summary_comment_id=None,
                inline_posted=0,
                inline_already_posted=0,
                rendered_text=render_terminal_review(report),
                summary_markdown=summary,
            )
        links = self._autofix_links(request)
        provider = self._providers(snapshot.pr)
        try:
            inline = await self._post_inline(provider, request, links)
            report = build_report(request, inline)
            report.autofix_enabled, report.autofix_links = self._autofix_offered(snapshot), links
            summary = render_summary(report)
            comment_id = await self._upsert_summary(provider, snapshot, summary)
        except GithubException as error:
            raise github_failure(error, f"cannot post on {snapshot.pr.repository}#{snapshot.pr.number}") from error
        return replace(
            inline,
            summary_comment_id=comment_id,
            rendered_text=render_terminal_review(report),
            summary_markdown=summary,
        )

    async def _upsert_summary(self, provider: ReviewProvider, snapshot: PullRequestSnapshot, body: str) -> int | None:
        repo, number = snapshot.pr.repository, snapshot.pr.number
        stored = await self._reviews.summary_comment_id(repo, number)
        if stored is not None and await asyncio.to_thread(provider.update_comment, stored, body):
            comment_id: int | None = stored
        else:
            comment_id = await asyncio.to_thread(provider.find_comment_with, SUMMARY_MARKER)
            if comment_id is None or not await asyncio.to_thread(provider.update_comment, comment_id, body):
                comment_id = await asyncio.to_thread(provider.create_comment, body)
        if comment_id is not None:
            await self._reviews.store_summary_comment(repo, number, comment_id, snapshot.head_sha)
        return comment_id

    async def _post_inline(
        self, provider: ReviewProvider, request: PostReviewInput, links: dict[str, str]
    ) -> PostReviewResult:
        snapshot = request.snapshot
        repo, number = snapshot.pr.repository, snapshot.pr.number
        result = PostReviewResult(
            summary_comment_id=None, inline_posted=0, inline_already_posted=0, rendered_text="", summary_markdown=""
        )
        current = await asyncio.to_thread(provider.current_head)
        if current != snapshot.head_sha:
            # Comments on a stale head land on outdated lines; the newer head's review will comment.
            result.head_moved_to = current
            return result
        on_pr = set()
        for body in await asyncio.to_thread(provider.review_comment_bodies):
            on_pr |= extract_finding_markers(body)
        known = on_pr | await self._reviews.posted_markers(repo, number)
        fresh = [f for f in request.findings if finding_hash(f) not in known][:MAX_INLINE_COMMENTS]
        comments: dict[InlineComment, Finding] = {}
        heads = HeadFiles(provider, snapshot.head_sha)
        for finding in fresh:
            withheld = await _suggestion_problem(heads, finding)
            if withheld:
                result.suggestions_withheld.append(NotPosted(path=finding.path, line=finding.line, reason=withheld))
            comments[self._inline_comment(snapshot, finding, withheld, links)] = finding
        outcome = await asyncio.to_thread(post_with_fallback, provider, snapshot.head_sha, list(comments))
        posted = [comments[c] for c in outcome.posted]
        # The ids of the new comments, so their reactions can be read by the next review and Reconcile.
        ids = await asyncio.to_thread(provider.review_comment_markers) if posted else {}
        await self._reviews.store_posted_markers(repo, number, snapshot.head_sha, posted, ids)
        result.inline_posted, result.inline_already_posted = len(posted), len(request.findings) - len(fresh)
        result.inline_rejected = [NotPosted(path=c.path, line=c.line, reason=why) for c, why in outcome.rejected]
        return result

    def _autofix_links(self, request: PostReviewInput) -> dict[str, str]:
        """Each finding's signed Auto-fix link (by marker); none off GitHub or without a link secret."""
        pr = request.snapshot.pr
        if pr.provider != "github":
            return {}
        return autofix_links(
            self._settings.autofix, pr.repository, pr.number, request.snapshot.head_sha, request.findings
        )

    def _inline_comment(
        self, snapshot: PullRequestSnapshot, finding: Finding, withheld: str | None, links: dict[str, str]
    ) -> InlineComment:
        repo = snapshot.pr.repository
        page = None
        if snapshot.pr.provider == "github":
            page = editor_page_url(self._settings.admin.public_base_url, repo, snapshot.pr.number, finding)
        body = render_inline_comment(
            finding,
            repo_full_name=repo,
            head_sha=snapshot.head_sha,
            editor_page=page,
            suggestion_withheld=withheld,
            autofix=self._autofix_offered(snapshot),
            autofix_link=links.get(finding_hash(finding)),
        )
        return InlineComment(path=finding.path, line=finding.line, body=body, start_line=finding.start_line)

    def _autofix_offered(self, snapshot: PullRequestSnapshot) -> bool:
        """Whether the review says how to ask for a fix (`/auto-fix` works on GitHub only)."""
        return snapshot.pr.provider == "github" and self._settings.autofix.enabled


async def _suggestion_problem(heads: HeadFiles, finding: Finding) -> str | None:
    """Why the finding's suggestion must not be offered as a commit, or None when it may (or has none)."""
    replacement = literal_replacement(finding.suggestion) if finding.suggestion else None
    if replacement is None:
        return None
    return await heads.suggestion_problem(finding.path, finding.start_line or finding.line, finding.line, replacement)
