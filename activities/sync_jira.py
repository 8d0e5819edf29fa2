"""Jira activities: one ticket from a webhook (or a refresh), and a project sync by JQL.

The `jira` client is synchronous (requests), so its calls run in a thread. Client retries are off
(`make_jira`): Temporal retries the activity, and a project sync resumes from its heartbeat.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from jira import JIRA, JIRAError
from temporalio import activity
from temporalio.exceptions import ApplicationError

from clients.embeddings import configured_embedder
from clients.jira import JiraNotConfigured, fetch_issue, make_jira
from contracts.sync import JiraOutcome, SyncJiraInput, SyncJiraProjectInput, SyncJiraProjectResult, SyncJiraResult
from core.settings import Settings
from core.temporal.errors import JIRA_NOT_CONFIGURED, JIRA_REJECTED
from db.jira_sync import JiraSyncState
from db.jira_tickets import JiraTicketRepository
from domain.embeddings import EMBEDDING_TEXT_MAX_CHARS, Embedder
from domain.jira_issue import TicketRecord, ticket_from_issue

PAGE_SIZE = 100
# JQL dates are read in the Jira user's time zone (anything from UTC-12 to UTC+14), and only to the
# minute: a day of overlap makes "updated since" safe whatever that zone is. Re-reads are harmless
# because the ticket upsert keeps the newest state.
WATERMARK_MARGIN = timedelta(days=1)
# Without these the webhook's issue cannot be stored as is (no project, or no time to order states by).
_REQUIRED_FIELDS = ("summary", "project", "updated")


def payload_is_complete(issue: dict[str, Any] | None) -> bool:
    """True when a webhook's issue carries what a ticket needs, so Jira need not be asked again."""
    fields = (issue or {}).get("fields") or {}
    return bool(issue and issue.get("key")) and all(fields.get(name) for name in _REQUIRED_FIELDS)


def project_jql(project_key: str, since: datetime | None) -> str:
    """Oldest change first, so a heartbeat's newest `updated` is a safe place to resume from."""
    clauses = [f'project = "{project_key}"']
    if since is not None:
        clauses.append(f'updated >= "{since.astimezone(UTC):%Y-%m-%d %H:%M}"')
    return " AND ".join(clauses) + " ORDER BY updated ASC, key ASC"


def ticket_text(ticket: TicketRecord) -> str:
    """What a ticket is embedded as: its key and summary give the description its context."""
    return f"{ticket.key}: {ticket.summary}\n\n{ticket.description or ''}"[:EMBEDDING_TEXT_MAX_CHARS]


def rejected(error: JIRAError) -> Exception:
    """4xx (but 429) cannot succeed on retry: fail the activity for good, with Jira's reason."""
    status = error.status_code or 0
    if 400 <= status < 500 and status != 429:
        return ApplicationError(f"Jira answered {status}: {error.text}", type=JIRA_REJECTED, non_retryable=True)
    return error


def _not_configured(error: JiraNotConfigured) -> ApplicationError:
    return ApplicationError(str(error), type=JIRA_NOT_CONFIGURED, non_retryable=True)


def search_page(client: JIRA, jql: str, cursor: str | None, cloud: bool) -> tuple[list[dict[str, Any]], str | None]:
    """One page of raw issues and the cursor of the next (None after the last).

    Jira Cloud pages `/search/jql` by nextPageToken (its `/search` is gone); Server and Data Center
    page `/search` by startAt."""
    if cloud:
        body: Any = client.enhanced_search_issues(
            jql, nextPageToken=cursor, maxResults=PAGE_SIZE, fields="*all", json_result=True
        )
        token = None if body.get("isLast", not body.get("nextPageToken")) else body.get("nextPageToken")
        return list(body.get("issues") or []), token
    start = int(cursor or 0)
    body = client.search_issues(jql, startAt=start, maxResults=PAGE_SIZE, fields="*all", json_result=True)
    issues = list(body.get("issues") or [])
    following = start + len(issues)
    return issues, (str(following) if issues and following < int(body.get("total") or 0) else None)


