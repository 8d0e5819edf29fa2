"""`pr-agent review|improve|describe|ask --pr-url URL [--question Q] [--dry-run]`: the pull-request
workflows (ReviewPR, ImprovePR, DescribePR, AskPR) run on any GitHub or GitHub Enterprise pull
request, with a token or the App's installation, and their result printed.

The URL's host picks the API (api.github.com, or https://HOST/api/v3 for an Enterprise server,
unless GITHUB_API_URL already points at that host). `--dry-run` posts nothing: the workflows
render what they would post and this command prints it. Nobody commented, so no permission is
asked: the operator running the command is trusted.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from cli.common import EXIT_FAILED, EXIT_OK
from cli.reviews_worker import on_reviews_worker
from core.settings import Settings

if TYPE_CHECKING:
    from temporalio.client import Client

    from contracts.starts import WorkflowStart

DONE = ("posted", "skipped", "unchanged")


def add_parsers(sub: Any) -> None:
    """Add `improve` and `describe`, bound to their handlers, to the `pr-agent` parser (`ask --pr-url` is
    registered with the Knowledge Assistant's `ask` in cli/ask_commands.py and handled by `ask_command`)."""
    for name, what in (
        ("improve", "committable code suggestions for a pull request, by its URL (ImprovePR)"),
        ("describe", "write a pull request's description into its body, by its URL (DescribePR)"),
    ):
        parser = sub.add_parser(name, help=what)
        add_pr_url_arguments(parser, required=True)
        parser.set_defaults(handler=_handler(name))


def add_pr_url_arguments(parser: argparse.ArgumentParser, *, required: bool, stack_option: bool = True) -> None:
    parser.add_argument("--pr-url", required=required, help="the pull request, e.g. https://github.com/o/r/pull/7")
    parser.add_argument("--dry-run", action="store_true", help="print what would be posted; post nothing")
    if stack_option:
        parser.add_argument(
            "--use-running-stack",
            action="store_true",
            help="run on the running stack's workers (same GitHub only) instead of an in-process one",
        )


def _handler(command: str) -> Any:
    async def handle(args: argparse.Namespace, settings: Settings) -> int:
        return await run_pr_command(command, args, settings)

    return handle


async def ask_command(args: argparse.Namespace, settings: Settings) -> int:
    question = (args.question_option or args.question or "").strip()
    if not args.pr_url:
        raise ValueError("pass --pr-url URL to ask about a pull request")
    if not question:
        raise ValueError("pass the question: pr-agent ask --pr-url URL --question '...'")
    args.question = question
    return await run_pr_command("ask", args, settings)


async def run_pr_command(command: str, args: argparse.Namespace, settings: Settings) -> int:
    """Run `command`'s workflow on the pull request at `args.pr_url`, print its result."""
    from domain.commands.pr_url import parse_pr_url

    target = parse_pr_url(args.pr_url)
    settings = for_pull_request(settings, target, args.use_running_stack)
    from contracts.starts import operator_command_start

    plan = operator_command_start(
        command,
        repository=target.repository,
        number=target.number,
        trigger="cli",
        dry_run=args.dry_run,
        question=getattr(args, "question", "") or "",
    )
    result = await on_reviews_worker(settings, args.use_running_stack, lambda client: _result(client, settings, plan))
    sys.stdout.write(result.rendered_text.rstrip() + "\n")
    status = result.status
    note = "dry run: nothing was posted" if args.dry_run else f"{plan.workflow} {status}"
    reason = getattr(result, "reason", None) or getattr(result, "skipped_reason", None)
    sys.stderr.write(f"pr-agent: {note}{f' ({reason})' if reason else ''}\n")
    return EXIT_OK if status in DONE else EXIT_FAILED


def for_pull_request(settings: Settings, target: Any, use_running_stack: bool) -> Settings:
    """`settings` speaking to the API that serves the pull request's host."""
    from domain.commands.pr_url import api_base_for

    api = api_base_for(target, settings.github.api_url)
    if api == settings.github.api_url.rstrip("/"):
        return settings
    if use_running_stack:
        raise ValueError(
            f"the running stack's workers talk to {settings.github.api_url}, not {api}: run without --use-running-stack"
        )
    return settings.model_copy(update={"github": settings.github.model_copy(update={"api_url": api})})


async def _result(client: Client, settings: Settings, plan: WorkflowStart) -> Any:
    from contracts.commands import CommandResult
    from contracts.common import REVIEW_PR
    from contracts.review import ReviewResult
    from core.temporal.client import start_workflow

    handle = await start_workflow(client, settings.temporal, plan)
    result_type = ReviewResult if plan.workflow == REVIEW_PR else CommandResult
    return await client.get_workflow_handle(handle.id, run_id=handle.result_run_id, result_type=result_type).result()
