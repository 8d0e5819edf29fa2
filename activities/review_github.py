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

import asyncpg
from github import GithubException
from temporalio import activity

from activities.autofix_links import autofix_links
from activities.review_providers import InlineComment, ReviewProvider, provider_for
from activities.review_report import build_report
from clients.github import github_failure
from contracts.review import (
    FetchPullRequestInput,
    IgnoredFile,
    PostReviewInput,
    PostReviewResult,
    PullRequestRef,
    PullRequestSnapshot,
)
from core.settings import Settings
from db.reviews import ReviewRepository
from domain.review.ignore import ignore_reason
from domain.review.markers import SUMMARY_MARKER, extract_finding_markers, finding_hash
from domain.review.render import render_inline_comment, render_summary, render_terminal_review

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
            request.pr.repository, request.pr.number, fetched.head_sha
        )
        return snapshot

    @activity.defn(name="post_review")
    async def post_review(self, request: PostReviewInput) -> PostReviewResult:
        snapshot = request.snapshot
        report = build_report(request)
        if snapshot.pr.provider == "github":
            report.autofix_enabled = self._settings.autofix.enabled
            pr = snapshot.pr
            report.autofix_links = autofix_links(
                self._settings.autofix, pr.repository, pr.number, snapshot.head_sha, request.findings
            )
        summary = render_summary(report)
        provider = self._providers(snapshot.pr)
        try:
            comment_id = await self._upsert_summary(provider, snapshot, summary)
            posted, already = await self._post_inline(provider, request, report.autofix_enabled, report.autofix_links)
        except GithubException as error:
            raise github_failure(error, f"cannot post on {snapshot.pr.repository}#{snapshot.pr.number}") from error
        return PostReviewResult(
            summary_comment_id=comment_id,
            inline_posted=posted,
            inline_already_posted=already,
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
        self, provider: ReviewProvider, request: PostReviewInput, autofix: bool, links: dict[str, str]
    ) -> tuple[int, int]:
        snapshot = request.snapshot
        repo, number = snapshot.pr.repository, snapshot.pr.number
        on_pr = set()
        for body in await asyncio.to_thread(provider.review_comment_bodies):
            on_pr |= extract_finding_markers(body)
        known = on_pr | await self._reviews.posted_markers(repo, number)
        fresh = [f for f in request.findings if finding_hash(f) not in known][:MAX_INLINE_COMMENTS]
        comments = [
            InlineComment(
                f.path,
                f.line,
                render_inline_comment(
                    f,
                    repo_full_name=repo,
                    head_sha=snapshot.head_sha,
                    workspace_hint=None,
                    autofix=autofix,
                    autofix_link=links.get(finding_hash(f)),
                ),
            )
            for f in fresh
        ]
        await asyncio.to_thread(provider.post_inline, snapshot.head_sha, comments)
        await self._reviews.store_posted_markers(repo, number, snapshot.head_sha, fresh)
        return len(comments), len(request.findings) - len(fresh)
