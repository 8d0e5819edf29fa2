"""What the command modules share: exit codes, the stack's database and Temporal, starting workflows
and following them to their end, and the one progress display.

Exit codes of every command: 0 done; 1 the work ran and failed (a workflow failed, nothing found);
2 bad arguments or configuration; 3 what the command needs is not there (no running stack, no
database or an unmigrated one, Temporal unreachable) — the one-line message names the command that
fixes it.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TextIO

from core.settings import Settings

if TYPE_CHECKING:  # imported where used: they are heavy, and `pr-agent --help` needs neither
    import asyncpg
    from temporalio.client import Client, Interceptor, WorkflowHandle

    from contracts.starts import WorkflowStart

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_READY = 3
START_STACK = "start it with `scripts/dev` or `pr-agent dev`"
POLL_SECONDS = 0.5


class StackNotReady(RuntimeError):
    """What the command needs (a running stack, a migrated database) is not there; the message says
    which command fixes it. The command exits with EXIT_NOT_READY."""


# --- the database and Temporal of the stack ----------------------------------------------------------


@asynccontextmanager
async def existing_database(settings: Settings) -> AsyncIterator[str]:
    """The URL of the stack's database: DATABASE_URL (the running stack's when unset), else the data
    home's embedded server, started for this command. Never creates a database."""
    from db.embedded import NoEmbeddedDatabase, resolve_database

    try:
        handle = await asyncio.to_thread(resolve_database, settings, create=False)
    except NoEmbeddedDatabase:
        raise StackNotReady(
            f"no PR Agent stack is running for {settings.paths.data_dir} and it holds no database; {START_STACK}"
        ) from None
    try:
        yield handle.dsn
    finally:
        handle.close()


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    """A connection pool on the stack's database (see `existing_database`), which must be migrated."""
    from db.pool import create_pool

    async with existing_database(settings) as dsn:
        await _require_migrated(dsn)
        pool = await create_pool(dsn, settings.database)
        try:
            yield pool
        finally:
            await pool.close()


async def _require_migrated(dsn: str) -> None:
    import asyncpg

    from db.status import pending_migrations

    try:
        conn = await asyncpg.connect(dsn, timeout=10)
    except (OSError, asyncpg.PostgresError) as error:
        raise StackNotReady(f"cannot reach the database ({type(error).__name__}: {error})") from None
    try:
        pending = await pending_migrations(conn)
    finally:
        await conn.close()
    if pending:
        raise StackNotReady(f"the database is not migrated ({', '.join(pending)} pending); run `pr-agent migrate`")


async def temporal_client(settings: Settings, interceptors: Sequence[Interceptor] = ()) -> Client:
    """A client of the stack's Temporal; unreachable is StackNotReady, not a traceback."""
    from cli.stack_state import running_stack
    from core.temporal.client import connect

    try:
        return await connect(settings.temporal, interceptors)
    except RuntimeError as error:
        if "Failed client connect" not in str(error):
            raise
        where = f"cannot reach Temporal at {settings.temporal.address}"
        if running_stack(settings.paths.data_home) is not None:
            raise StackNotReady(f"{where} although a PR Agent stack is running: {error}") from None
        raise StackNotReady(
            f"{where}: no PR Agent stack is running for {settings.paths.data_dir}; {START_STACK}"
            " (or set TEMPORAL_ADDRESS)"
        ) from None


# --- starting workflows and following them ------------------------------------------------------------


@dataclass
class Outcome:
    workflow_id: str
    ok: bool
    result: Any = None
    reason: str | None = None


async def run_plans(settings: Settings, plans: list[WorkflowStart], no_wait: bool, show_result: bool = False) -> int:
    """Start the plans; then print their ids (`--no-wait`), or follow them and report how they ended."""
    from core.temporal.client import start_workflow

    client = await temporal_client(settings)
    handles = [await start_workflow(client, settings.temporal, plan) for plan in plans]
    if no_wait:
        sys.stdout.write("".join(f"{h.id}\n" for h in handles))
        return EXIT_OK
    outcomes = await wait_for(handles)
    for outcome in outcomes:
        if not outcome.ok:
            sys.stderr.write(f"pr-agent: {outcome.workflow_id} failed: {outcome.reason}\n")
            continue
        if show_result or outcome.result is not None:
            sys.stdout.write(json.dumps(plain(outcome.result), indent=2, default=str) + "\n")
        for failure in _failures(outcome.result):
            sys.stderr.write(f"pr-agent: {outcome.workflow_id}: {failure}\n")
    return EXIT_OK if all(o.ok and not _failures(o.result) for o in outcomes) else EXIT_FAILED


