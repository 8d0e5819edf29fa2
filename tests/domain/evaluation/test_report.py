"""Scoring the shipped dataset with stand-in reviewers, the JSON report and the text table."""

from __future__ import annotations

import json
from pathlib import Path

from domain.evaluation.cases import EvalCase
from domain.evaluation.dataset import load_dataset
from domain.evaluation.matching import EvalFinding, MatchSettings, match_case
from domain.evaluation.metrics import score
from domain.evaluation.report import CaseResult, build_report, render_table

SHIPPED = Path(__file__).resolve().parents[2] / "fixtures" / "eval"


def golden_as_findings(case: EvalCase, *, shift: int = 0, copies: int = 1) -> list[EvalFinding]:
    """A reviewer that says exactly what the golden comments say, `shift` lines off, `copies` times."""
    return [
        EvalFinding(
            path=g.path or "", line=(g.line or 0) + shift, severity=g.severity, category=g.category, message=g.text
        )
        for g in case.golden
        for _ in range(copies)
    ]


def test_a_reviewer_saying_exactly_the_golden_comments_scores_one() -> None:
    cases = load_dataset(SHIPPED).cases

    scores = score(match_case(golden_as_findings(case), case.golden) for case in cases)

    assert (scores.overall.findings_matched, scores.overall.golden) == (37, 37)
    assert (scores.overall.precision, scores.overall.recall, scores.overall.f1) == (1.0, 1.0, 1.0)
    assert scores.findings_on_clean_cases == 0


def test_saying_everything_twice_halves_precision_on_the_shipped_dataset() -> None:
    cases = load_dataset(SHIPPED).cases

    scores = score(match_case(golden_as_findings(case, copies=2), case.golden) for case in cases)

    assert (scores.overall.findings, scores.overall.findings_matched) == (74, 37)
    assert scores.overall.precision == 0.5
    assert scores.overall.recall == 1.0


def test_findings_a_line_off_still_match_within_tolerance_on_the_shipped_dataset() -> None:
    cases = load_dataset(SHIPPED).cases

    near = score(match_case(golden_as_findings(case, shift=1), case.golden) for case in cases)
    exact_only = score(
        match_case(golden_as_findings(case, shift=1), case.golden, MatchSettings(line_tolerance=0)) for case in cases
    )

    assert near.overall.recall == 1.0
    assert exact_only.overall.recall is not None and exact_only.overall.recall < 0.5


def test_report_is_json_with_scores_per_case_and_dataset_errors() -> None:
    dataset = load_dataset(SHIPPED)
    by_id = {case.case_id: case for case in dataset.cases}
    bug, clean = by_id["ts-nestjs-auth-token-scheme"], by_id["tsx-react-extract-preview"]
    noise = EvalFinding(path="src/components/ArticlePreview.tsx", line=3, severity="low", category="style", message="n")
    results = [
        CaseResult(bug, match_case(golden_as_findings(bug)[:1], bug.golden)),
        CaseResult(clean, match_case([noise], clean.golden), notes=("reviewed without a model",)),
    ]

    report = build_report(dataset, results, settings=MatchSettings(), judged=False, run={"model": None})

    assert json.loads(json.dumps(report)) == report
    assert report["matching"] == {"line_tolerance": 3, "judge": False}
    assert report["dataset"]["cases"] == 25 and report["dataset"]["errors"] == []
    overall = report["scores"]["overall"]
    assert (overall["findings"], overall["findings_matched"], overall["golden"], overall["golden_matched"]) == (
        2,
        1,
        2,
        1,
    )
    assert (overall["precision"], overall["recall"], overall["f1"]) == (0.5, 0.5, 0.5)
    first, second = report["cases"]
    assert first["id"] == "ts-nestjs-auth-token-scheme"
    assert [m["golden"]["line"] for m in first["matched"]] == [25]
    assert [m["line"] for m in first["missed"]] == [26]
    assert second["false_positives"][0]["path"] == "src/components/ArticlePreview.tsx"
    assert second["notes"] == ["reviewed without a model"]
    assert report["scores"]["findings_on_clean_cases"] == 1


def test_table_prints_overall_severity_and_category_rows_and_na_for_undefined_ratios() -> None:
    dataset = load_dataset(SHIPPED)
    case = next(c for c in dataset.cases if c.case_id == "sql-postgres-left-join-filter")

    table = render_table(score([match_case([], case.golden)]))

    lines = table.splitlines()
    assert lines[0].split() == ["findings", "hits", "golden", "found", "precision", "recall", "F1"]
    assert lines[2].split() == ["overall", "0", "0", "2", "0", "n/a", "0.00", "n/a"]
    assert "severity medium" in table and "category bug" in table
    assert lines[-1] == "1 cases, 0 clean; 0 findings on clean cases (all false positives)"
