"""`pr-agent dev`: the whole product on one machine, supervised, stopped cleanly by Ctrl-C or SIGTERM.

Start order: Temporal dev server → database (embedded unless DATABASE_URL) → migrations →
the reconcile schedule → API + every worker → the state file that tells other commands where the
stack is (cli.stack_state). Stop order is the reverse, so no worker loses its server mid-task.
Everything lives in the data home (`settings.paths.data_dir`), whatever the current directory.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

import uvicorn

from api.app import create_app
from cli.schedules import apply_schedules
from cli.stack_state import StackState, remove_state, running_stack, write_state
from cli.temporal_dev import StackError, TemporalDevServer, ensure_port_free
from contracts.common import QUEUE_KINDS
from core.settings import Settings
from core.telemetry import tracing_interceptors
from core.temporal.client import connect
from db.embedded import resolve_database
from db.migrate import apply_migrations
from db.pool import create_pool
from workers.base import WorkerDeps
from workers.run import run_workers

log = logging.getLogger(__name__)

DemoHook = Callable[[Settings, StackState], Coroutine[Any, Any, None]]


def dev_settings(settings: Settings, temporal_address: str) -> Settings:
    """The settings the stack's own API and workers use: pointed at the dev server it started."""
    temporal = settings.temporal.model_copy(update={"address": temporal_address})
    return settings.model_copy(update={"temporal": temporal})


async def run_dev_stack(settings: Settings, *, ui_port: int = 8233, demo: DemoHook | None = None) -> None:
    data_dir = settings.paths.data_home
    running = running_stack(data_dir)
    if running is not None:
        raise StackError(f"a PR Agent stack is already running for {data_dir} (pid {running.pid}): stop it first")
    ensure_port_free(settings.admin.api_host, settings.admin.api_port, "API")
    port = int(settings.temporal.address.rpartition(":")[2])
    server = TemporalDevServer(data_dir / "temporal", port, ui_port, settings.temporal.namespace)
    stop = asyncio.Event()
    _install_signal_handlers(stop)
    database = None
    try:
        await server.start()
        settings = dev_settings(settings, server.address)
        database = await asyncio.to_thread(resolve_database, settings)
        applied = await apply_migrations(database.dsn)
        log.info("migrations applied: %s", ", ".join(applied) or "none pending")
        await _serve(settings, database.dsn, stop, server, demo)
    finally:
        remove_state(data_dir, os.getpid())
        server.stop()
        if database is not None:
            database.close()
        log.info("dev stack stopped")


async def _serve(
    settings: Settings, dsn: str, stop: asyncio.Event, server: TemporalDevServer, demo: DemoHook | None
) -> None:
    pool = await create_pool(dsn, settings.database)
    client = await connect(settings.temporal, tracing_interceptors())
    schedule = await apply_schedules(settings, client)
    log.info(
        "schedule %s applied (next run %s)", schedule.schedule_id, schedule.next_runs[0] if schedule.next_runs else "-"
    )
    api = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, dsn=dsn),
            host=settings.admin.api_host,
            port=settings.admin.api_port,
            log_level="warning",
            lifespan="on",
        )
    )
    api_task = asyncio.create_task(api.serve())
    workers_task = asyncio.create_task(run_workers(client, WorkerDeps(settings, pool), QUEUE_KINDS, stop))
    state = stack_state(settings, server, dsn)
    write_state(state)
    _announce(state, bool(settings.admin.api_token))
    demo_task = asyncio.create_task(_run_demo(demo, settings, state)) if demo else None
    try:
        await _wait_for_stop(stop, api_task, workers_task)
    finally:
        stop.set()
        api.should_exit = True
        if demo_task:
            demo_task.cancel()
        await asyncio.gather(api_task, workers_task, return_exceptions=True)
        await pool.close()


async def _run_demo(demo: DemoHook, settings: Settings, state: StackState) -> None:
    try:
        await demo(settings, state)
    except Exception:  # the demo is a show on top of the stack: its failure must not stop the stack
        log.exception("the demo failed; the stack keeps running")


async def _wait_for_stop(stop: asyncio.Event, *tasks: asyncio.Task) -> None:
    waiter = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
    waiter.cancel()
    for task in done:
        if task is not waiter and task.exception():
            raise StackError(f"a stack component failed: {task.exception()!r}")


def stack_state(settings: Settings, server: TemporalDevServer, dsn: str) -> StackState:
    return StackState(
        pid=os.getpid(),
        data_dir=settings.paths.data_dir,
        temporal_address=server.address,
        temporal_namespace=server.namespace,
        temporal_ui_url=f"http://127.0.0.1:{server.ui_port}",
        database_url=dsn,
        api_url=f"http://{settings.admin.api_host}:{settings.admin.api_port}",
        started_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _announce(state: StackState, admin_token_set: bool) -> None:
    api = state.api_url
    dashboard = "sign in with ADMIN_API_TOKEN" if admin_token_set else "disabled: set ADMIN_API_TOKEN"
    log.info("PR Agent dev stack is up (Ctrl-C stops everything)")
    log.info("  API          %s  (readiness: %s/readyz, docs: %s)", api, api, state.api_docs_url)
    log.info("  Dashboard    %s/admin  (%s)", api, dashboard)
    log.info("  Temporal UI  %s   gRPC %s", state.temporal_ui_url, state.temporal_address)
    log.info("  Database     %s", _redact(state.database_url))
    log.info("  Data home    %s  (other commands find this stack there, from any directory)", state.data_dir)


def _redact(dsn: str) -> str:
    head, sep, tail = dsn.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return dsn
    scheme_user = head.rsplit(":", 1)[0]
    return f"{scheme_user}:***@{tail}"


def _install_signal_handlers(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
