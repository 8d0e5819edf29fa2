"""Bootstrap and operations commands: `schedules apply`, `sync-jira`, `sync-npm`, `status`, `reconcile`.

Each command starts workflows (never does the work itself) and, unless `--no-wait`, follows them
with a progress line from their `progress` query until they finish; a failed workflow makes the
command exit 1 with the workflow's reason.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any, TextIO

import asyncpg
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import FailureError

from cli.commands import handler
from contracts.reconcile import ReconcileInput
from contracts.starts import WorkflowStart, reconcile_start, sync_jira_project_start, sync_packages_start
from core.settings import Settings
from core.temporal.client import connect, start_workflow

MANUAL_RECONCILE_ID = "reconcile:manual"
POLL_SECONDS = 0.5
_BAR_WIDTH = 20


def add_parsers(sub: Any) -> None:
    """Add this module's commands to the `pr-agent` parser."""
    schedules = sub.add_parser("schedules", help="manage the Temporal Schedules (reconcile-weekly)")
    actions = schedules.add_subparsers(dest="schedules_action", required=True)
    apply = actions.add_parser("apply", help="create or update the schedules; a paused schedule stays paused")
    apply.add_argument("--id", default=None, help="schedule id (default: reconcile-weekly)")
    jira = sub.add_parser("sync-jira", help="sync Jira projects' tickets (incremental unless --full)")
    jira.add_argument("--projects", help="comma-separated project keys (default: every project seen so far)")
    jira.add_argument("--full", action="store_true", help="read every ticket, and flag deleted ones")
    npm = sub.add_parser("sync-npm", help="sync the organisation's internal npm packages from GitHub Packages")
    npm.add_argument("--org", help="GitHub organisation (default: GITHUB_ORG)")
    npm.add_argument("--package", help="one package instead of all")
    status = sub.add_parser("status", help="counts of what is stored (repositories, chunks, tickets, ...)")
    status.add_argument("--json", action="store_true", help="print JSON")
    reconcile = sub.add_parser("reconcile", help="run Reconcile now (what the weekly schedule runs)")
    parts = reconcile.add_mutually_exclusive_group()
    parts.add_argument("--all", action="store_true", help="everything, including the inbox replay (default)")
    parts.add_argument("--repos", action="store_true", help="rediscover, re-index and re-investigate only")
    parts.add_argument("--jira", action="store_true", help="full Jira sync only")
    parts.add_argument("--npm", action="store_true", help="full package sync only")
    reconcile.add_argument("--concurrency", type=int, default=4, help="child workflows at once")
    for command in (jira, npm, reconcile):
        command.add_argument("--no-wait", action="store_true", help="print the workflow ids and return")


@dataclass
class Outcome:
    workflow_id: str
    ok: bool
    result: Any = None
    reason: str | None = None


@handler("schedules")
async def schedules(args: argparse.Namespace, settings: Settings) -> int:
    from cli.schedules import RECONCILE_SCHEDULE_ID, apply_schedules

    applied = await apply_schedules(settings, await connect(settings.temporal), args.id or RECONCILE_SCHEDULE_ID)
    verb = "created" if applied.created else "updated"
    state = "paused" if applied.paused else "active"
    sys.stdout.write(f"{applied.schedule_id}: {verb}, {state}, cron {applied.cron!r} in {applied.time_zone}\n")
    for moment in applied.next_runs[:3]:
        sys.stdout.write(f"  next: {moment.isoformat()}\n")
    return 0


