"""Language-aware static checks on the added lines of a change.

Each module has `NAME`, `LANGUAGES` and `analyze(file, ctx) -> list[Finding]`; findings only ever
point at added (new-side) lines. `run_analyzers` is the entry point the review uses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import ModuleType

from domain.analyzers import (
    code_eval,
    elasticsearch,
    jwt,
    mongo,
    nestjs,
    npm,
    php,
    php_sql,
    pubsub,
    python,
    react,
    secrets,
    security,
    sql,
    string_sql,
    typescript,
)
from domain.analyzers.context import AnalyzerContext, InternalPackageInfo
from domain.diff import FileDiff
from domain.findings import Finding, severity_rank

__all__ = ["ANALYZERS", "AnalyzerContext", "InternalPackageInfo", "run_analyzers"]

logger = logging.getLogger(__name__)

Analyzer = Callable[[FileDiff, AnalyzerContext], list[Finding]]
ANALYZERS: tuple[ModuleType, ...] = (
    typescript,
    nestjs,
    react,
    php,
    php_sql,
    python,
    sql,
    string_sql,
    mongo,
    elasticsearch,
    secrets,
    code_eval,
    security,
    jwt,
    pubsub,
    npm,
)


def run_analyzers(files: list[FileDiff], ctx: AnalyzerContext | None = None) -> list[Finding]:
    """Run every analyzer that knows each file's language; de-duplicated, most severe first.

    An analyzer that fails on one file is logged and skipped: one bad parse must not cost the
    whole review its static checks.
    """
    ctx = ctx or AnalyzerContext()
    found: dict[tuple[str, int, str], Finding] = {}
    for file in files:
        if file.status == "deleted" or file.is_binary:
            continue
        added = file.added_lines()
        if not added:
            continue
        for finding in _run_file(file, ctx):
            # A safety net: a finding on a line the change did not add would be noise.
            if finding.line in added:
                found.setdefault((finding.path, finding.line, finding.rule_id), finding)
    return sorted(found.values(), key=_order)


def analyzers_for(language: str) -> list[ModuleType]:
    """The analyzer modules that look at files of `language`."""
    return [module for module in ANALYZERS if language in module.LANGUAGES]


def _run_file(file: FileDiff, ctx: AnalyzerContext) -> list[Finding]:
    findings: list[Finding] = []
    for module in analyzers_for(file.language):
        analyze: Analyzer = module.analyze
        try:
            findings.extend(analyze(file, ctx))
        except Exception:
            logger.exception("analyzer %s failed on %s", module.NAME, file.path)
    return findings


def _order(finding: Finding) -> tuple[int, str, int, str]:
    return severity_rank(finding.severity), finding.path, finding.line, finding.rule_id
