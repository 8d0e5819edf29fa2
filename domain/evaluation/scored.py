"""The product's findings as the evaluation scores them: location, severity, message, and a category.

The model names its category itself (`llm/<category>`); analyzer and house-rule findings carry rule
ids, whose category is read from the table below (then from the rule id's first word), so a split
by category counts an analyzer's SQL injection under `security` like the model's.
"""

from __future__ import annotations

from domain.evaluation.cases import normalise_category
from domain.evaluation.matching import EvalFinding
from domain.findings import Finding

# Analyzer rule ids whose benchmark category is not their first word.
_RULE_CATEGORIES: dict[str, str] = {
    "php.sql-concatenation": "security",
    "php.unescaped-output": "security",
    "php.debug-leftover": "style",
    "sql.string-built-query": "security",
    "sql.delete-without-where": "data",
    "sql.update-without-where": "data",
    "sql.select-star": "perf",
    "mongo.where-operator": "security",
    "es.script-query": "security",
    "python.bare-except": "bug",
    "python.mutable-default": "bug",
    "react.hook-in-condition": "bug",
    "react.list-missing-key": "bug",
    "nestjs.dto-missing-validation": "security",
    "nestjs.logger-without-context": "style",
    "ts.let-never-reassigned": "style",
    "npm.internal-package-deprecated": "api",
    "npm.internal-package-outdated": "api",
    "pubsub.publish-without-subscriber": "bug",
    "pubsub.subscribe-without-publisher": "bug",
}


def finding_category(rule_id: str) -> str:
    """The benchmark category of a finding with `rule_id` ("llm/performance" -> "perf")."""
    if rule_id.startswith("llm/"):
        return normalise_category(rule_id.removeprefix("llm/"))
    known = _RULE_CATEGORIES.get(rule_id)
    if known is not None:
        return known
    return normalise_category(rule_id.split(".", 1)[0].split("/", 1)[0])


def scored_finding(finding: Finding) -> EvalFinding:
    """`finding` as matching and metrics read it."""
    return EvalFinding(
        path=finding.path,
        line=finding.line,
        severity=finding.severity,
        category=finding_category(finding.rule_id),
        message=finding.message,
        source=finding.source,
    )
