"""What every pull-request command does the same way: admit the asker, reply, record the run.

Admission is the first step of every command: a locked conversation, or an asker without write or
triage access (read from GitHub, cached for COMMAND_PERMISSION_CACHE_SECONDS), gets one short
polite reply and nothing else runs; an admitted command's comment gets an 👀 reaction. Replies
carry a hidden marker of what they answer, so a retried activity or a replayed delivery finds
its reply instead of posting another.
"""

from __future__ import annotations

import asyncio

import asyncpg
from github import GithubException
from temporalio import activity

from activities.review_github import ProviderFactory
from clients.github import github_failure
from clients.pull_requests import ReviewProvider, provider_for
from contracts.commands import (
    Admission,
    AdmitInput,
    HelpRequest,
    RecordCommandInput,
    ReplyInput,
    ReplyResult,
)
from core.settings import Settings
from db.commands import CachedPermission, PermissionCache
from db.reviews import ReviewRecord, ReviewRepository
from domain.commands.access import locked_refusal, may_run_commands, permission_refusal
from domain.commands.help import HelpFacts, render_help
from domain.commands.replies import reply_marker, with_marker

SEEN_REACTION = "eyes"


class CommandActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, providers: ProviderFactory | None = None) -> None:
        self._settings = settings
        self._permissions = PermissionCache(pool)
        self._reviews = ReviewRepository(pool)
        self._providers = providers or (lambda pr: provider_for(settings.github, pr))

    @activity.defn(name="admit_command")
    async def admit_command(self, request: AdmitInput) -> Admission:
        """Whether the command runs; a refusal is replied here, an admission acknowledged with 👀."""
        asker = request.request
        if asker.author is None:  # the operator, from the CLI or the admin API
            return Admission(allowed=True)
        provider = self._providers(request.pr)
        try:
            refusal = await self._refusal(provider, request, asker.author)
            if refusal is not None:
                key = f"refusal:{asker.comment_id}"
                reply = ReplyInput(pr=request.pr, request=asker, key=key, body=refusal, dry_run=request.dry_run)
                posted = await self._reply(provider, reply)
                return Admission(allowed=False, reason=refusal, reply_comment_id=posted.comment_id)
            if asker.comment_id is not None and not request.dry_run:
                await asyncio.to_thread(
                    provider.react, asker.comment_id, SEEN_REACTION, review_comment=asker.review_comment
                )
        except GithubException as error:
            raise github_failure(error, f"cannot admit /{request.command} on {request.pr.repository}") from error
        return Admission(allowed=True)

    async def _refusal(self, provider: ReviewProvider, request: AdmitInput, login: str) -> str | None:
        if await asyncio.to_thread(provider.is_locked):
            return locked_refusal(login, request.command)
        access = await self._permission(provider, request.pr.repository, login)
        if may_run_commands(access.permission, access.role_name):
            return None
        return permission_refusal(login, request.pr.repository, request.command, access.permission)

    async def _permission(self, provider: ReviewProvider, repository: str, login: str) -> CachedPermission:
        ttl = self._settings.commands.permission_cache_seconds
        cached = await self._permissions.get(repository, login, ttl) if ttl > 0 else None
        if cached is not None:
            return cached
        fresh = await asyncio.to_thread(provider.permission, login)
        await self._permissions.put(repository, login, fresh.permission, fresh.role_name)
        return CachedPermission(fresh.permission, fresh.role_name)

    @activity.defn(name="reply_to_command")
    async def reply_to_command(self, request: ReplyInput) -> ReplyResult:
        """Post the reply once (in the inline thread for an inline comment); a dry run posts nothing."""
        try:
            return await self._reply(self._providers(request.pr), request)
        except GithubException as error:
            raise github_failure(error, f"cannot reply on {request.pr.repository}#{request.pr.number}") from error

    @activity.defn(name="find_command_reply")
    async def find_command_reply(self, request: ReplyInput) -> ReplyResult:
        """The reply already posted for `request.key`, if any (comment_id None: none yet)."""
        try:
            found = await self._existing(self._providers(request.pr), request)
        except GithubException as error:
            raise github_failure(error, f"cannot read {request.pr.repository}#{request.pr.number}") from error
        return ReplyResult(comment_id=found, already_posted=found is not None)

    async def _reply(self, provider: ReviewProvider, request: ReplyInput) -> ReplyResult:
        if request.dry_run:
            return ReplyResult(comment_id=None)
        existing = await self._existing(provider, request)
        if existing is not None:
            return ReplyResult(comment_id=existing, already_posted=True)
        body, asker = with_marker(request.body, request.key), request.request
        if asker.review_comment and asker.thread_root_id is not None:
            return ReplyResult(comment_id=await asyncio.to_thread(provider.reply_in_thread, asker.thread_root_id, body))
        return ReplyResult(comment_id=await asyncio.to_thread(provider.create_comment, body))

    async def _existing(self, provider: ReviewProvider, request: ReplyInput) -> int | None:
        marker = reply_marker(request.key)
        if request.request.review_comment:
            thread = await asyncio.to_thread(provider.review_thread_comments)
            return next((c.id for c in thread if marker in c.body), None)
        return await asyncio.to_thread(provider.find_comment_with, marker)

    @activity.defn(name="help_text")
    async def help_text(self, request: HelpRequest) -> str:
        """The /help reply, with this deployment's settings."""
        llm, commands = self._settings.llm, self._settings.commands
        facts = HelpFacts(
            model=llm.model if llm.configured else None,
            improve_max_suggestions=commands.improve_max_suggestions,
            improve_min_score=commands.improve_min_score,
            permission_cache_seconds=commands.permission_cache_seconds,
        )
        return render_help(facts, request.login)

    @activity.defn(name="record_command")
    async def record_command(self, request: RecordCommandInput) -> None:
        """The run in review_history under its command's type (one row per head and type)."""
        snapshot, usage, info = request.snapshot, request.usage, activity.info()
        await self._reviews.record(
            ReviewRecord(
                repository=snapshot.pr.repository,
                pr_number=snapshot.pr.number,
                head_sha=snapshot.head_sha,
                status=request.status,
                trigger=request.trigger,
                pr_url=snapshot.url or None,
                workflow_id=info.workflow_id,
                run_id=info.workflow_run_id,
                summary_comment_id=request.comment_id,
                llm_used=request.llm_skipped_reason is None and usage is not None and usage.calls > 0,
                llm_skipped_reason=request.llm_skipped_reason,
                model=usage.model if usage else None,
                tokens_in=usage.tokens_in if usage else 0,
                tokens_out=usage.tokens_out if usage else 0,
                cost_usd=usage.cost_usd if usage else 0.0,
                context_used=tuple(request.context_used),
                context_missing=tuple(request.context_missing),
                duration_ms=request.duration_ms,
                review_type=request.command,
                details=request.details,
            )
        )
