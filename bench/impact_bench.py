"""Cross-repository impact (issue 18): precision and recall on the impact world, and the time the
impact step adds to a review when 50 repositories are indexed.

    .venv/bin/python -m bench.impact_bench [--repos 50] [--modules 30] [--runs 5]

Facts are extracted from each repository's files and stored in PostgreSQL as IndexRepo stores them
(`impact_facts`, with the repository's head). Each pull request of tests/fixtures/impact_world is
opened on the GitHub stand-in, fetched by ReviewPR's own fetch activity, and assessed by the
review's own impact step (`ImpactAssessor`: head and context files read through PyGithub, every
repository's facts loaded from the database). Printed:
- precision and recall of the impact findings' evidence (kind, edge, consumer, path, line) on the
  four-repository world, against the findings each change names in its change.json; then again
  with the synthetic services added, whose uses of the world's edges are known from how they were
  generated (bench/impact_bench_data.py);
- the impact step's wall time per pull request with the world plus synthetic services up to
  `--repos` repositories: cold (a fresh worker: facts parsed from the database) and warm (parsed
  facts cached, as on a worker that has reviewed before); goal under 1 s;
- facts extraction throughput (the cost IndexRepo pays when a source file changed).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
from collections.abc import Callable

from activities.review_github import PullRequestActivities
from activities.review_impact import ImpactAssessor, ImpactOutcome
from bench.common import Stack, bench_stack, header, load_line, run
from bench.impact_bench_data import synthetic_expected, synthetic_repository
from clients.pull_requests import provider_for
from contracts.review import FetchPullRequestInput, PullRequestRef
from core.settings import Settings
from db.impact_facts import ImpactFactsStore
from db.repositories import RepositoryStore
from domain.impact import (
    FACTS_SCHEMA_VERSION,
    ExpectedImpact,
    extract_facts,
    facts_input,
    facts_to_json,
    score_impacts,
)
from tests.fakes.github import FakeGitHub
from tests.support.impact_world import WorldChange, changes, repositories, repository_files
from tests.workflows.impact_support import open_world_pull


async def store_facts(stack: Stack, name: str, files: dict[str, str]) -> tuple[float, int]:
    """Extract and store one repository's facts at a commit named by its content; (seconds, files read)."""
    commit = hashlib.sha1("".join(f"{p}\0{t}" for p, t in sorted(files.items())).encode()).hexdigest()
    inputs = {p: t for p, t in files.items() if facts_input(p, len(t.encode()))}
    began = time.perf_counter()
    facts = extract_facts(name, commit, inputs)
    seconds = time.perf_counter() - began
    record = await RepositoryStore(stack.pool).ensure(name, "main", None)
    await RepositoryStore(stack.pool).record_head(record.id, commit)
    await ImpactFactsStore(stack.pool).save(
        record.id, commit, FACTS_SCHEMA_VERSION, facts_to_json(facts), sorted(inputs), len(inputs)
    )
    return seconds, len(inputs)


async def assess(
    settings: Settings, stack: Stack, assessor: ImpactAssessor, change: WorldChange, number: int
) -> tuple[ImpactOutcome, float]:
    ref = PullRequestRef(repository=change.repository, number=number)
    snapshot = await PullRequestActivities(settings, stack.pool).fetch_pull_request(
        FetchPullRequestInput(pr=ref, full=True)
    )
    provider = provider_for(settings.github, ref)
    began = time.perf_counter()
    outcome = await assessor.assess(snapshot, provider)
    return outcome, time.perf_counter() - began


def score_line(label: str, hits: int, reported: int, expected: int) -> str:
    precision = hits / reported if reported else 1.0
    recall = hits / expected if expected else 1.0
    return f"   {label}: precision {precision:.3f} ({hits}/{reported}), recall {recall:.3f} ({hits}/{expected})"


