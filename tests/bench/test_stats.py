import math

from bench.stats import ms, percentile, ratio, summarize


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 100..1, unsorted on purpose
    assert percentile(values, 0.50) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 1.0) == 100.0
    assert percentile([7.0], 0.01) == 7.0


def test_summary_of_nothing_is_nan_and_prints_as_not_available() -> None:
    empty = summarize([])
    assert empty.n == 0 and math.isnan(empty.p50)
    assert ms(empty.p99) == "n/a"


def test_summary_and_formatting() -> None:
    summary = summarize([0.010, 0.020, 0.030, 0.040])
    assert (summary.n, summary.p50, summary.max) == (4, 0.020, 0.040)
    assert summary.mean == 0.025
    assert summary.brief() == "p50=20.0ms p99=40.0ms"
    assert ratio(3.0, 2.0) == "1.50x"
    assert ratio(1.0, 0.0) == "n/a"
