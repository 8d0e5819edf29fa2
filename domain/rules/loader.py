"""Reading house rules from TOML. Problems become messages in `RuleSet.errors`, never raises."""

from __future__ import annotations

import re
import tomllib
from typing import Any, cast

from tree_sitter import QueryError

from domain.analyzers import syntax
from domain.findings import SEVERITY_ORDER, Severity
from domain.rules.model import RULE_KEYS, Rule, RuleSet

KNOWN_LANGUAGES = frozenset(
    {"typescript", "tsx", "javascript", "jsx", "php", "python", "sql", "json", "markdown", "other"}
)
_LIST_KEYS = ("languages", "paths", "exclude_paths")
_TEXT_KEYS = ("id", "pattern", "query", "severity", "message", "suggestion")


def load_rules(text: str, source: str) -> RuleSet:
    """Parse a rules file; bad rules are reported in `errors` and the good ones still load."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return RuleSet([], [f"{source}: not valid TOML: {error}"])
    errors = [f"{source}: unknown top-level key `{key}`" for key in data if key != "rule"]
    tables = data.get("rule", [])
    if not isinstance(tables, list):
        return RuleSet([], [*errors, f"{source}: `rule` must be an array of tables ([[rule]])"])
    rules: list[Rule] = []
    for index, table in enumerate(tables, start=1):
        rule, problems = _parse_rule(table, source, index)
        if rule is not None and any(r.id == rule.id for r in rules):
            problems.append(f"{source}: rule `{rule.id}` is defined twice; the first one is kept")
        elif rule is not None and not problems:
            rules.append(rule)
        errors.extend(problems)
    return RuleSet(rules, errors)


def validate_rule(rule: Rule) -> list[str]:
    """Problems with the values a rule holds (a partial rule may still be valid)."""
    where = f"{rule.source}: rule `{rule.id}`"
    problems = []
    if rule.severity is not None and rule.severity not in SEVERITY_ORDER:
        problems.append(f"{where}: unknown severity `{rule.severity}`")
    unknown = sorted(set(rule.languages or ()) - KNOWN_LANGUAGES)
    if unknown:
        problems.append(f"{where}: unknown language(s) {', '.join(unknown)}")
    if rule.matcher_count > 1:
        problems.append(f"{where}: has both `pattern` and `query`; keep one")
    if rule.pattern is not None:
        problems.extend(_check_pattern(where, rule.pattern))
    if rule.query is not None:
        problems.extend(_check_query(where, rule.query, rule.languages))
    return problems


def incompleteness(rule: Rule) -> str | None:
    """Why a rule cannot report on its own, or None when it can."""
    missing = [key for key in ("message", "severity") if not getattr(rule, key)]
    if rule.matcher_count == 0:
        missing.append("pattern or query")
    if not missing:
        return None
    return f"{rule.source}: rule `{rule.id}` is missing {', '.join(missing)}"


def _parse_rule(table: object, source: str, index: int) -> tuple[Rule | None, list[str]]:
    if not isinstance(table, dict):
        return None, [f"{source}: rule #{index} is not a table"]
    rule_id = table.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        return None, [f"{source}: rule #{index} has no `id`"]
    where = f"{source}: rule `{rule_id}`"
    problems = [f"{where}: unknown key `{key}`" for key in sorted(set(table) - RULE_KEYS)]
    problems += _type_problems(where, table)
    if problems:
        return None, problems
    rule = _build(table, source)
    problems = validate_rule(rule)
    return (None if problems else rule), problems


def _type_problems(where: str, table: dict[str, Any]) -> list[str]:
    problems = []
    for key in _TEXT_KEYS:
        if key in table and not isinstance(table[key], str):
            problems.append(f"{where}: `{key}` must be a string")
    for key in _LIST_KEYS:
        value = table.get(key)
        if key in table and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            problems.append(f"{where}: `{key}` must be a list of strings")
    if "enabled" in table and not isinstance(table["enabled"], bool):
        problems.append(f"{where}: `enabled` must be true or false")
    return problems


def _build(table: dict[str, Any], source: str) -> Rule:
    languages = table.get("languages")
    return Rule(
        id=table["id"].strip(),
        message=table.get("message"),
        severity=cast(Severity | None, table.get("severity")),
        languages=tuple(languages) if languages is not None else None,
        paths=tuple(table.get("paths", ())),
        exclude_paths=tuple(table.get("exclude_paths", ())),
        pattern=table.get("pattern"),
        query=table.get("query"),
        suggestion=table.get("suggestion"),
        enabled=table.get("enabled", True),
        source=source,
        fields=frozenset(table),
    )


def _check_pattern(where: str, pattern: str) -> list[str]:
    try:
        re.compile(pattern)
    except re.error as error:
        return [f"{where}: bad regex `{pattern}`: {error}"]
    return []


def _check_query(where: str, query: str, languages: tuple[str, ...] | None) -> list[str]:
    if not languages:
        return [f"{where}: a `query` rule needs `languages` (the grammar to compile it for)"]
    grammars = {syntax.GRAMMAR_FOR_LANGUAGE.get(language) for language in languages}
    if None in grammars:
        return [f"{where}: `query` needs languages with a grammar, not {', '.join(languages)}"]
    problems = []
    for grammar in sorted(g for g in grammars if g is not None):
        try:
            compiled = syntax.compile_query(grammar, query)
        except QueryError as error:
            problems.append(f"{where}: bad query for {grammar}: {error}")
            continue
        names = {compiled.capture_name(i) for i in range(compiled.capture_count)}
        if "match" not in names:
            problems.append(f"{where}: the query has no `@match` capture")
            break
    return problems
