"""`pr-agent review`: review a local branch (`--repo PATH --base REF --head REF`, offline) or any GitHub
pull request (`--pr-url URL [--dry-run]`) through ReviewPR, and print the review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.common import EXIT_FAILED, EXIT_OK
from cli.reviews_worker import on_reviews_worker
from core.settings import Settings


def add_parsers(sub: Any) -> None:
    """Add `review`, bound to its handler, to the `pr-agent` parser."""
    review = sub.add_parser(
        "review", help="review a local branch, or a pull request by its URL, through ReviewPR and print it"
    )
    review.add_argument("--repo", type=Path, help="path of a local git repository")
    review.add_argument("--base", help="the branch or commit the change is against")
    review.add_argument("--head", help="the branch or commit under review")
    review.add_argument("--out", type=Path, help="also write the review (markdown) to this file")
    review.add_argument(
        "--use-running-stack",
        action="store_true",
        help="go through the running stack (or TEMPORAL_ADDRESS), whose workers serve reviews, not an in-process one",
    )
    from cli.pr_commands import add_pr_url_arguments

    add_pr_url_arguments(review, required=False, stack_option=False)
    review.set_defaults(handler=review_command)


async def review_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.pr_url:
        from cli.pr_commands import run_pr_command

        if args.repo or args.base or args.head:
            raise ValueError("pass either --pr-url or --repo/--base/--head, not both")
        return await run_pr_command("review", args, settings)
    if args.dry_run:
        raise ValueError("--dry-run is for --pr-url (a local review posts nothing anyway)")
    if not (args.repo and args.base and args.head):
        raise ValueError("pass --pr-url URL, or --repo PATH --base REF --head REF")
    return await review_branch(args, settings)


async def review_branch(args: argparse.Namespace, settings: Settings) -> int:
    from cli.local_review import review_local

    if not (args.repo / ".git").exists() and not (args.repo / "HEAD").exists():
        raise ValueError(f"{args.repo} is not a git repository")
    result = await on_reviews_worker(
        settings,
        args.use_running_stack,
        lambda client: review_local(client, settings, args.repo, args.base, args.head),
    )
    sys.stdout.write(result.rendered_text + "\n")
    if args.out:
        args.out.write_text(result.rendered_text + "\n")
    return EXIT_OK if result.status in ("posted", "skipped") else EXIT_FAILED
