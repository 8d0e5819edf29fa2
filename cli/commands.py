"""Handlers of the core commands, and the registry the other command modules add to."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from core.settings import Settings

log = logging.getLogger("pr_agent.cli")

Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]
HANDLERS: dict[str, Handler] = {}


def handler(name: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[name] = func
        return func

    return register


def add_subcommands(sub: Any) -> None:
    """Commands defined outside main.py register their parsers here (imported for their side effect)."""
    from cli import extra_commands

    extra_commands.add_parsers(sub)


@handler("dev")
async def dev(args: argparse.Namespace, settings: Settings) -> int:
    from cli.devstack import run_dev_stack
    from core.telemetry import configure_telemetry

    demo = None
    if args.demo:
        from cli.demo import run_demo

        demo = run_demo
    telemetry = configure_telemetry(settings, "dev")
    try:
        await run_dev_stack(settings, ui_port=args.ui_port, demo=demo)
    finally:
        telemetry.shutdown()  # flush spans: the CLI leaves through os._exit
    return 0


@handler("migrate")
async def migrate(args: argparse.Namespace, settings: Settings) -> int:
    from db.embedded import resolve_database
    from db.migrate import apply_migrations

    database = await asyncio.to_thread(resolve_database, settings)
    try:
        applied = await apply_migrations(database.dsn)
    finally:
        database.close()
    sys.stdout.write(("applied: " + ", ".join(applied) if applied else "database is up to date") + "\n")
    return 0


@handler("worker")
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
    return 0


@handler("api")
async def api(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app
    from core.telemetry import configure_telemetry
    from db.embedded import resolve_database

    telemetry = configure_telemetry(settings, "api", serve_metrics=True)
    database = await asyncio.to_thread(resolve_database, settings)
    try:
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, dsn=database.dsn),
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
        database.close()
        telemetry.shutdown()
    return 0


@handler("health")
async def health(args: argparse.Namespace, settings: Settings) -> int:
    from contracts.common import HEALTH_CHECK, HealthCheckInput, HealthCheckResult
    from core.temporal.client import connect, task_queue
    from workers.run import parse_queues

    client = await connect(settings.temporal)
    for kind in parse_queues(args.queue):
        result = await client.execute_workflow(
            HEALTH_CHECK,
            HealthCheckInput(),
            id=f"health:{kind}:{uuid.uuid4().hex[:8]}",
            task_queue=task_queue(settings.temporal, kind),
            result_type=HealthCheckResult,
            execution_timeout=_seconds(30),
        )
        sys.stdout.write(
            f"{kind}: ok (PostgreSQL {result.database_version}, "
            f"{result.migrations_applied} migrations, worker {result.worker_identity})\n"
        )
    return 0


def _seconds(value: float) -> Any:
    from datetime import timedelta

    return timedelta(seconds=value)
