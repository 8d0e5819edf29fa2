"""Run the benchmarks in bench/, one process each, including ones added later.

    .venv/bin/python -m bench                 # every `*_bench.py`, in name order
    .venv/bin/python -m bench intake review   # only these (names without `_bench`)
    .venv/bin/python -m bench --all           # also the runnable packages (bench/soak: minutes long)

Each benchmark runs with its own defaults in its own process (its own Temporal dev server and
PostgreSQL), so one crashing cannot take the others down; the exit code is non-zero if any failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def discover() -> dict[str, str]:
    """Short name → module: `x_bench.py` is "x"; a sub-package with a `__main__.py` keeps its name."""
    found = {path.stem.removesuffix("_bench"): f"bench.{path.stem}" for path in BENCH_DIR.glob("*_bench.py")}
    found |= {path.parent.name: f"bench.{path.parent.name}" for path in BENCH_DIR.glob("*/__main__.py")}
    return dict(sorted(found.items()))


def default_names(found: dict[str, str]) -> list[str]:
    return [name for name, module in found.items() if module.endswith("_bench")]


def run_one(module: str, timeout: float) -> tuple[int, float]:
    began = time.perf_counter()
    try:
        command = [sys.executable, "-m", module]
        code = subprocess.run(command, cwd=BENCH_DIR.parent, timeout=timeout, check=False).returncode
    except subprocess.TimeoutExpired:
        print(f"!! {module}: stopped after {timeout:.0f}s", flush=True)
        code = 124
    return code, time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    found = discover()
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run the benchmarks in bench/.")
    parser.add_argument("names", nargs="*", help=f"which to run (default: {', '.join(default_names(found))})")
    parser.add_argument("--all", action="store_true", help=f"run everything: {', '.join(found)}")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per benchmark")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(found))
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; available: {', '.join(found)}")
    names = args.names or (list(found) if args.all else default_names(found))
    results = {}
    for name in names:
        print(f"\n######## {found[name]}", flush=True)
        results[name] = run_one(found[name], args.timeout)
    print("\n######## summary")
    for name, (code, seconds) in results.items():
        print(f"   {name:<12} {'ok' if code == 0 else f'FAILED ({code})':<12} {seconds:6.1f}s")
    return 0 if all(code == 0 for code, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
