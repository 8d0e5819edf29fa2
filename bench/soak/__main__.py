"""`python -m bench.soak [--minutes M] [--rate R] [--fault-every S] [--seed N] [--report FILE]`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from bench.soak.run import SoakConfig, SoakReport, run_soak


def render(report: SoakReport) -> str:
    c = report.config
    lines = [
        f"# Soak {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {c.minutes:g} min, {c.rate:g} events/s, "
        f"a fault every {c.fault_every:g} s, seed {c.seed}",
        "",
        "| invariant | checked | violations | holds |",
        "|---|---|---|---|",
        *[f"| {ch.name} | {ch.checked} | {len(ch.violations)} | {'yes' if ch.ok else 'NO'} |" for ch in report.checks],
        "",
        "| fault injected | times |",
        "|---|---|",
        *[f"| {kind} | {n} |" for kind, n in sorted(report.faults.items())],
        "",
        "| events sent | count |",
        "|---|---|",
        *[f"| {kind} | {n} |" for kind, n in sorted(report.events.items())],
        "",
        "| figure | value |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in report.figures.items()],
        "",
        "| process | peak RSS (MiB) |",
        "|---|---|",
        *[f"| {name} | {rss / 2**20:.0f} |" for name, rss in report.memory.items()],
    ]
    for check in report.checks:
        for line in check.violations[:10] + check.notes[:10]:
            lines.append(f"- {check.name}: {line}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="Soak the whole stack under faults and check its invariants.")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=2.0, help="events per second")
    parser.add_argument("--fault-every", type=float, default=15.0, help="seconds between injected faults")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", type=Path, help="also write the tables (markdown) to this file")
    parser.add_argument("--keep", action="store_true", help="keep the soak's data directory (logs) afterwards")
    args = parser.parse_args()
    config = SoakConfig(args.minutes, args.rate, args.fault_every, args.seed, keep=args.keep)
    report = asyncio.run(run_soak(config))
    text = render(report)
    sys.stdout.write(text)
    if args.report:
        args.report.write_text(text)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
