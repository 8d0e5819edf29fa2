"""A repository's own rules file over the house defaults."""

from __future__ import annotations

import dataclasses
from typing import Any

from domain.rules.loader import incompleteness, validate_rule
from domain.rules.model import RULE_KEYS, Rule, RuleSet


def merge_rules(base: RuleSet, override: RuleSet) -> RuleSet:
    """Overlay `override` on `base`: same id → the fields it sets replace the base's (so
    `enabled = false` alone switches a rule off); new ids are added when complete.

    An override that would make a rule invalid is reported and the base rule kept.
    """
    overrides = {rule.id: rule for rule in override.rules}
    errors = [*base.errors, *override.errors]
    merged: list[Rule] = []
    for rule in base.rules:
        update = overrides.pop(rule.id, None)
        if update is None:
            merged.append(rule)
            continue
        combined = _overlay(rule, update)
        problems = validate_rule(combined)
        errors.extend(problems)
        merged.append(rule if problems else combined)
    for rule in overrides.values():
        problem = incompleteness(rule)
        if problem and rule.enabled:
            errors.append(f"{problem} (and no house rule has that id)")
        elif not problem:
            merged.append(rule)
    return RuleSet(merged, errors)


def _overlay(base: Rule, update: Rule) -> Rule:
    changes: dict[str, Any] = {key: getattr(update, key) for key in update.fields & RULE_KEYS}
    # Choosing a pattern replaces the base's query, and the other way round.
    if "pattern" in update.fields and "query" not in update.fields:
        changes["query"] = None
    if "query" in update.fields and "pattern" not in update.fields:
        changes["pattern"] = None
    changes.pop("id", None)
    return dataclasses.replace(base, **changes, source=update.source, fields=base.fields | update.fields)
