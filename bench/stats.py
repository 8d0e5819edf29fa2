"""Latency statistics and their formatting, shared by the benchmarks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    """Latencies in seconds; percentiles by nearest rank (p99 of 100 samples is the 99th smallest)."""

    n: int
    p50: float
    p90: float
    p99: float
    mean: float
    max: float

    def brief(self, *keys: str) -> str:
        return " ".join(f"{key}={ms(getattr(self, key))}" for key in keys or ("p50", "p99"))


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def summarize(values: Sequence[float]) -> Summary:
    if not values:
        return Summary(0, math.nan, math.nan, math.nan, math.nan, math.nan)
    return Summary(
        len(values),
        percentile(values, 0.50),
        percentile(values, 0.90),
        percentile(values, 0.99),
        sum(values) / len(values),
        max(values),
    )


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:.1f}ms"


def ratio(numerator: float, denominator: float) -> str:
    if math.isnan(numerator) or math.isnan(denominator) or denominator == 0:
        return "n/a"
    return f"{numerator / denominator:.2f}x"
