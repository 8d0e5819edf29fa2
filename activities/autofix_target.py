"""AutoFixPR's first steps: who asked and may they, which findings, where the branch is and whether
the app may push to it; then the clone of the head, and which findings still hold on it.

Both are read-only and safe to repeat. A refusal is a result (the workflow replies with it), not an
error: only GitHub being unreachable or a clone failing is retried.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import asyncpg
from github import Github, GithubException
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities import autofix_github as gh
from activities.autofix_clone import Clones
from clients.git import GitError, changes_between
from clients.github import github_failure, make_github
from contracts.autofix import AutofixRequest, AutofixTarget, Workspace
from core.settings import Settings
from core.temporal.errors import GIT_ERROR
from db.autofix import AutofixRepository, StoredReview
from domain.autofix.config import RepoAutofixConfig, read_autofix_config
from domain.autofix.report import SkippedFinding
from domain.autofix.select import select_findings

GithubFactory = Callable[[str], Github]


class AutofixTargetActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, github: GithubFactory | None = None) -> None:
        self._settings = settings
        self._store = AutofixRepository(pool)
        self._github = github or (lambda repository: make_github(settings.github, repository))
        self._clones = Clones(settings)

    @activity.defn(name="load_autofix_target")
    async def load_autofix_target(self, request: AutofixRequest) -> AutofixTarget:
        if await self._store.answered(request.request_id):
            return AutofixTarget(request_id=request.request_id, status="done")
        if not self._settings.autofix.enabled:
            return _refused(request, "Auto-fix is turned off here (AUTOFIX_ENABLED=false); nothing was changed.")
        try:
            facts, permission, config, thread_marker = await asyncio.to_thread(self._read_github, request)
        except GithubException as error:
            raise github_failure(error, f"cannot read {request.repository}#{request.number}") from error
        refusal = _refusal(request, facts, permission)
        if refusal:
            return _refused(request, refusal)
        marker = request.marker or thread_marker
        if request.reply_to is not None and marker is None and not request.finding_ids:
            reason = (
                "That thread is not about a finding of PR Agent's review; reply in a finding's thread, or name ids."
            )
            return AutofixTarget(request_id=request.request_id, status="nothing", reason=reason)
        review = await self._review(request, marker)
        if review is None:
            return AutofixTarget(request_id=request.request_id, status="nothing", reason=_no_review(marker))
        return self._target(request, facts, review, marker, read_autofix_config(config))

    def _read_github(self, request: AutofixRequest) -> tuple[gh.PullFacts, str | None, str | None, str | None]:
        repo = self._github(request.repository).get_repo(request.repository)
        facts = gh.pull_facts(repo, request.number)
        permission = gh.permission_of(repo, request.requester) if request.requester else None
        config = gh.config_text(repo, facts.base_ref)
        thread = gh.finding_marker_of_comment(repo, request.number, request.reply_to) if request.reply_to else None
        return facts, permission, config, thread

    async def _review(self, request: AutofixRequest, marker: str | None) -> StoredReview | None:
        if marker is not None and not request.finding_ids:
            return await self._store.review_with_marker(request.repository, request.number, marker)
        return await self._store.latest_review(request.repository, request.number)

    def _target(
        self,
        request: AutofixRequest,
        facts: gh.PullFacts,
        review: StoredReview,
        marker: str | None,
        config: RepoAutofixConfig,
    ) -> AutofixTarget:
        settings = self._settings.autofix
        chosen, skipped = select_findings(
            review.findings,
            ids=request.finding_ids,
            marker=marker,
            unknown_words=request.unknown_ids,
            limit=settings.max_findings,
            review_head=review.head_sha,
        )
        target = AutofixTarget(
            request_id=request.request_id,
            status="ready" if chosen else "nothing",
            reason=None if chosen else _none_chosen(request, marker, review.head_sha),
            head_repository=facts.head_repository or request.repository,
            head_ref=facts.head_ref,
            head_sha=facts.head_sha,
            review_head_sha=review.head_sha,
            base_ref=facts.base_ref,
            clone_url=facts.clone_url,
            pr_url=facts.url,
            findings=chosen,
            skipped=skipped,
            check_command=config.check_command,
            check_timeout_seconds=min(
                config.check_timeout_seconds or settings.check_timeout_seconds, settings.check_timeout_seconds
            ),
            conventions=config.conventions,
            notes=list(config.problems),
        )
        fork = (facts.head_repository or "").lower() != request.repository.lower()
        if fork and not facts.maintainer_can_modify:
            target.mode = "patch"
            target.mode_reason = (
                f"the branch lives in the fork {facts.head_repository}, which does not let maintainers push"
            )
        return target

    @activity.defn(name="prepare_autofix_workspace")
    async def prepare_autofix_workspace(self, target: AutofixTarget) -> Workspace:
        """Clone (or fetch) the head; skip findings whose file changed since the review's head."""
        try:
            clone = await self._clones.holding(target.clone_url, target.head_repository, target.head_sha)
        except GitError as error:
            # Retried: GitHub may not serve a just-pushed head to clones for a moment.
            raise ApplicationError(
                f"cannot clone {target.head_repository} at {target.head_sha[:12]}: {error}", type=GIT_ERROR
            ) from error
        workspace = Workspace(head_sha=target.head_sha, findings=list(target.findings))
        review_head = target.review_head_sha
        if review_head and review_head != target.head_sha:
            changed = await asyncio.to_thread(_changed_paths, clone, review_head, target.head_sha)
            workspace.findings = [n for n in target.findings if changed is not None and n.finding.path not in changed]
            workspace.skipped = [
                SkippedFinding(
                    id=n.id,
                    reason=_moved(review_head, target.head_sha, changed is None),
                    path=n.finding.path,
                    line=n.finding.line,
                )
                for n in target.findings
                if n not in workspace.findings
            ]
        return workspace


