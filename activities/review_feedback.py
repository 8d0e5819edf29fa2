"""Learning from reactions: read what people said about posted findings, find the ones a later commit
addressed, and mute the rules a repository keeps rejecting.

GitHub sends no webhook for reactions, so they are read: by ReviewPR before each review of a pull
request (its own comments), and by Reconcile for every pull request with recent comments. Replies
and resolved threads do come as webhooks; RecordFeedback writes them. Reading feedback never fails a
review: what GitHub would not give is noted and read again next time.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict

import asyncpg
from github import GithubException
from temporalio import activity

from activities.review_github import ProviderFactory
from clients.github import GithubNotConfigured
from clients.pull_requests import ReviewProvider, provider_for
from contracts.feedback import (
    FeedbackEvent,
    FeedbackEventResult,
    FeedbackInput,
    FeedbackResult,
    RefreshFeedbackInput,
    RefreshFeedbackResult,
)
from contracts.review import PullRequestRef, PullRequestSnapshot
from core.settings import Settings
from core.temporal.heartbeat import heartbeating
from db.feedback import FeedbackRepository
from db.reviews import ReviewRepository
from domain.diff import parse_patch
from domain.feedback.addressed import PostedFinding, addressed
from domain.feedback.stats import MutePolicy, rule_stats
from domain.feedback.votes import SUMMARY_MARKER, reaction_votes

MAX_HEADS_COMPARED = 5  # earlier heads whose findings are checked for being addressed, per review


class FeedbackActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, providers: ProviderFactory | None = None) -> None:
        self._settings = settings
        self._feedback = FeedbackRepository(pool)
        self._reviews = ReviewRepository(pool)
        self._providers = providers or (lambda pr: provider_for(settings.github, pr))
        self._policy = MutePolicy(settings.feedback.mute_precision, settings.feedback.mute_min_votes)
        self._bots = frozenset(login.lower() for login in settings.github.bot_logins)

    @activity.defn(name="collect_feedback")
    async def collect_feedback(self, request: FeedbackInput) -> FeedbackResult:
        """Before a review: the pull request's reactions and addressed findings; the repository's muted rules."""
        snapshot, result = request.snapshot, FeedbackResult()
        repository, number = snapshot.pr.repository, snapshot.pr.number
        provider = self._providers(snapshot.pr)
        async with heartbeating({"step": "feedback"}, every=5.0):
            try:
                result.reactions_read = await self._read_reactions(provider, repository, number)
                result.addressed = await self._find_addressed(provider, snapshot)
            except GithubException as error:
                result.notes.append(f"feedback not read from GitHub this time ({error.status})")
        await self._update_mutes(repository)
        result.muted = await self._feedback.muted_rules(repository)
        return result

    @activity.defn(name="record_feedback_event")
    async def record_feedback_event(self, event: FeedbackEvent) -> FeedbackEventResult:
        """A resolved (or reopened) thread or a reply, on the finding whose comment starts the thread."""
        repository, number = event.repository, event.number
        marker = await self._feedback.marker_of_comment(repository, number, event.comment_ids)
        if marker is None:
            return FeedbackEventResult(recorded=False, reason="the thread is not on a finding this product posted")
        if event.kind == "unresolved":
            await self._feedback.forget(repository, number, marker, "thread")
        elif event.kind == "resolved":
            await self._feedback.record(repository, number, marker, "thread", event.actor, "accepted")
        else:
            await self._feedback.record(repository, number, marker, "reply", event.actor, event.verdict)
        await self._update_mutes(repository)
        return FeedbackEventResult(recorded=True)

    @activity.defn(name="refresh_feedback")
    async def refresh_feedback(self, request: RefreshFeedbackInput) -> RefreshFeedbackResult:
        """Reconcile: the reactions on every pull request with inline comments posted in the last days."""
        days = request.days or self._settings.feedback.reconcile_days
        pulls = await self._feedback.recent_pull_requests(days)
        result = RefreshFeedbackResult(pull_requests=len(pulls))
        async with heartbeating({"step": "reactions"}, every=5.0):
            for repository, number in pulls:
                try:
                    provider = self._providers(PullRequestRef(repository=repository, number=number))
                    result.reactions_read += await self._read_reactions(provider, repository, number)
                except (GithubException, GithubNotConfigured) as error:
                    result.failed.append(f"{repository}#{number}: reactions not read ({error})"[:300])
        for repository in sorted({repository for repository, _ in pulls}):
            result.muted += [f"{repository} {rule}" for rule in await self._update_mutes(repository)]
        return result

    async def _read_reactions(self, provider: ReviewProvider, repository: str, number: int) -> int:
        """Replace each posted comment's reaction votes (and the summary's) with what GitHub lists now."""
        read = 0
        for posted in await self._feedback.posted_comments(repository, number):
            reactions = await asyncio.to_thread(provider.review_comment_reactions, posted.comment_id)
            if reactions is not None:
                await self._feedback.replace_reactions(
                    repository, number, posted.marker, reaction_votes(reactions, self._bots)
                )
                read += 1
        summary = await self._reviews.summary_comment_id(repository, number)
        reactions = await asyncio.to_thread(provider.issue_comment_reactions, summary) if summary else None
        if reactions is not None:
            await self._feedback.replace_reactions(repository, number, SUMMARY_MARKER, reaction_votes(reactions))
            read += 1
        return read

    async def _find_addressed(self, provider: ReviewProvider, snapshot: PullRequestSnapshot) -> int:
        """Findings posted on an earlier head whose line the commits since then changed or removed."""
        repository, number = snapshot.pr.repository, snapshot.pr.number
        by_head: dict[str, list[PostedFinding]] = defaultdict(list)
        for finding in await self._feedback.unaddressed(repository, number):
            if finding.head_sha != snapshot.head_sha:
                by_head[finding.head_sha].append(finding)
        found = 0
        for head, findings in list(by_head.items())[:MAX_HEADS_COMPARED]:
            changes = snapshot.since_files if head == snapshot.since_sha else None
            if changes is None:
                comparison = await asyncio.to_thread(provider.compare, head, snapshot.head_sha)
                if comparison is None or comparison.status != "ahead":
                    continue  # the head is gone from the branch's history: nothing to say
                changes = comparison.files
            diffs = [parse_patch(f.path, f.patch or "", f.status, f.old_path) for f in changes]
            for marker in addressed(findings, diffs):
                await self._feedback.record(repository, number, marker, "addressed", "", "accepted")
                found += 1
        return found

    async def _update_mutes(self, repository: str) -> list[str]:
        """Mute the rules now under the policy in `repository` (counting only findings since an admin's unmute)."""
        already = {rule.rule_id for rule in await self._feedback.muted_rules(repository)}
        newly = []
        for stats in rule_stats(await self._feedback.finding_feedback(repository, since_unmute=True)):
            if self._policy.mutes(stats):
                await self._feedback.mute(stats)
                if stats.rule_id not in already:
                    newly.append(stats.rule_id)
                    activity.logger.info("rule muted", extra={"repository": repository, "rule_id": stats.rule_id})
        return newly
