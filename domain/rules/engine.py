"""Applying house rules to the added lines of a change."""

from __future__ import annotations

import re

from tree_sitter import QueryError

from domain.analyzers import syntax
from domain.analyzers.source import SourceView, build_source
from domain.diff import FileDiff
from domain.findings import Finding, severity_rank
from domain.globs import glob_match
from domain.rules.model import Rule, RuleSet


def apply_rules(rules: RuleSet, files: list[FileDiff], file_contents: dict[str, str] | None = None) -> list[Finding]:
    """Findings (source "rule") for every enabled, complete rule on the files' added lines.

    `file_contents` (full new-side text by path) is optional; query rules then see whole files
    instead of the hunks alone.
    """
    contents = file_contents or {}
    found: dict[tuple[str, int, str], Finding] = {}
    for file in files:
        if file.status == "deleted" or file.is_binary or not file.added_lines():
            continue
        view = build_source(file, contents.get(file.path))
        for rule in rules.rules:
            if not applies(rule, file):
                continue
            for line in _matching_lines(rule, view):
                found.setdefault((file.path, line, rule.id), _finding(rule, file.path, line))
    return sorted(found.values(), key=_order)


def applies(rule: Rule, file: FileDiff) -> bool:
    """True when the rule is usable and scoped to this file's language and path."""
    if not rule.enabled or not rule.complete:
        return False
    if rule.languages is not None and file.language not in rule.languages:
        return False
    if rule.paths and not any(glob_match(glob, file.path) for glob in rule.paths):
        return False
    return not any(glob_match(glob, file.path) for glob in rule.exclude_paths)


def _matching_lines(rule: Rule, view: SourceView) -> list[int]:
    if rule.pattern is not None:
        pattern = re.compile(rule.pattern)
        return [n for n in sorted(view.added) if pattern.search(view.lines[n - 1])]
    return _query_lines(rule, view)


def _query_lines(rule: Rule, view: SourceView) -> list[int]:
    grammar = syntax.GRAMMAR_FOR_LANGUAGE.get(view.language)
    tree = view.tree()
    if grammar is None or tree is None or rule.query is None:
        return []
    try:
        query = syntax.compile_query(grammar, rule.query)
    except QueryError:
        return []  # reported when the rule was loaded
    nodes = syntax.captures(query, tree.root_node).get("match", [])
    lines = {view.first_added_in(node) for node in nodes}
    return sorted(line for line in lines if line is not None)


def _finding(rule: Rule, path: str, line: int) -> Finding:
    # applies() only lets complete rules through; the fallbacks only satisfy the type checker.
    return Finding(
        path=path,
        line=line,
        severity=rule.severity or "info",
        rule_id=rule.id,
        message=rule.message or rule.id,
        suggestion=rule.suggestion,
        source="rule",
    )


def _order(finding: Finding) -> tuple[int, str, int, str]:
    return severity_rank(finding.severity), finding.path, finding.line, finding.rule_id
