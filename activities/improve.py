"""ImprovePR's activities: ask the model for suggestions and for its check of them, then post the
ones that hold as committable suggestion blocks, with one summary comment.

Posting is idempotent: every suggestion comment carries its key (file, code replaced, replacement),
so a retry, a replay or a later head never posts it twice; the one summary comment is found by its
marker and edited in place. A suggestion is posted only when the head still holds the code it
replaces on the lines it names, and the file still parses with it applied.
"""

from __future__ import annotations

import asyncio

import asyncpg
from github import GithubException
from temporalio import activity

from activities.command_llm import CommandLlm
from activities.head_files import HeadFiles
from activities.inline_posting import post_with_fallback
from activities.review_github import ProviderFactory
from activities.review_report import pull_request_info
from clients.github import github_failure
from clients.pull_requests import InlineComment, ReviewProvider, provider_for
from contracts.commands import (
    ImproveOutcome,
    ImproveRequest,
    PostImproveInput,
    PostImproveResult,
    RankedSuggestion,
)
from core.settings import Settings
from core.temporal.heartbeat import heartbeating
from domain.commands.prompts import context_values
from domain.improve.render import (
    IMPROVE_MARKER,
    extract_improve_keys,
    render_improve_summary,
    render_suggestion_comment,
)
from domain.improve.suggestions import (
    ImproveSuggestion,
    SelfCheckScore,
    improve_json_schema,
    is_moot,
    parse_improve_answer,
    parse_self_check,
    rank,
    render_for_self_check,
    replaces_what_it_says,
    self_check_json_schema,
    suggestion_key,
)
from domain.review.report import SKIP_NOTHING_TO_REVIEW

Ranked = list[tuple[ImproveSuggestion, SelfCheckScore]]
MAX_ASKED = 20  # the model proposes up to twice the posted limit; the self-check picks


class ImproveActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, providers: ProviderFactory | None = None) -> None:
        self._settings = settings
        self._pool = pool
        self._providers = providers or (lambda pr: provider_for(settings.github, pr))

    @activity.defn(name="generate_improvements")
    async def generate_improvements(self, request: ImproveRequest) -> ImproveOutcome:
        """Suggestions on the change's added lines, scored by a second call, ranked and capped."""
        llm = CommandLlm(self._settings, self._pool, "improve", request.snapshot)
        reason = await llm.skip_reason()
        if reason or not any(f.patch for f in request.snapshot.files):
            return ImproveOutcome(skipped_reason=reason or SKIP_NOTHING_TO_REVIEW)
        limits = self._settings.commands
        frame = context_values(pull_request_info(request.snapshot), request.context.bundle, request.findings)
        frame |= {"limit": min(2 * limits.improve_max_suggestions, MAX_ASKED), "schema": improve_json_schema()}
        diff, lines = llm.fit_diff(request.findings, frame)
        async with heartbeating({"step": "improve"}, every=5.0):
            proposed, outside = await llm.ask_json(
                llm.prompt.messages({**frame, "diff": diff}),
                lambda text: parse_improve_answer(text, valid_lines=lines),
                improve_json_schema(),
            )
            scores = {}
            if proposed:
                checking = llm.prompt.messages(
                    {"diff": diff, "suggestions": render_for_self_check(proposed), "schema": self_check_json_schema()},
                    template="self_check.md",
                    system="self_check_system.md",
                )
                scores = await llm.ask_json(
                    checking, lambda text: parse_self_check(text, len(proposed)), self_check_json_schema()
                )
        kept, dropped = rank(proposed, scores, threshold=limits.improve_min_score, limit=limits.improve_max_suggestions)
        return ImproveOutcome(
            suggestions=[RankedSuggestion(suggestion=s.model_dump(), score=sc.model_dump()) for s, sc in kept],
            dropped=dropped + outside,
            usage=llm.usage(),
        )

    @activity.defn(name="post_improvements")
    async def post_improvements(self, request: PostImproveInput) -> PostImproveResult:
        """The suggestions as one review of inline comments, then the summary (edited in place)."""
        ranked: Ranked = [
            (ImproveSuggestion.model_validate(r.suggestion), SelfCheckScore.model_validate(r.score))
            for r in request.outcome.suggestions
        ]
        if request.dry_run:
            return _dry_run(request, ranked)
        provider = self._providers(request.snapshot.pr)
        try:
            result, posted = await self._post_inline(provider, request, ranked)
            summary = _summary(request, result, posted)
            result.summary_comment_id = await asyncio.to_thread(_upsert_summary, provider, summary)
        except GithubException as error:
            pr = request.snapshot.pr
            raise github_failure(error, f"cannot post /improve on {pr.repository}#{pr.number}") from error
        result.rendered_text = summary
        return result

    async def _post_inline(
        self, provider: ReviewProvider, request: PostImproveInput, ranked: Ranked
    ) -> tuple[PostImproveResult, Ranked]:
        """Post what is new, still there and applies cleanly; count the rest by why not."""
        head = request.snapshot.head_sha
        result = PostImproveResult(summary_comment_id=None)
        if not ranked:
            return result, []
        current = await asyncio.to_thread(provider.current_head)
        if current != head:  # suggestions for a stale head land on outdated lines
            result.head_moved_to = current
            return result, []
        known: set[str] = set()
        for body in await asyncio.to_thread(provider.review_comment_bodies):
            known |= extract_improve_keys(body)
        files = HeadFiles(provider, head)
        comments: dict[InlineComment, tuple[ImproveSuggestion, SelfCheckScore]] = {}
        for suggestion, score in ranked:
            key = suggestion_key(suggestion)
            text = await files.text(suggestion.path)
            if key in known:
                result.already_posted += 1
            elif is_moot(suggestion, text):
                result.moot += 1
            elif not replaces_what_it_says(suggestion, text or "") or await files.suggestion_problem(
                suggestion.path, suggestion.first_line, suggestion.line, suggestion.improved_code
            ):
                result.withheld += 1
            else:
                comments[_inline(suggestion, score, key)] = (suggestion, score)
        outcome = await asyncio.to_thread(post_with_fallback, provider, head, list(comments))
        result.posted, result.rejected = len(outcome.posted), len(outcome.rejected)
        return result, [comments[c] for c in outcome.posted]


