"""The evaluation report: a JSON-ready dict for files and tools, and a plain-text table for people.

`run` is whatever the caller wants recorded about how the findings were produced (model, judge model,
prompt versions, whether the review ran without a model and why); it is copied into the report as is,
so a report read months later still says what it measured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from domain.evaluation.cases import Dataset, EvalCase
from domain.evaluation.matching import CaseMatch, MatchSettings
from domain.evaluation.metrics import Scores, Tally, score, tally

REPORT_VERSION = 1


@dataclass(frozen=True)
class CaseResult:
    """One case as reviewed: the case, the matching outcome, and notes (e.g. "review skipped the model")."""

    case: EvalCase
    match: CaseMatch
    notes: tuple[str, ...] = ()


def build_report(
    dataset: Dataset,
    results: Sequence[CaseResult],
    *,
    settings: MatchSettings,
    judged: bool,
    run: Mapping[str, Any],
) -> dict[str, Any]:
    """The whole run as plain JSON types."""
    scores = score(result.match for result in results)
    return {
        "report_version": REPORT_VERSION,
        "dataset": {
            "name": dataset.name,
            "format": dataset.format,
            "cases": len(dataset.cases),
            "golden_comments": dataset.golden_count,
            "errors": [asdict(error) for error in dataset.errors],
        },
        "run": dict(run),
        "matching": {"line_tolerance": settings.line_tolerance, "judge": judged},
        "scores": scores_dict(scores),
        "cases": [_case_dict(result) for result in results],
    }


def scores_dict(scores: Scores) -> dict[str, Any]:
    """Scores as plain JSON types."""
    return {
        "overall": tally_dict(scores.overall),
        "by_severity": {key: tally_dict(value) for key, value in scores.by_severity.items()},
        "by_category": {key: tally_dict(value) for key, value in scores.by_category.items()},
        "cases": scores.cases,
        "clean_cases": scores.clean_cases,
        "findings_on_clean_cases": scores.findings_on_clean_cases,
    }


def tally_dict(counts: Tally) -> dict[str, Any]:
    """Counts and ratios (ratios None when nothing is under them)."""
    return {
        "findings": counts.findings,
        "findings_matched": counts.findings_matched,
        "golden": counts.golden,
        "golden_matched": counts.golden_matched,
        "false_positives": counts.false_positives,
        "false_negatives": counts.false_negatives,
        "precision": _round(counts.precision),
        "recall": _round(counts.recall),
        "f1": _round(counts.f1),
    }


def render_table(scores: Scores) -> str:
    """A fixed-width table: overall, then one row per severity and per category."""
    header = f"{'':<24}{'findings':>9}{'hits':>6}{'golden':>8}{'found':>7}{'precision':>11}{'recall':>8}{'F1':>7}"
    rows = [header, "-" * len(header), _row("overall", scores.overall)]
    rows += [_row(f"severity {name}", counts) for name, counts in scores.by_severity.items()]
    rows += [_row(f"category {name}", counts) for name, counts in scores.by_category.items()]
    rows.append(
        f"{scores.cases} cases, {scores.clean_cases} clean; "
        f"{scores.findings_on_clean_cases} findings on clean cases (all false positives)"
    )
    return "\n".join(rows)


def render_report_text(report: Mapping[str, Any]) -> str:
    """What `pr-agent eval` prints: what was measured, the table, and the cases that could not be scored."""
    run, data = report["run"], report["dataset"]
    judge = f"judge {run.get('judge_model')} ({run.get('judge_prompt')})" if report["matching"]["judge"] else None
    lines = [
        f"Dataset {data['name']} ({data['format']}): {len(report['cases'])} cases scored, "
        f"{data['golden_comments']} golden comments",
        f"Model: {run.get('model') or 'none'}; LLM: {run.get('llm')}",
        f"Matching: same file, lines at most {report['matching']['line_tolerance']} apart"
        + (f", and the {judge} agrees" if judge else ""),
        "",
        render_table(_scores(report["scores"])),
    ]
    if run.get("unlocated_note"):
        lines.append(f"{run['unlocated_golden']} golden comments have no file or line: {run['unlocated_note']}")
    if data["errors"]:
        lines += ["", f"{len(data['errors'])} cases not scored:"]
        lines += [f"  {error['name']}: {error['reason']}" for error in data["errors"]]
    return "\n".join(lines)


def _scores(data: Mapping[str, Any]) -> Scores:
    return Scores(
        overall=_tally(data["overall"]),
        by_severity={key: _tally(value) for key, value in data["by_severity"].items()},
        by_category={key: _tally(value) for key, value in data["by_category"].items()},
        cases=data["cases"],
        clean_cases=data["clean_cases"],
        findings_on_clean_cases=data["findings_on_clean_cases"],
    )


def _tally(data: Mapping[str, Any]) -> Tally:
    return Tally(data["findings"], data["findings_matched"], data["golden"], data["golden_matched"])


def _row(label: str, counts: Tally) -> str:
    return (
        f"{label[:23]:<24}{counts.findings:>9}{counts.findings_matched:>6}{counts.golden:>8}{counts.golden_matched:>7}"
        f"{_ratio(counts.precision):>11}{_ratio(counts.recall):>8}{_ratio(counts.f1):>7}"
    )


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _case_dict(result: CaseResult) -> dict[str, Any]:
    match = result.match
    return {
        "id": result.case.case_id,
        "kind": result.case.kind,
        "language": result.case.language,
        "counts": tally_dict(tally(match)),
        "matched": [
            {
                "finding": asdict(match.findings[pair.finding]),
                "golden": asdict(match.golden[pair.golden]),
                "line_distance": pair.distance,
            }
            for pair in match.pairs
        ],
        "missed": [asdict(comment) for comment in match.missed_golden],
        "false_positives": [asdict(finding) for finding in match.unmatched_findings],
        "notes": list(result.notes),
    }