async def quality(
    settings: Settings, stack: Stack, pulls: list[tuple[WorldChange, int]], extra: Callable[[str], list[ExpectedImpact]]
) -> None:
    """Each pull request's evidence scored against the world's expectations plus `extra(change name)`."""
    assessor = ImpactAssessor(stack.pool)
    hits = reported = expected = 0
    header = f"{'pull request':<16} {'findings':>8} {'evidence':>8} {'expected':>8} {'tp':>5} {'fp':>4} {'fn':>4}"
    print(f"   {header}  severity")
    for change, number in pulls:
        outcome, _ = await assess(settings, stack, assessor, change, number)
        findings = outcome.report.findings if outcome.report else ()
        score = score_impacts(findings, [*change.expected, *extra(change.name)])
        fp, fn = len(score.false_positives), len(score.false_negatives)
        hits += score.true_positives
        reported += score.true_positives + fp
        expected += score.true_positives + fn
        severities = {(f.kind, f.name): f.severity for f in findings} == change.severities
        print(
            f"   {change.name:<16} {len(findings):>8} {score.true_positives + fp:>8} {score.true_positives + fn:>8} "
            f"{score.true_positives:>5} {fp:>4} {fn:>4}  {'as expected' if severities else 'DIFFERS'}"
        )
        for miss in [*score.false_positives[:3], *score.false_negatives[:3]]:
            print(f"      {'unexpected' if isinstance(miss, tuple) else 'missed'}: {miss}")
    print(score_line("evidence", hits, reported, expected))


async def timing(settings: Settings, stack: Stack, pulls: list[tuple[WorldChange, int]], runs: int) -> None:
    cold: dict[str, list[float]] = {change.name: [] for change, _ in pulls}
    warm: dict[str, list[float]] = {change.name: [] for change, _ in pulls}
    for _ in range(runs):
        for change, number in pulls:
            assessor = ImpactAssessor(stack.pool)  # a worker's first review: nothing parsed yet
            cold[change.name].append((await assess(settings, stack, assessor, change, number))[1])
            warm[change.name].append((await assess(settings, stack, assessor, change, number))[1])
    for label, times in (("cold (facts parsed from the database)", cold), ("warm (parsed facts cached)", warm)):
        values = sorted(v for per_change in times.values() for v in per_change)
        p50, p95 = statistics.median(values), values[min(len(values) - 1, int(len(values) * 0.95))]
        print(f"   {label:<40} p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   max {values[-1] * 1000:7.1f} ms")
    medians = ", ".join(
        f"{name} {statistics.median(cold[name]) * 1000:.0f}/{statistics.median(warm[name]) * 1000:.0f}" for name in cold
    )
    print(f"   median per pull request, cold/warm ms: {medians}")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=50, help="indexed repositories in the timing (world included)")
    parser.add_argument("--modules", type=int, default=30, help="source modules per synthetic service")
    parser.add_argument("--runs", type=int, default=5, help="timing rounds over the world's pull requests")
    args = parser.parse_args()
    async with bench_stack("memory") as stack:
        header("Cross-repository impact: the impact world, then an organisation of indexed repositories", stack)
        with FakeGitHub() as github:
            settings = Settings.from_variables(stack.variables(GITHUB_API_URL=github.url, GITHUB_USER_TOKEN="ghp_test"))
            extraction = [await store_facts(stack, name, repository_files(name)) for name in repositories()]
            pulls = [(change, open_world_pull(github, change)[0]) for change in changes()]
            print(f"\n-- precision and recall: the {len(repositories())}-repository world, {len(pulls)} pull requests")
            await quality(settings, stack, pulls, lambda name: [])
            synthetic = range(args.repos - len(repositories()))
            for index in synthetic:
                files = synthetic_repository(index, args.modules)
                extraction.append(await store_facts(stack, f"acme/svc-{index:02d}", files))
            print(f"\n-- precision and recall: the world and {len(synthetic)} synthetic services (their uses known)")
            await quality(
                settings,
                stack,
                pulls,
                lambda name: [e for i in synthetic for e in synthetic_expected(i, args.modules, name)],
            )
            raw = await stack.pool.fetchval("SELECT sum(octet_length(facts::text)) FROM impact_facts")
            uses = await stack.pool.fetchval(
                """SELECT sum(jsonb_array_length(facts->'calls') + jsonb_array_length(facts->'topics')
                       + jsonb_array_length(facts->'tables') + jsonb_array_length(facts->'imports')
                       + jsonb_array_length(facts->'dependencies')) FROM impact_facts"""
            )
            size = f"{uses:,} uses, {raw / 2**20:.1f} MiB of JSON"
            print(f"\n-- the impact step with {args.repos} indexed repositories ({size})")
            await timing(settings, stack, pulls, args.runs)
        seconds, read = sum(s for s, _ in extraction), sum(n for _, n in extraction)
        print(f"\n-- facts extraction: {read} files in {seconds:.1f} s = {read / seconds:.0f} files/s")
        print(f"   {load_line()}")
    return 0


if __name__ == "__main__":
    run(main())