class JiraSyncActivities:
    def __init__(self, settings: Settings, pool: asyncpg.Pool, *, embedder: Embedder | None = None) -> None:
        self._jira = settings.jira
        self._tickets = JiraTicketRepository(pool)
        self._state = JiraSyncState(pool)
        self._embedder = embedder or configured_embedder(settings.llm)

    @activity.defn(name="sync_jira_ticket")
    async def sync_jira_ticket(self, request: SyncJiraInput) -> SyncJiraResult:
        """Store one ticket's newest state; `deleted` (or a refresh Jira answers 404 to) leaves a tombstone."""
        key = request.ticket_key
        if request.event == "deleted":
            return SyncJiraResult(key=key, outcome=await self._tombstone(key, request.issue))
        complete = request.event != "refresh" and payload_is_complete(request.issue)
        issue = request.issue if complete else await self._fetch(key)
        if issue is None and request.event == "refresh":
            return SyncJiraResult(key=key, outcome=await self._tombstone(key, None), fetched=True)
        if issue is None:  # not visible to us (yet): keep what the webhook said, if it said anything
            issue = request.issue if (request.issue or {}).get("fields") else None
        if issue is None:
            return SyncJiraResult(key=key, outcome="not_found", fetched=True)
        written = await self._store([ticket_from_issue(issue, self._jira.base_url)])
        return SyncJiraResult(key=key, outcome="stored" if written else "unchanged", fetched=not complete)

    async def _fetch(self, key: str) -> dict[str, Any] | None:
        try:
            return await asyncio.to_thread(fetch_issue, self._jira, key)
        except JiraNotConfigured as error:
            raise _not_configured(error) from None
        except JIRAError as error:
            raise rejected(error) from None

    async def _tombstone(self, key: str, issue: dict[str, Any] | None) -> JiraOutcome:
        # Stamped "now": Jira deletions are final, and no older state of the issue may revive it.
        base = ticket_from_issue(issue, self._jira.base_url) if issue and issue.get("fields") else None
        base = base or await self._tickets.get(key) or TicketRecord(key, key.rpartition("-")[0], "")
        await self._tickets.upsert(replace(base, deleted=True, jira_updated_at=datetime.now(UTC)))
        return "deleted"

    async def _store(self, tickets: list[TicketRecord]) -> int:
        vectors = await self._embedder.embed([ticket_text(t) for t in tickets])
        return sum([await self._tickets.upsert(t, v) for t, v in zip(tickets, vectors, strict=True)])

    @activity.defn(name="sync_jira_project")
    async def sync_jira_project(self, request: SyncJiraProjectInput) -> SyncJiraProjectResult:
        """Every ticket of a project changed since the last sync (or all, when full), page by page.

        Heartbeats carry the newest `updated` stored so far: a retry resumes there, not at the start."""
        try:
            client, cloud = await asyncio.to_thread(self._client)
        except JiraNotConfigured as error:
            raise _not_configured(error) from None
        progress, since = await self._start_point(request)
        result = SyncJiraProjectResult(
            project_key=request.project_key, full=request.full, since=since.isoformat() if since else None
        )
        jql = project_jql(request.project_key, since)
        cursor: str | None = None
        while True:
            issues, cursor = await self._page(client, jql, cursor, cloud)
            tickets = [ticket_from_issue(issue, self._jira.base_url) for issue in issues]
            result.seen += len(tickets)
            result.written += await self._store(tickets) if tickets else 0
            _advance(progress, tickets)
            activity.heartbeat(progress)
            if cursor is None:
                break
        started = datetime.fromisoformat(progress["started"])
        if request.full and progress["from_start"]:
            result.flagged_deleted = await self._state.flag_unseen(request.project_key, started)
        await self._state.save(request.project_key, started)
        return result

    def _client(self) -> tuple[JIRA, bool]:
        client = make_jira(self._jira)
        try:
            # The client skips serverInfo at construction (make_jira); the search API depends on it.
            client.deploymentType = client.server_info().get("deploymentType")
        except JIRAError as error:
            raise rejected(error) from None
        return client, client.deploymentType == "Cloud"

    async def _page(
        self, client: JIRA, jql: str, cursor: str | None, cloud: bool
    ) -> tuple[list[dict[str, Any]], str | None]:
        try:
            return await asyncio.to_thread(search_page, client, jql, cursor, cloud)
        except JIRAError as error:
            raise rejected(error) from None

    async def _start_point(self, request: SyncJiraProjectInput) -> tuple[dict[str, Any], datetime | None]:
        """This attempt's progress record and search start: a previous attempt's heartbeat (resume after
        the newest ticket it stored), else the last sync's watermark (incremental) or nothing (full)."""
        details = activity.info().heartbeat_details
        if details and isinstance(details[0], dict) and details[0].get("started"):
            progress = dict(details[0])
            if progress.get("newest"):
                return progress, datetime.fromisoformat(progress["newest"]) - WATERMARK_MARGIN
            return progress, datetime.fromisoformat(progress["since"]) if progress.get("since") else None
        started = await self._state.now()
        previous = None if request.full else await self._state.last_synced(request.project_key)
        since = previous - WATERMARK_MARGIN if previous else None
        # Unseen tickets may be flagged deleted only by a sync that read the whole project: tickets read
        # by an earlier attempt of it were stamped after `started` too, so a resumed one still counts.
        progress = {"started": started.isoformat(), "since": since and since.isoformat(), "from_start": since is None}
        return progress, since


def _advance(progress: dict[str, Any], tickets: list[TicketRecord]) -> None:
    stamps = [t.jira_updated_at for t in tickets if t.jira_updated_at is not None]
    if stamps:
        newest = max(stamps)
        known = datetime.fromisoformat(progress["newest"]) if progress.get("newest") else None
        progress["newest"] = max(newest, known).isoformat() if known else newest.isoformat()
