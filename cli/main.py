"""The `pr-agent` command line.

Each command module adds its own parsers, each bound to its handler (`set_defaults(handler=...)`);
this module only lists the modules, so nothing imports it back. Heavy imports (litellm, the
Temporal worker, uvicorn) stay inside the handlers that need them. Exit codes: see cli.common.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from cli import (
    ask_commands,
    bootstrap_commands,
    eval_command,
    index_commands,
    investigate_commands,
    pr_commands,
    review_command,
    rules_command,
    stack_commands,
)
from cli.common import EXIT_FAILED, EXIT_NOT_READY, EXIT_USAGE, StackNotReady
from core.settings import Settings, SettingsError

log = logging.getLogger("pr_agent.cli")

Handler = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]
COMMAND_MODULES = (
    stack_commands,
    review_command,
    ask_commands,
    pr_commands,
    eval_command,
    bootstrap_commands,
    index_commands,
    investigate_commands,
    rules_command,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pr-agent", description="PR Agent: AI pull-request reviews on Temporal.")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in COMMAND_MODULES:
        module.add_parsers(sub)
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
        sys.exit(EXIT_USAGE)
    from core.logs import configure_logging

    configure_logging(settings)
    code = asyncio.run(dispatch(args, settings))
    # Temporal's core can crash at interpreter exit after a worker ran (sdk-python#300): the work is
    # done and flushed, so leave without running finalizers.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run the parsed command against the running stack (when one is up and `dev` is not the command)."""
    from cli.stack_state import with_running_stack

    if getattr(args, "joins_running_stack", True):
        settings = with_running_stack(settings)
    handler: Handler = args.handler
    try:
        return await handler(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `pr-agent search ... | head`: the reader has all it wanted
        return EXIT_FAILED
    except StackNotReady as error:
        sys.stderr.write(f"pr-agent: {error}\n")
        return EXIT_NOT_READY
    except Exception as error:  # the CLI's last line of defence: one clear line, details in the log
        from cli.temporal_dev import StackError

        if isinstance(error, StackError | SettingsError | ValueError):
            sys.stderr.write(f"pr-agent: {error}\n")
            return EXIT_USAGE
        log.exception("pr-agent %s failed", args.command)
        return EXIT_FAILED
