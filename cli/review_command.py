"""`pr-agent review --repo PATH --base REF --head REF`: review a local branch, offline, through ReviewPR."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from cli.common import EXIT_FAILED, EXIT_OK, temporal_client
from core.settings import Settings


def add_parsers(sub: Any) -> None:
    """Add `review`, bound to its handler, to the `pr-agent` parser."""
    review = sub.add_parser("review", help="review a local branch through the ReviewPR workflow and print it")
    review.add_argument("--repo", required=True, type=Path, help="path of a local git repository")
    review.add_argument("--base", required=True, help="the branch or commit the change is against")
    review.add_argument("--head", required=True, help="the branch or commit under review")
    review.add_argument("--out", type=Path, help="also write the review (markdown) to this file")
    review.add_argument(
        "--use-running-stack",
        action="store_true",
        help="go through the running stack (or TEMPORAL_ADDRESS), whose workers serve reviews, not an in-process one",
    )
    review.set_defaults(handler=review_branch)


async def review_branch(args: argparse.Namespace, settings: Settings) -> int:
    from cli.local_review import review_local

    if not (args.repo / ".git").exists() and not (args.repo / "HEAD").exists():
        raise ValueError(f"{args.repo} is not a git repository")
    if args.use_running_stack:
        result = await review_local(await temporal_client(settings), settings, args.repo, args.base, args.head)
    else:
        result = await _review_in_process(settings, args)
    sys.stdout.write(result.rendered_text + "\n")
    if args.out:
        args.out.write_text(result.rendered_text + "\n")
    return EXIT_OK if result.status in ("posted", "skipped") else EXIT_FAILED


async def _review_in_process(settings: Settings, args: argparse.Namespace) -> Any:
    """A private Temporal dev server (in memory), the database, and a reviews worker, for one review."""
    from cli.local_review import review_local, reviews_in_process
    from db.embedded import resolve_database

    database = await asyncio.to_thread(resolve_database, settings)
    try:
        async with reviews_in_process(settings, database.dsn) as (client, _pool):
            return await review_local(client, settings, args.repo, args.base, args.head)
    finally:
        database.close()
