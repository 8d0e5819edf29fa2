"""`pr-agent eval DATASET`: how good the reviews are, as precision, recall and F1 on golden comments.

The run is private: a Temporal dev server in memory, a reviews worker, and a scratch database that
is deleted afterwards, so an evaluation neither shows up as reviews of real repositories nor depends
on what an earlier run posted. Its model calls are counted in the report (tokens and cost per
purpose). Exit code 0 when every case was scored, 1 when some case could not be loaded or reviewed
(the report names each), 2 for a folder that is no dataset or a judge without a key.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from cli.common import EXIT_FAILED, EXIT_OK
from core.settings import LlmSettings, Settings


def add_parsers(sub: Any) -> None:
    """Add `eval`, bound to its handler, to the `pr-agent` parser."""
    parser = sub.add_parser("eval", help="score reviews against a dataset's golden comments (precision, recall, F1)")
    parser.add_argument("dataset", type=Path, help="a dataset folder (cases/ in our format, or Martian's offline one)")
    parser.add_argument("--model", help="the review model (default: LLM_MODEL); needs an LLM key like any review")
    parser.add_argument("--judge-model", help="an LLM that decides whether a finding says what a golden comment says")
    parser.add_argument("--limit", type=_positive, help="only the first N cases")
    parser.add_argument("--out", type=Path, help="write the JSON report here")
    parser.add_argument("--line-tolerance", type=int, default=3, help="largest line distance that still matches")
    parser.add_argument("--concurrency", type=_positive, default=4, help="cases reviewed at once (default 4)")
    parser.set_defaults(handler=run_eval, joins_running_stack=False)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


async def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    from cli.common import ProgressDisplay
    from cli.eval_run import EvalOptions, run_evaluation
    from cli.local_review import reviews_in_process
    from domain.evaluation.dataset import load_dataset
    from domain.evaluation.matching import MatchSettings

    dataset = load_dataset(args.dataset)  # NotADatasetError is a ValueError: a usage error
    if args.model:
        settings = settings.model_copy(update={"llm": settings.llm.model_copy(update={"model": args.model})})
    options = EvalOptions(
        limit=args.limit,
        concurrency=args.concurrency,
        match=MatchSettings(line_tolerance=args.line_tolerance),
        judge=_judge_settings(settings.llm, args.judge_model),
    )
    async with _scratch_database() as dsn, reviews_in_process(settings, dsn) as (client, pool):
        with ProgressDisplay(sys.stdout) as display:
            report = await run_evaluation(client, pool, settings, dataset, options, display)
    _print(report)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        sys.stdout.write(f"report written to {args.out}\n")
    return EXIT_FAILED if report["dataset"]["errors"] else EXIT_OK


def _judge_settings(llm: LlmSettings, model: str | None) -> LlmSettings | None:
    if model is None:
        return None
    if not llm.configured:
        raise ValueError("--judge-model needs an LLM key (LLM_API_KEY, or LLM_API_BASE for a local model)")
    return llm.model_copy(update={"model": model, "fallback_models": ()})


@asynccontextmanager
async def _scratch_database() -> AsyncIterator[str]:
    from db.embedded import start_embedded

    folder = Path(tempfile.mkdtemp(prefix="pr-agent-eval-db-"))
    try:
        handle = await asyncio.to_thread(start_embedded, folder)
        try:
            yield handle.dsn
        finally:
            handle.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _print(report: dict[str, Any]) -> None:
    from domain.evaluation.report import render_report_text

    sys.stdout.write(render_report_text(report) + "\n")
