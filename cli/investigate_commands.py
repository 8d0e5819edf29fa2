"""`pr-agent analyze-repos`: start the InvestigateRepos fan-out, show its progress, print the report
and optionally export the `.arch.md` documents to a folder (or a results repository)."""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any, TextIO

from cli.common import EXIT_FAILED, EXIT_OK, ProgressDisplay, database, temporal_client
from core.settings import Settings

UI_HINT = (
    "watch: Temporal UI → Workflows → {id} → Queries → progress, or\n"
    "       temporal workflow query --workflow-id '{id}' --type progress"
)


def add_parsers(sub: Any) -> None:
    """Add `analyze-repos`, bound to its handler, to the `pr-agent` parser."""
    analyze = sub.add_parser("analyze-repos", help="investigate repositories' architecture (RepoSwarm-style)")
    which = analyze.add_mutually_exclusive_group(required=True)
    which.add_argument("--repo", action="append", metavar="OWNER/NAME", help="a registered repository (repeatable)")
    which.add_argument("--all", action="store_true", help="every registered, unarchived repository")
    analyze.add_argument("--concurrency", type=int, default=4, help="investigations running at once (default 4)")
    analyze.add_argument("--force", action="store_true", help="ask every step again, ignoring cached answers")
    analyze.add_argument("--no-wait", action="store_true", help="start and return; watch in the Temporal UI")
    analyze.add_argument("--export", metavar="DIR", help="write <owner>/<name>.arch.md files to DIR when done")
    analyze.add_argument("--export-commit", action="store_true", help="commit the export when DIR is a git work tree")
    analyze.add_argument("--poll-seconds", type=float, default=2.0, help=argparse.SUPPRESS)
    analyze.set_defaults(handler=analyze_repos)


async def analyze_repos(args: argparse.Namespace, settings: Settings) -> int:
    from contracts.investigation import InvestigateReposResult
    from contracts.starts import investigate_all_start
    from core.temporal.client import start_workflow

    if args.no_wait and args.export:
        raise ValueError("--export needs the run to finish: drop --no-wait")
    if args.concurrency < 1:
        raise ValueError("--concurrency must be at least 1")
    plan = investigate_all_start(list(args.repo or []), args.concurrency, args.force, "cli")
    client = await temporal_client(settings)
    handle = await start_workflow(client, settings.temporal, plan)
    sys.stderr.write(f"started {handle.id}\n" + UI_HINT.format(id=handle.id) + "\n")
    if args.no_wait:
        return EXIT_OK
    watcher = asyncio.create_task(watch_progress(client, handle.id, args.poll_seconds, sys.stderr))
    try:
        result = await client.get_workflow_handle(handle.id, result_type=InvestigateReposResult).result()
    finally:
        watcher.cancel()
    write_report(result, sys.stdout)
    unknown = sorted(set(args.repo or []) - {r.repository for r in result.reports})
    if unknown:
        sys.stderr.write(f"not registered or archived (run discover first): {', '.join(unknown)}\n")
    if args.export:
        written = await export_analyses(settings, [r.repository for r in result.reports], Path(args.export))
        sys.stdout.write(f"exported {len(written)} documents to {args.export}\n")
        if args.export_commit:
            sys.stdout.write(commit_export(Path(args.export), written) + "\n")
    return EXIT_FAILED if result.failed or unknown else EXIT_OK


async def watch_progress(client: Any, workflow_id: str, every: float, out: TextIO) -> None:
    """Show the fan-out's counts and each running investigation's step and spend until cancelled."""
    with ProgressDisplay(out) as display:
        running: set[str] = set()
        while True:
            running = await show_progress(client, workflow_id, display, running)
            await asyncio.sleep(every)


async def show_progress(client: Any, workflow_id: str, display: ProgressDisplay, shown: set[str]) -> set[str]:
    """One update of the display; returns the investigations now shown (finished ones are dropped)."""
    from temporalio.service import RPCError

    from contracts.investigation import FanoutProgress, InvestigationProgress

    try:
        fanout = await client.get_workflow_handle(workflow_id).query("progress", result_type=FanoutProgress)
    except RPCError:
        return shown  # not started on a worker yet
    display.show(workflow_id, fanout.done, fanout.total, f"done, {fanout.failed} failed")
    running = set(fanout.running_workflows)
    for child_id in shown - running:
        display.drop(child_id)
    for child_id in sorted(running):
        try:
            p = await client.get_workflow_handle(child_id).query("progress", result_type=InvestigationProgress)
        except RPCError:
            continue
        step = f" ({p.current_step})" if p.current_step else ""
        spend = f"{p.llm_calls} calls, {p.tokens_in + p.tokens_out} tokens, ${p.cost_usd:.4f}"
        display.show(child_id, p.steps_done, p.steps_total, f"{p.repository}: {p.phase}{step}, {spend}")
    return running


def write_report(result: Any, out: TextIO) -> None:
    """The per-repository report as a small table."""
    out.write(f"{'repository':<40} {'status':<18} {'calls':>5} {'tokens':>8} {'cost $':>8} {'secs':>6}\n")
    for r in result.reports:
        out.write(
            f"{r.repository:<40} {r.status:<18} {r.llm_calls:>5} {r.tokens_in + r.tokens_out:>8} "
            f"{r.cost_usd:>8.4f} {r.seconds:>6.1f}{'  ' + r.error if r.error else ''}\n"
        )
    out.write(f"{len(result.reports)} repositories in {result.seconds:.1f}s, {len(result.failed)} failed\n")


async def export_analyses(settings: Settings, repositories: list[str], directory: Path) -> list[Path]:
    """Write the newest document of each repository to `directory/<owner>/<name>.arch.md`."""
    from db.analysis import AnalysisRepository

    async with database(settings) as pool:
        analyses = await AnalysisRepository(pool).latest(repositories)
    written = []
    for analysis in analyses:
        target = directory / f"{analysis.repository}.arch.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(analysis.document, encoding="utf-8")
        written.append(target)
    return written


def commit_export(directory: Path, files: list[Path]) -> str:
    """Commit the exported files in the results repository at `directory` (nothing is pushed)."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True, check=False)

    if git("rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
        return f"{directory} is not a git work tree: nothing committed"
    git("add", "--", *(str(f.relative_to(directory)) for f in files))
    if git("diff", "--cached", "--quiet").returncode == 0:
        return "the results repository already had these documents"
    done = git("commit", "-q", "-m", f"Architecture documents of {len(files)} repositories")
    return "committed the export" if done.returncode == 0 else f"git commit failed: {done.stderr.strip()}"