async def wait_for(
    handles: Sequence[WorkflowHandle[Any, Any]], out: TextIO | None = None, *, live: bool | None = None
) -> list[Outcome]:
    """Follow each workflow to its end, showing its `progress` query while it runs (see ProgressDisplay)."""
    with ProgressDisplay(out or sys.stdout, live=live) as display:
        return list(await asyncio.gather(*(_follow(h, display) for h in handles)))


async def _follow(handle: WorkflowHandle[Any, Any], display: ProgressDisplay) -> Outcome:
    from temporalio.client import WorkflowFailureError

    result_task = asyncio.create_task(handle.result())
    while not result_task.done():
        progress = await _progress(handle)
        if progress is not None:
            display.show(handle.id, *_counts(progress))
        await asyncio.wait({result_task}, timeout=POLL_SECONDS)
    try:
        return Outcome(handle.id, True, result_task.result())
    except WorkflowFailureError as error:
        return Outcome(handle.id, False, reason=innermost(error.cause))


async def _progress(handle: WorkflowHandle[Any, Any]) -> dict[str, Any] | None:
    try:
        progress = await handle.query("progress", rpc_timeout=timedelta(seconds=2))
    except Exception:  # no worker has picked it up yet, or it just finished: try again next tick
        return None
    return progress if isinstance(progress, dict) else None


def _counts(progress: dict[str, Any]) -> tuple[int, int, str]:
    """(done, total, step) of a `progress` answer: most workflows say done/total/step, an investigation
    says steps_done/steps_total and its phase and current step."""
    done = progress.get("done", progress.get("steps_done"))
    total = progress.get("total", progress.get("steps_total"))
    step = progress.get("step") or " ".join(str(progress.get(k) or "") for k in ("phase", "current_step"))
    return int(done or 0), int(total or 0), str(step).strip()


def plain(result: Any) -> Any:
    """A workflow result as JSON-ready data (dataclass results come back as dataclasses)."""
    if hasattr(result, "__dataclass_fields__"):
        return asdict(result)
    return result


def _failures(result: Any) -> list[str]:
    """A Reconcile report's failures: the run finished, but the command must say what went wrong."""
    data = plain(result)
    failed = data.get("failed") if isinstance(data, dict) else None
    return [str(item) for item in failed] if isinstance(failed, list) else []


def innermost(error: BaseException) -> str:
    """The reason under the wrappers ("Workflow execution failed" → "Activity task failed" → Jira's 401)."""
    from temporalio.exceptions import FailureError

    while isinstance(error, FailureError) and error.cause is not None:
        error = error.cause
    return str(error) or type(error).__name__


# --- the progress display --------------------------------------------------------------------------


class ProgressDisplay:
    """The one progress renderer: a rich bar per workflow on a terminal; elsewhere (a pipe, a log, a
    test) a plain line whenever a workflow's progress changes, so the output stays readable as text."""

    _WIDTH = 20

    def __init__(self, out: TextIO, *, live: bool | None = None) -> None:
        """`live`: bars (True) or lines (False); by default bars exactly when `out` is a terminal."""
        self._out = out
        self._live = out.isatty() if live is None else live
        self._bars: Any = None  # rich.progress.Progress, on a terminal only
        self._tasks: dict[str, Any] = {}
        self._shown: dict[str, str] = {}

    def __enter__(self) -> ProgressDisplay:
        if self._live:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bars = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[step]}"),
                TimeElapsedColumn(),
                console=Console(file=self._out),
            )
            self._bars.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bars is not None:
            self._bars.stop()

    def show(self, key: str, done: int, total: int, step: str) -> None:
        """Show `key` at `done` of `total` (0: not known yet) and what it is doing now."""
        if self._bars is not None:
            task = self._tasks.get(key)
            if task is None:
                self._tasks[key] = self._bars.add_task(key, total=total or None, completed=done, step=step)
            else:
                self._bars.update(task, total=total or None, completed=done, step=step)
            return
        line = self.line(key, done, total, step)
        if self._shown.get(key) != line:
            self._out.write(line + "\n")
            self._out.flush()
            self._shown[key] = line

    def drop(self, key: str) -> None:
        """Stop showing `key` (a finished child workflow)."""
        task = self._tasks.pop(key, None)
        if task is not None and self._bars is not None:
            self._bars.remove_task(task)
        self._shown.pop(key, None)

    @classmethod
    def line(cls, key: str, done: int, total: int, step: str) -> str:
        filled = min(cls._WIDTH, cls._WIDTH * done // max(total, 1))
        bar = "#" * filled + "-" * (cls._WIDTH - filled)
        return f"{key} [{bar}] {done}/{total} {step}".rstrip()
