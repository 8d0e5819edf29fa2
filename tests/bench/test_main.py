import pytest

from bench.__main__ import default_names, discover, main


def test_bench_scripts_are_found_by_short_name_and_run_by_default() -> None:
    found = discover()
    assert found["intake"] == "bench.intake_bench" and found["review"] == "bench.review_bench"
    assert list(found) == sorted(found)
    assert not {"common", "load", "stats", "history", "review_pipeline"} & set(found)
    assert {"intake", "review"} <= set(default_names(found))


def test_runnable_packages_are_found_but_only_run_when_asked() -> None:
    found = {"intake": "bench.intake_bench", "soak": "bench.soak"}
    assert default_names(found) == ["intake"]


def test_an_unknown_benchmark_name_is_refused_before_anything_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["no-such-benchmark"])
    assert "unknown benchmark" in capsys.readouterr().err