@handler("sync-jira")
async def sync_jira(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.jira.configured:
        raise ValueError("set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN")
    projects = [p.strip() for p in (args.projects or "").split(",") if p.strip()]
    if not projects:
        from db.jira_sync import JiraSyncState

        async with database(settings) as pool:
            projects = await JiraSyncState(pool).known_projects()
    if not projects:
        raise ValueError("no Jira projects are known yet: pass --projects KEY[,KEY...]")
    plans = [sync_jira_project_start(project_key=p, full=args.full, trigger="cli") for p in projects]
    return await run_plans(settings, plans, args.no_wait)


@handler("sync-npm")
async def sync_npm(args: argparse.Namespace, settings: Settings) -> int:
    org = args.org or settings.github.org
    if not org:
        raise ValueError("set GITHUB_ORG or pass --org")
    plan = sync_packages_start(org=org, package=args.package, trigger="cli")
    return await run_plans(settings, [plan], args.no_wait)


@handler("status")
async def status(args: argparse.Namespace, settings: Settings) -> int:
    from db.status import StatusRepository

    async with database(settings) as pool:
        counts = await StatusRepository(pool).counts()
    if args.json:
        sys.stdout.write(json.dumps(counts, indent=2, default=str) + "\n")
        return 0
    width = max(len(name) for name in counts)
    for name, value in counts.items():
        if isinstance(value, dict):  # deliveries by status
            value = " ".join(f"{k}={v}" for k, v in sorted(value.items())) or "none"
        sys.stdout.write(f"{name.replace('_', ' '):<{width}}  {value}\n")
    return 0


@handler("reconcile")
async def reconcile(args: argparse.Namespace, settings: Settings) -> int:
    everything = not (args.repos or args.jira or args.npm)
    request = ReconcileInput(
        repositories=everything or args.repos,
        jira=everything or args.jira,
        packages=everything or args.npm,
        replay_deliveries=everything,
        concurrency=max(1, args.concurrency),
        trigger="cli",
    )
    plan = reconcile_start(MANUAL_RECONCILE_ID, request)
    return await run_plans(settings, [plan], args.no_wait, show_result=True)


async def run_plans(settings: Settings, plans: list[WorkflowStart], no_wait: bool, show_result: bool = False) -> int:
    """Start the plans; then print their ids (`--no-wait`), or follow them and report how they ended."""
    client = await connect(settings.temporal)
    handles = [await start_workflow(client, settings.temporal, plan) for plan in plans]
    if no_wait:
        sys.stdout.write("".join(f"{h.id}\n" for h in handles))
        return 0
    outcomes = await wait_for(client, handles)
    for outcome in outcomes:
        if not outcome.ok:
            sys.stderr.write(f"pr-agent: {outcome.workflow_id} failed: {outcome.reason}\n")
            continue
        if show_result or outcome.result is not None:
            sys.stdout.write(json.dumps(_plain(outcome.result), indent=2, default=str) + "\n")
        for failure in _failures(outcome.result):
            sys.stderr.write(f"pr-agent: {outcome.workflow_id}: {failure}\n")
    return 0 if all(o.ok and not _failures(o.result) for o in outcomes) else 1


async def wait_for(client: Client, handles: list[WorkflowHandle[Any, Any]], out: TextIO | None = None) -> list[Outcome]:
    """Follow each workflow to its end, printing its progress whenever it changes."""
    return list(await asyncio.gather(*(_follow(h, out or sys.stdout) for h in handles)))


async def _follow(handle: WorkflowHandle[Any, Any], out: TextIO) -> Outcome:
    result_task = asyncio.create_task(handle.result())
    shown = ""
    while not result_task.done():
        line = await _progress_line(handle)
        if line and line != shown:
            out.write(line + "\n")
            out.flush()
            shown = line
        await asyncio.wait({result_task}, timeout=POLL_SECONDS)
    try:
        return Outcome(handle.id, True, result_task.result())
    except WorkflowFailureError as error:
        return Outcome(handle.id, False, reason=_innermost(error.cause))


async def _progress_line(handle: WorkflowHandle[Any, Any]) -> str | None:
    try:
        progress = await handle.query("progress", rpc_timeout=timedelta(seconds=2))
    except Exception:  # no worker has picked it up yet, or it just finished: try again next tick
        return None
    if not isinstance(progress, dict):
        return None
    done, total = int(progress.get("done") or 0), max(int(progress.get("total") or 0), 1)
    filled = min(_BAR_WIDTH, _BAR_WIDTH * done // total)
    bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
    return f"{handle.id} [{bar}] {done}/{total} {progress.get('step', '')}"


def _plain(result: Any) -> Any:
    if hasattr(result, "__dataclass_fields__"):
        return asdict(result)
    return result


def _failures(result: Any) -> list[str]:
    """A Reconcile report's failures: the run finished, but the command must say what went wrong."""
    plain = _plain(result)
    failed = plain.get("failed") if isinstance(plain, dict) else None
    return [str(item) for item in failed] if isinstance(failed, list) else []


def _innermost(error: BaseException) -> str:
    """The reason under the wrappers ("Workflow execution failed" → "Activity task failed" → Jira's 401)."""
    while isinstance(error, FailureError) and error.cause is not None:
        error = error.cause
    return str(error) or type(error).__name__


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    from db.embedded import resolve_database
    from db.pool import create_pool

    resolved = await asyncio.to_thread(resolve_database, settings)
    try:
        pool = await create_pool(resolved.dsn, settings.database)
        try:
            yield pool
        finally:
            await pool.close()
    finally:
        resolved.close()
