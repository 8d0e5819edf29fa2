"""Findings as the evaluation scores them: the category of a model comment or of an analyzer rule."""

from __future__ import annotations

import pytest

from domain.evaluation.scored import finding_category, scored_finding
from domain.findings import Finding


@pytest.mark.parametrize(
    ("rule_id", "category"),
    [
        ("llm/security", "security"),
        ("llm/performance", "perf"),
        ("llm/correctness", "bug"),
        ("php.sql-concatenation", "security"),
        ("sql.delete-without-where", "data"),
        ("security.jwt-error-swallowed", "security"),
        ("python.mutable-default", "bug"),
        ("house/no-console-log", "house"),
    ],
)
def test_a_findings_category_follows_the_benchmarks_words(rule_id: str, category: str) -> None:
    assert finding_category(rule_id) == category


def test_a_scored_finding_keeps_where_and_what() -> None:
    finding = Finding("a.php", 7, "high", "php.unescaped-output", "echo of $_GET", source="analyzer:php")

    scored = scored_finding(finding)

    assert (scored.path, scored.line, scored.severity, scored.category) == ("a.php", 7, "high", "security")
    assert (scored.message, scored.source) == ("echo of $_GET", "analyzer:php")