def _inline(suggestion: ImproveSuggestion, score: SelfCheckScore, key: str) -> InlineComment:
    start = suggestion.first_line if suggestion.first_line < suggestion.line else None
    body = render_suggestion_comment(suggestion, score, key)
    return InlineComment(path=suggestion.path, line=suggestion.line, body=body, start_line=start)


def _summary(request: PostImproveInput, result: PostImproveResult, posted: Ranked) -> str:
    skipped = None
    if result.head_moved_to:
        skipped = f"the head moved on to `{result.head_moved_to[:7]}` while they were written; run /improve again"
    elif request.skipped_reason:  # the run itself (a closed pull request, nothing reviewable)
        skipped = request.skipped_reason
    elif request.outcome.skipped_reason:
        skipped = f"the model part was skipped ({request.outcome.skipped_reason})"
    return render_improve_summary(
        posted,
        head_sha=request.snapshot.head_sha,
        already_posted=result.already_posted,
        moot=result.moot,
        dropped=request.outcome.dropped,
        held_back=result.withheld + result.rejected,
        skipped_reason=skipped,
    )


def _upsert_summary(provider: ReviewProvider, body: str) -> int | None:
    found = provider.find_comment_with(IMPROVE_MARKER)
    if found is not None and provider.update_comment(found, body):
        return found
    return provider.create_comment(body)


def _dry_run(request: PostImproveInput, ranked: Ranked) -> PostImproveResult:
    """What would be posted: the summary, then each suggestion's comment under its place."""
    summary = _summary(request, PostImproveResult(summary_comment_id=None), ranked)
    blocks = [
        f"--- {s.path}:{s.first_line}-{s.line}\n{render_suggestion_comment(s, sc, suggestion_key(s))}"
        for s, sc in ranked
    ]
    return PostImproveResult(summary_comment_id=None, rendered_text="\n\n".join([summary, *blocks]))
