"""Bootstrap and operations commands: `schedules apply`, `sync-jira`, `sync-npm`, `status`, `reconcile`,
`replay-pending`.

Each command starts workflows (never does the work itself) and, unless `--no-wait`, follows them
with a progress bar from their `progress` query until they finish; a failed workflow makes the
command exit 1 with the workflow's reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.common import EXIT_FAILED, EXIT_OK, database, run_plans, temporal_client
from contracts.reconcile import ReconcileInput
from contracts.starts import reconcile_start, sync_jira_project_start, sync_packages_start
from core.settings import Settings

MANUAL_RECONCILE_ID = "reconcile:manual"


def add_parsers(sub: Any) -> None:
    """Add this module's commands, each bound to its handler, to the `pr-agent` parser."""
    schedules_parser = sub.add_parser("schedules", help="manage the Temporal Schedules (reconcile-weekly)")
    actions = schedules_parser.add_subparsers(dest="schedules_action", required=True)
    apply = actions.add_parser("apply", help="create or update the schedules; a paused schedule stays paused")
    apply.add_argument("--id", default=None, help="schedule id (default: reconcile-weekly)")
    schedules_parser.set_defaults(handler=schedules)
    jira = sub.add_parser("sync-jira", help="sync Jira projects' tickets (incremental unless --full)")
    jira.add_argument("--projects", help="comma-separated project keys (default: every project seen so far)")
    jira.add_argument("--full", action="store_true", help="read every ticket, and flag deleted ones")
    jira.set_defaults(handler=sync_jira)
    npm = sub.add_parser("sync-npm", help="sync the organisation's internal npm packages from GitHub Packages")
    npm.add_argument("--org", help="GitHub organisation (default: GITHUB_ORG)")
    npm.add_argument("--package", help="one package instead of all")
    npm.set_defaults(handler=sync_npm)
    status_parser = sub.add_parser("status", help="counts of what is stored (repositories, chunks, tickets, ...)")
    status_parser.add_argument("--json", action="store_true", help="print JSON")
    status_parser.set_defaults(handler=status)
    reconcile_parser = sub.add_parser("reconcile", help="run Reconcile now (what the weekly schedule runs)")
    parts = reconcile_parser.add_mutually_exclusive_group()
    parts.add_argument("--all", action="store_true", help="everything, including the inbox replay (default)")
    parts.add_argument("--repos", action="store_true", help="rediscover, re-index and re-investigate only")
    parts.add_argument("--jira", action="store_true", help="full Jira sync only")
    parts.add_argument("--npm", action="store_true", help="full package sync only")
    reconcile_parser.add_argument("--concurrency", type=int, default=4, help="child workflows at once")
    reconcile_parser.set_defaults(handler=reconcile)
    for command in (jira, npm, reconcile_parser):
        command.add_argument("--no-wait", action="store_true", help="print the workflow ids and return")
    replay = sub.add_parser("replay-pending", help="start every webhook delivery that was accepted but never started")
    replay.add_argument("--grace-seconds", type=float, default=60.0, help="leave younger 'received' rows alone")
    replay.set_defaults(handler=replay_pending)


async def schedules(args: argparse.Namespace, settings: Settings) -> int:
    from cli.schedules import RECONCILE_SCHEDULE_ID, apply_schedules

    applied = await apply_schedules(settings, await temporal_client(settings), args.id or RECONCILE_SCHEDULE_ID)
    verb = "created" if applied.created else "updated"
    state = "paused" if applied.paused else "active"
    sys.stdout.write(f"{applied.schedule_id}: {verb}, {state}, cron {applied.cron!r} in {applied.time_zone}\n")
    for moment in applied.next_runs[:3]:
        sys.stdout.write(f"  next: {moment.isoformat()}\n")
    return EXIT_OK


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
    return await run_plans(
        settings,
        [sync_jira_project_start(project_key=p, full=args.full, trigger="cli") for p in projects],
        args.no_wait,
    )


async def sync_npm(args: argparse.Namespace, settings: Settings) -> int:
    org = args.org or settings.github.org
    if not org:
        raise ValueError("set GITHUB_ORG or pass --org")
    return await run_plans(settings, [sync_packages_start(org=org, package=args.package, trigger="cli")], args.no_wait)


async def status(args: argparse.Namespace, settings: Settings) -> int:
    from db.status import StatusRepository

    async with database(settings) as pool:
        counts = await StatusRepository(pool).counts()
    if args.json:
        sys.stdout.write(json.dumps(counts, indent=2, default=str) + "\n")
        return EXIT_OK
    width = max(len(name) for name in counts)
    for name, value in counts.items():
        if isinstance(value, dict):  # deliveries by status
            value = " ".join(f"{k}={v}" for k, v in sorted(value.items())) or "none"
        sys.stdout.write(f"{name.replace('_', ' '):<{width}}  {value}\n")
    return EXIT_OK


async def reconcile(args: argparse.Namespace, settings: Settings) -> int:
    everything = not (args.repos or args.jira or args.npm)
    request = ReconcileInput(
        repositories=everything or args.repos,
        jira=everything or args.jira,
        packages=everything or args.npm,
        replay_deliveries=everything,
        feedback=everything,
        concurrency=max(1, args.concurrency),
        trigger="cli",
    )
    plan = reconcile_start(MANUAL_RECONCILE_ID, request)
    return await run_plans(settings, [plan], args.no_wait, show_result=True)


async def replay_pending(args: argparse.Namespace, settings: Settings) -> int:
    from cli.runtime import open_runtime
    from core.temporal.client import TemporalGateway
    from intake.webhooks import replay_open_deliveries

    async with open_runtime(settings) as runtime:
        gateway = TemporalGateway(settings, runtime.client)
        report = await replay_open_deliveries(runtime.pool, gateway, settings, args.grace_seconds)
    sys.stdout.write(json.dumps(report.__dict__, indent=2) + "\n")
    return EXIT_OK if not report.still_pending and not report.failed else EXIT_FAILED
