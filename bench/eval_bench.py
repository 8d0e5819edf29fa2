"""Review quality on the shipped evaluation dataset: precision, recall and F1 of the real ReviewPR.

    .venv/bin/python -m bench.eval_bench [--dataset tests/fixtures/eval] [--out report.json]
                                         [--model M] [--judge-model J] [--concurrency 4]

Every case goes through `pr-agent eval`'s run (cli/eval_run.py) on this benchmark's own Temporal dev
server and PostgreSQL. Without LLM variables in the environment the reviews run without a model
(analyzers and house rules only) and the output says so; with them (LLM_API_KEY or LLM_API_BASE,
LLM_MODEL, ...) the configured model reviews and, with `--judge-model`, a model judges the matches.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bench.common import bench_stack, header, load_line, run
from cli.common import ProgressDisplay
from cli.eval_run import EvalOptions, run_evaluation
from core.settings import Settings
from domain.evaluation.dataset import load_dataset
from domain.evaluation.report import render_report_text
from workers.base import WorkerDeps, build_worker
from workers.registry import REGISTRATIONS

SHIPPED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "eval"
# The model's variables pass through from the environment: a benchmark of a real model needs its key.
_LLM_VARIABLES = ("LLM_", "GEMINI_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY")


async def main(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.dataset)
    llm = {k: v for k, v in os.environ.items() if k.startswith(_LLM_VARIABLES)}
    if args.model:
        llm["LLM_MODEL"] = args.model
    async with bench_stack("memory") as stack:
        settings = Settings.from_variables(stack.variables(**llm))
        header(f"eval: {dataset.name}, {len(dataset.cases)} cases through ReviewPR", stack)
        judge = settings.llm.model_copy(update={"model": args.judge_model}) if args.judge_model else None
        options = EvalOptions(concurrency=args.concurrency, judge=judge)
        deps = WorkerDeps(settings, stack.pool)
        began = time.perf_counter()
        async with build_worker(stack.client, deps, "reviews", REGISTRATIONS["reviews"](deps)):
            with ProgressDisplay(sys.stderr, live=False) as display:
                report = await run_evaluation(stack.client, stack.pool, settings, dataset, options, display)
        seconds = time.perf_counter() - began
    print(render_report_text(report))
    print(f"   {len(report['cases'])} cases in {seconds:.1f}s ({seconds / max(1, len(report['cases'])):.2f}s a case)")
    print(f"   usage: {json.dumps(report['run']['usage']) if report['run']['usage'] else 'no model calls'}")
    print(f"   {load_line()}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"   report written to {args.out}")
    return 1 if report["dataset"]["errors"] else 0


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=SHIPPED)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--model")
    parser.add_argument("--judge-model")
    parser.add_argument("--concurrency", type=int, default=4)
    return parser.parse_args(argv)


if __name__ == "__main__":
    run(main(parse()))
