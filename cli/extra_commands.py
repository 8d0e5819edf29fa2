"""Parsers and handlers of the commands beyond the core ones (replay, review, schedules, bootstrap)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.commands import handler
from core.settings import Settings


def add_parsers(sub: Any) -> None:
    from cli import ask_command, bootstrap_commands, index_commands, investigate_commands, review_command

    review_command.add_parser(sub)
    ask_command.add_parser(sub)
    bootstrap_commands.add_parsers(sub)
    index_commands.add_parsers(sub)
    investigate_commands.add_parsers(sub)
    replay = sub.add_parser("replay-pending", help="start every webhook delivery that was accepted but never started")
    replay.add_argument("--grace-seconds", type=float, default=60.0, help="leave younger 'received' rows alone")


@handler("replay-pending")
async def replay_pending(args: argparse.Namespace, settings: Settings) -> int:
    from api.intake import replay_open_deliveries
    from api.resources import TemporalGateway
    from cli.runtime import open_runtime

    async with open_runtime(settings) as runtime:
        gateway = TemporalGateway(settings, runtime.client)
        report = await replay_open_deliveries(runtime.pool, gateway, settings, args.grace_seconds)
    sys.stdout.write(json.dumps(report.__dict__, indent=2) + "\n")
    return 0 if not report.still_pending and not report.failed else 1
