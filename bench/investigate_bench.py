"""Investigation benchmark: InvestigateRepo on the two synthetic repositories, against a stand-in
model that logs every prompt.

    .venv/bin/python -m bench.investigate_bench [--delay 1.0] [--log prompts.jsonl]

The made-up repositories of tests/fixtures/synthetic_repos (a NestJS API, a convention-routed PHP
app) are committed into local git repositories and investigated at the same time by the real
InvestigateRepo workflow and an investigations worker built as the product builds it, on a real
Temporal dev server and embedded PostgreSQL. The model is tests/fakes/llm.py's FakeLLM answering
each call after `--delay` seconds with bench/investigate_standin.py's cited answer; every request
is logged. Printed: LLM calls, prompt tokens per step and per run (characters / 4, as the fake
counts usage), wall time, the share of the stored document's claims that carry a `path:line`
citation, and a second run on the unchanged repositories.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import Stack, bench_stack, header, load_line, run
from bench.investigate_standin import Prompt, cited_answer, document_claims, logged
from contracts.common import INVESTIGATE_REPO
from contracts.investigation import InvestigateRepoInput, InvestigateRepoResult, investigate_workflow_id
from core.settings import Settings
from core.temporal.client import task_queue
from db.analysis import AnalysisRepository
from tests.fakes.llm import FakeLLM
from tests.support.synthetic_repos import NEST_SHOP, PHP_MUSIC, synthetic_git_repo
from tests.workflows.investigation_support import investigations_worker, llm_settings, options

OWNER = "synthetic"


class StandInModel:
    """A FakeLLM responder: logs the request, answers with every section cited."""

    def __init__(self, log_path: Path | None) -> None:
        self.prompts: list[Prompt] = []
        self._log = log_path.open("w", encoding="utf-8") if log_path else None

    def __call__(self, body: dict[str, Any]) -> str:
        prompt = logged(body)
        self.prompts.append(prompt)  # the fake calls responders one at a time, under its lock
        if self._log is not None:
            record = {"repository": prompt.repository, "step": prompt.step, "messages": body["messages"]}
            self._log.write(json.dumps(record) + "\n")
        return cited_answer(body)

    def close(self) -> None:
        if self._log is not None:
            self._log.close()


async def investigate(stack: Stack, settings: Settings, clones: dict[str, Path]) -> tuple[list[Any], float]:
    """Start one InvestigateRepo per repository at once; their results and the wall time of all."""
    began = time.perf_counter()
    handles = [
        await stack.client.start_workflow(
            INVESTIGATE_REPO,
            InvestigateRepoInput(
                repository=f"{OWNER}/{name}", branch="main", commit_sha=None, force=False, trigger="admin",
                clone_url=str(path),
            ),
            id=f"{investigate_workflow_id(f'{OWNER}/{name}', 'main')}:{uuid.uuid4().hex[:6]}",
            task_queue=task_queue(settings.temporal, "investigations"),
            result_type=InvestigateRepoResult,
        )
        for name, path in clones.items()
    ]  # fmt: skip
    results = await asyncio.gather(*(handle.result() for handle in handles))
    return list(results), time.perf_counter() - began


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delay", type=float, default=1.0, help="seconds the stand-in model takes per answer")
    parser.add_argument("--log", type=Path, help="write every prompt here, one JSON object a line")
    args = parser.parse_args()
    model = StandInModel(args.log)
    async with bench_stack() as stack:
        header("InvestigateRepo on two synthetic repositories, stand-in model", stack)
        clones = {name: synthetic_git_repo(name, stack.workdir / "repos" / name) for name in (NEST_SHOP, PHP_MUSIC)}
        with FakeLLM(responder=model, answer_delay=args.delay) as llm:
            settings = llm_settings(Settings.from_variables(stack.variables()), stack.workdir / "cache", llm.url)
            # Default worker options, except heartbeats as the tests take them (a step is short here).
            async with investigations_worker(stack.client, stack.pool, settings, options()):
                first, first_wall = await investigate(stack, settings, clones)
                asked = len(model.prompts)
                again, again_wall = await investigate(stack, settings, clones)
        stored = {a.repository: a.document for a in await AnalysisRepository(stack.pool).latest()}
    model.close()
    report(args.delay, model.prompts, first, first_wall, stored)
    print(f"   re-run on the unchanged repositories: {again_wall:.1f}s, "
          f"{len(model.prompts) - asked} LLM calls, status {', '.join(r.status for r in again)}")  # fmt: skip
    print(f"   {load_line()}")
    return 0


def report(delay: float, prompts: list[Prompt], results: list[Any], wall: float, stored: dict[str, str]) -> None:
    print(f"   stand-in answers after {delay:g}s; both repositories investigated at once in {wall:.1f}s")
    by_step: dict[str, dict[str, int]] = defaultdict(dict)
    for prompt in prompts:
        by_step[prompt.step][prompt.repository] = prompt.tokens
    repos = [r.repository for r in results]
    print(f"   {'step':<30}" + "".join(f"{r.split('/')[1]:>22}" for r in repos) + f"{'both':>10}")
    for step, tokens in by_step.items():
        cells = "".join(f"{tokens[r]:>22,}" if r in tokens else f"{'-':>22}" for r in repos)
        print(f"   {step:<30}{cells}{sum(tokens.values()):>10,}")
    totals = [sum(p.tokens for p in prompts if p.repository == r) for r in repos]
    print(f"   {'prompt tokens per run':<30}" + "".join(f"{t:>22,}" for t in totals) + f"{sum(totals):>10,}")
    for result in results:
        claims = document_claims(stored[result.repository])
        print(f"   {result.repository}: {result.prompt_set}, {result.steps_total} steps, {result.llm_calls} LLM calls, "
              f"{result.tokens_in:,} prompt tokens by the model's count; document claims {claims.total}, "
              f"{claims.cited_share:.0%} cite path:line, {claims.unverified} marked unverified")  # fmt: skip
    chars = sum(p.chars for p in prompts)
    print(f"   both: {len(prompts)} LLM calls, {chars:,} prompt characters (~{sum(totals):,} tokens)")


if __name__ == "__main__":
    run(main())
