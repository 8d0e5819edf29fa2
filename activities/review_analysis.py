"""ReviewPR's static step: language-aware analyzers and the house rules (with the repository's overrides)."""

from __future__ import annotations

import asyncio

from temporalio import activity

from activities.review_report import file_diffs
from contracts.review import AnalysisResult, AnalyzeInput
from domain.analyzers import AnalyzerContext, InternalPackageInfo, run_analyzers
from domain.findings import Finding
from domain.rules import REPO_RULES_PATH, apply_rules, default_rules, load_rules, merge_rules


class AnalysisActivities:
    @activity.defn(name="analyze_changes")
    async def analyze_changes(self, request: AnalyzeInput) -> AnalysisResult:
        # CPU-bound (tree-sitter parses): off the event loop so heartbeats and other activities keep running.
        return await asyncio.to_thread(analyze, request)


def analyze(request: AnalyzeInput) -> AnalysisResult:
    files = [f for f in file_diffs(request.snapshot) if not f.is_binary]
    context = request.context
    analyzer_context = AnalyzerContext(
        internal_packages={
            name: InternalPackageInfo(
                info["latest_version"], bool(info.get("deprecated")), info.get("deprecation_message")
            )
            for name, info in context.internal_packages.items()
        },
        known_topics={kind: set(names) for kind, names in context.known_topics.items() if names},
    )
    rules = default_rules()
    if context.rules_override:
        rules = merge_rules(rules, load_rules(context.rules_override, REPO_RULES_PATH))
    found = run_analyzers(files, analyzer_context)
    findings = merge_findings(found, apply_rules(rules, files), list(context.impact_findings))
    return AnalysisResult(findings=findings, rule_errors=list(rules.errors))


def merge_findings(*groups: list[Finding]) -> list[Finding]:
    """One finding per (path, line, rule); the first group wins a tie."""
    seen: set[tuple[str, int, str]] = set()
    merged = []
    for finding in (f for group in groups for f in group):
        key = (finding.path, finding.line, finding.rule_id)
        if key not in seen:
            seen.add(key)
            merged.append(finding)
    return merged
