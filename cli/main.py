"""The `pr-agent` command line. Heavy imports stay inside the commands that need them."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from core.settings import Settings, SettingsError

log = logging.getLogger("pr_agent.cli")

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pr-agent", description="PR Agent: AI pull-request reviews on Temporal.")
    sub = parser.add_subparsers(dest="command", required=True)
    dev = sub.add_parser("dev", help="run the whole stack here (Temporal dev server, database, API, workers)")
    dev.add_argument("--demo", action="store_true", help="once up, review a sample repository's change and show it")
    dev.add_argument("--ui-port", type=int, default=8233)
    sub.add_parser("migrate", help="apply pending database migrations")
    worker = sub.add_parser("worker", help="run the workers of one task queue (or all)")
    worker.add_argument("--queue", required=True, help="reviews | indexing | investigations | sync | all")
    sub.add_parser("api", help="run the HTTP API (webhooks, admin)")
    health = sub.add_parser("health", help="run the HealthCheck workflow on a queue's workers")
    health.add_argument("--queue", default="sync")
    from cli import commands

    commands.add_subcommands(sub)
    return parser


def main(argv: list[str] | None = None) -> None:
    # The embedded PostgreSQL's helper warns about XDG_RUNTIME_DIR on servers without a login session.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    args = build_parser().parse_args(argv)
    try:
        from core.config_sources import load_settings

        settings = load_settings()
    except SettingsError as error:
        sys.stderr.write(f"pr-agent: {error}\n")
        sys.exit(2)
    from core.logs import configure_logging

    configure_logging(settings)
    code = asyncio.run(_dispatch(args, settings))
    # Temporal's core can crash at interpreter exit after a worker ran (sdk-python#300): the work is
    # done and flushed, so leave without running finalizers.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from cli import commands

    handler: Command = commands.HANDLERS[args.command]
    try:
        return await handler(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the CLI's last line of defence: one clear line, details in the log
        from cli.temporal_dev import StackError

        if isinstance(error, StackError | SettingsError | ValueError):
            sys.stderr.write(f"pr-agent: {error}\n")
            return 2
        log.exception("pr-agent %s failed", args.command)
        return 1
