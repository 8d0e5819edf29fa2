"""AutoFixPR's push: one commit on the pull request's branch through GitHub's git data API, at most
once per request.

Before anything is written the branch's recent commits are searched for the request's marker
trailer: a retried attempt (the worker died after the push, before reporting it) finds its commit
and pushes nothing. The branch must still be at the head the fix was made on; the ref update is a
fast-forward only, so a push that races the author's is refused by GitHub, never forced. A branch
that refuses the push (protection) gets a pull request against it instead; a fork that refuses it
gets the patch in the reply (the workflow's part).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable

from github import Github, GithubException
from github.Repository import Repository
from temporalio import activity

from activities import autofix_github as gh
from activities.autofix_clone import Clones, file_modes, text_at
from clients.github import github_failure, make_github
from contracts.autofix import PushFixInput, PushOutcome
from core.settings import Settings
from domain.autofix.patch import Hunk, apply_hunks, parse_diff

GithubFactory = Callable[[str], Github]
REFUSING_STATUSES = frozenset({403, 404, 422})  # no access, not visible to the app, protected branch
DEFAULT_MODE = "100644"


class AutofixPushActivities:
    def __init__(self, settings: Settings, github: GithubFactory | None = None) -> None:
        self._settings = settings
        self._github = github or (lambda repository: make_github(settings.github, repository))
        self._clones = Clones(settings)

    @activity.defn(name="push_autofix_commit")
    async def push_autofix_commit(self, request: PushFixInput) -> PushOutcome:
        files = await self._fixed_files(request)
        try:
            return await asyncio.to_thread(self._push, request, files)
        except GithubException as error:
            raise github_failure(error, f"cannot push to {request.head_repository}:{request.head_ref}") from error

    async def _fixed_files(self, request: PushFixInput) -> dict[str, tuple[bytes, str]]:
        """Each changed file's new content and git mode: the head's file with the checked patch applied."""
        clone = await self._clones.holding(request.clone_url, request.head_repository, request.head_sha)
        hunks: dict[str, list[Hunk]] = defaultdict(list)
        for patch in parse_diff(request.patch):
            hunks[patch.path or ""].extend(patch.hunks)
        modes = await asyncio.to_thread(file_modes, clone, request.head_sha, list(hunks))
        files = {}
        for path, path_hunks in hunks.items():
            before = await asyncio.to_thread(text_at, clone, request.head_sha, path)
            after = apply_hunks(before or "", path_hunks)
            files[path] = (after.encode("utf-8"), modes.get(path, DEFAULT_MODE))
        return files

    def _push(self, request: PushFixInput, files: dict[str, tuple[bytes, str]]) -> PushOutcome:
        client = self._github(request.repository)
        repo = client.get_repo(request.head_repository)
        fork = request.head_repository.lower() != request.repository.lower()
        done = gh.commit_with_marker(repo, request.head_ref, request.request_id)
        if done is not None:
            return PushOutcome(status="already_pushed", commit_sha=done, commit_url=f"{repo.html_url}/commit/{done}")
        current = gh.branch_head(repo, request.head_ref)
        if current != request.head_sha:
            return PushOutcome(status="moved", detail=current)
        try:
            sha = gh.create_commit(repo, request.head_sha, files, request.message)
        except GithubException as error:
            if fork and error.status in REFUSING_STATUSES:
                return PushOutcome(status="refused", detail=f"GitHub refused to write to the fork ({error.status})")
            raise
        try:
            gh.move_branch(repo, request.head_ref, sha)
        except GithubException as error:
            if gh.is_not_fast_forward(error):
                return PushOutcome(status="moved", detail=gh.branch_head(repo, request.head_ref))
            if error.status not in REFUSING_STATUSES:
                raise
            if fork:
                return PushOutcome(status="refused", detail=f"GitHub refused the push to the fork ({error.status})")
            return self._pull_request_instead(repo, request, sha)
        return PushOutcome(status="pushed", commit_sha=sha, commit_url=f"{repo.html_url}/commit/{sha}")

    @staticmethod
    def _pull_request_instead(repo: Repository, request: PushFixInput, sha: str) -> PushOutcome:
        """The branch refused the commit (protection): offer it as a pull request into the branch."""
        branch = f"pr-agent/autofix-{request.number}-{request.request_id.split('-', 1)[-1][:12]}"
        url = gh.open_pull_request(repo, branch, sha, request.head_ref, request.title, request.message)
        return PushOutcome(
            status="pull_request",
            commit_sha=sha,
            pull_request_url=url,
            branch=branch,
            detail="the branch refused the push",
        )
