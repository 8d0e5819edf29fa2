"""SyncGithubActivity's activities: record pushed commits from webhooks, and read the last N days
of commits and pull requests through PyGithub. Both upsert on github_activity's unique key."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from github import GithubException
from github.Commit import Commit
from github.PullRequest import PullRequest
from github.Repository import Repository
from temporalio import activity

from clients.github import GithubFactory, github_factory, github_failure
from contracts.sync import RecordCommitsInput, SyncHistoryInput, SyncHistoryResult
from core.settings import Settings
from core.temporal.heartbeat import heartbeating
from db.activity import ActivityRecord, upsert_activity

MAX_HISTORY_ITEMS = 5000  # per kind: a bound on one sync, whatever the repository's traffic


def _parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _title(message: str | None) -> str | None:
    return message.strip().splitlines()[0][:500] if message and message.strip() else None


def pushed_commit(repository: str, commit: dict[str, Any]) -> ActivityRecord | None:
    """A webhook's pushed commit (sha, message, author, timestamp, url, branch) as a record."""
    sha = commit.get("sha")
    if not isinstance(sha, str) or not sha:
        return None
    message = commit.get("message")
    return ActivityRecord(
        repository=repository,
        activity_type="commit",
        external_id=sha,
        author=commit.get("author"),
        title=_title(message),
        url=commit.get("url"),
        branch=commit.get("branch"),
        occurred_at=_parse_time(commit.get("timestamp")),
        data={"message": message} if message else {},
    )


def history(repo: Repository, days: int, now: datetime) -> list[ActivityRecord]:
    """Commits on the default branch and pull requests updated in the last `days` days."""
    since = now - timedelta(days=days)
    records: list[ActivityRecord] = []
    for index, commit in enumerate(repo.get_commits(sha=repo.default_branch, since=since)):
        if index >= MAX_HISTORY_ITEMS:
            break
        records.append(_commit_record(repo, commit))
    for index, pull in enumerate(repo.get_pulls(state="all", sort="updated", direction="desc")):
        if index >= MAX_HISTORY_ITEMS or (pull.updated_at or pull.created_at) < since:
            break  # sorted by update time: everything after is older
        records.append(_pull_record(repo, pull))
    return records


def _commit_record(repo: Repository, commit: Commit) -> ActivityRecord:
    details = commit.commit
    return ActivityRecord(
        repository=repo.full_name,
        activity_type="commit",
        external_id=commit.sha,
        author=commit.author.login if commit.author else details.author.name,
        title=_title(details.message),
        url=commit.html_url,
        branch=repo.default_branch,
        occurred_at=details.author.date,
        data={"message": details.message},
    )


def _pull_record(repo: Repository, pull: PullRequest) -> ActivityRecord:
    # Only fields the listing carries: anything else would make PyGithub fetch each PR again.
    return ActivityRecord(
        repository=repo.full_name,
        activity_type="pull_request",
        external_id=str(pull.number),
        author=pull.user.login if pull.user else None,
        title=pull.title,
        url=pull.html_url,
        branch=pull.head.ref,
        occurred_at=pull.created_at,
        data={
            "state": pull.state,
            "merged_at": pull.merged_at.isoformat() if pull.merged_at else None,
            "base": pull.base.ref,
            "updated_at": pull.updated_at.isoformat() if pull.updated_at else None,
        },
    )


class ActivitySyncActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, *, github: GithubFactory | None = None) -> None:
        self._pool = pool
        self._github = github or github_factory(settings.github)

    @activity.defn(name="record_commits")
    async def record_commits(self, request: RecordCommitsInput) -> int:
        """Record commits delivered by push webhooks; returns how many were recorded."""
        records = [r for c in request.commits if (r := pushed_commit(request.repository, c)) is not None]
        return await upsert_activity(self._pool, records)

    @activity.defn(name="sync_github_history")
    async def sync_github_history(self, request: SyncHistoryInput) -> SyncHistoryResult:
        """Read and record the last `days` days of commits and pull requests."""
        now = datetime.now(UTC)
        try:
            async with heartbeating({"step": "github"}):
                records = await asyncio.to_thread(
                    lambda: history(self._github(request.repository).get_repo(request.repository), request.days, now)
                )
        except GithubException as error:
            raise github_failure(error, f"cannot read the history of {request.repository}") from error
        await upsert_activity(self._pool, records)
        commits = sum(1 for r in records if r.activity_type == "commit")
        return SyncHistoryResult(commits=commits, pull_requests=len(records) - commits)
