"""The commands that run the product: `dev` (everything on this machine), `migrate`, `worker`, `api`,
and `health` (a HealthCheck workflow on each queue's workers)."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import uuid
from datetime import timedelta
from typing import Any

from cli.common import EXIT_OK, existing_database, temporal_client
from core.settings import Settings


def add_parsers(sub: Any) -> None:
    """Add this module's commands, each bound to its handler, to the `pr-agent` parser."""
    dev_parser = sub.add_parser("dev", help="run the whole stack here (Temporal dev server, database, API, workers)")
    dev_parser.add_argument(
        "--demo", action="store_true", help="once up, index, investigate and review a sample repository and show it"
    )
    dev_parser.add_argument("--ui-port", type=int, default=8233)
    # The stack itself: it must not be pointed at a running stack's addresses (see cli.stack_state).
    dev_parser.set_defaults(handler=dev, joins_running_stack=False)
    migrate_parser = sub.add_parser("migrate", help="apply pending database migrations")
    migrate_parser.set_defaults(handler=migrate)
    worker_parser = sub.add_parser("worker", help="run the workers of one task queue (or all)")
    worker_parser.add_argument("--queue", required=True, help="reviews | indexing | investigations | sync | all")
    worker_parser.set_defaults(handler=worker)
    api_parser = sub.add_parser("api", help="run the HTTP API (webhooks, admin)")
    api_parser.set_defaults(handler=api)
    health_parser = sub.add_parser("health", help="run the HealthCheck workflow on a queue's workers")
    health_parser.add_argument("--queue", default="sync")
    health_parser.set_defaults(handler=health)


async def dev(args: argparse.Namespace, settings: Settings) -> int:
    from cli.devstack import run_dev_stack
    from core.telemetry import configure_telemetry

    telemetry = configure_telemetry(settings, "dev")
    try:
        if args.demo:
            from cli.demo import run_demo
            from cli.demo_jira import demo_jira

            async with demo_jira(settings) as demo_settings:
                await run_dev_stack(demo_settings, ui_port=args.ui_port, demo=run_demo)
        else:
            await run_dev_stack(settings, ui_port=args.ui_port)
    finally:
        telemetry.shutdown()  # flush spans: the CLI leaves through os._exit
    return EXIT_OK


async def migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Apply the migrations; the one command besides `dev` that may create the embedded database."""
    from db.embedded import resolve_database
    from db.migrate import apply_migrations

    database = await asyncio.to_thread(resolve_database, settings)
    try:
        applied = await apply_migrations(database.dsn)
    finally:
        database.close()
    sys.stdout.write(("applied: " + ", ".join(applied) if applied else "database is up to date") + "\n")
    return EXIT_OK


async def worker(args: argparse.Namespace, settings: Settings) -> int:
    from cli.runtime import open_runtime
    from core.telemetry import configure_telemetry
    from workers.base import WorkerDeps
    from workers.run import parse_queues, run_workers

    kinds = parse_queues(args.queue)
    telemetry = configure_telemetry(settings, f"worker:{args.queue}", serve_metrics=True)
    try:
        async with open_runtime(settings) as runtime:
            await run_workers(runtime.client, WorkerDeps(settings, runtime.pool), kinds, runtime.stop)
    finally:
        telemetry.shutdown()
    return EXIT_OK


async def api(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from core.telemetry import configure_telemetry

    telemetry = configure_telemetry(settings, "api", serve_metrics=True)
    try:
        async with existing_database(settings) as dsn:
            server = uvicorn.Server(
                uvicorn.Config(
                    create_app(settings, dsn=dsn),
                    host=settings.admin.api_host,
                    port=settings.admin.api_port,
                    log_level="warning",
                )
            )
            # uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown, which would kill the process
            # before the database closes and spans flush: let that re-raise only ask the server to stop.
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: setattr(server, "should_exit", True))
            await server.serve()
    finally:
        telemetry.shutdown()
    return EXIT_OK


async def health(args: argparse.Namespace, settings: Settings) -> int:
    from contracts.common import HEALTH_CHECK, HealthCheckInput, HealthCheckResult
    from core.temporal.client import task_queue
    from workers.run import parse_queues

    client = await temporal_client(settings)
    for kind in parse_queues(args.queue):
        result = await client.execute_workflow(
            HEALTH_CHECK,
            HealthCheckInput(),
            id=f"health:{kind}:{uuid.uuid4().hex[:8]}",
            task_queue=task_queue(settings.temporal, kind),
            result_type=HealthCheckResult,
            execution_timeout=timedelta(seconds=30),
        )
        sys.stdout.write(
            f"{kind}: ok (PostgreSQL {result.database_version}, "
            f"{result.migrations_applied} migrations, worker {result.worker_identity})\n"
        )
    return EXIT_OK