def _changed_paths(clone: Path, old: str, new: str) -> set[str] | None:
    """Paths changed from `old` to `new`; None when `old` is gone (a force-push dropped it)."""
    try:
        changes = changes_between(clone, old, new)
    except GitError:
        return None
    return {c.path for c in changes} | {c.old_path for c in changes if c.old_path}


def _moved(review_head: str, head: str, lost: bool) -> str:
    if lost:
        return f"the branch was rewritten since the review (`{review_head[:7]}` is gone): ask again after a new review"
    return (
        f"its file changed since the review (head `{review_head[:7]}` → `{head[:7]}`): ask again after the next review"
    )


def _refusal(request: AutofixRequest, facts: gh.PullFacts, permission: str | None) -> str | None:
    if facts.state != "open":
        return f"The pull request is {facts.state}; auto-fix only changes open pull requests."
    if facts.head_repository is None:
        return "The branch's repository no longer exists; there is nothing to push to."
    if request.requester and permission not in gh.WRITE_PERMISSIONS:
        return (
            f"@{request.requester} needs write permission on {request.repository} to ask for a fix "
            f"(GitHub reports `{permission}`); nothing was changed."
        )
    return None


def _refused(request: AutofixRequest, reason: str) -> AutofixTarget:
    return AutofixTarget(request_id=request.request_id, status="refused", reason=reason)


def _none_chosen(request: AutofixRequest, marker: str | None, review_head: str) -> str:
    if request.finding_ids or marker is not None:
        return "None of the findings asked for is in the latest review; nothing was changed."
    return f"The latest review (of `{review_head[:7]}`) has no findings to fix; nothing was changed."


def _no_review(marker: str | None) -> str:
    if marker is not None:
        return "The finding this asks about is not in any stored review of this pull request; nothing was changed."
    return "This pull request has no review yet: comment `/review` first, then `/auto-fix`."
