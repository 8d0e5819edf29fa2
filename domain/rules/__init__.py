"""House rules: regex or tree-sitter query rules from TOML, merged per repository.

Typical use::

    rules = merge_rules(default_rules(), load_rules(repo_file_text, REPO_RULES_PATH))
    findings = apply_rules(rules, files)
    problems = rules.errors  # show these to the repository's maintainers
"""

from __future__ import annotations

from importlib import resources

from domain.globs import glob_match
from domain.rules.engine import apply_rules
from domain.rules.loader import KNOWN_LANGUAGES, incompleteness, load_rules
from domain.rules.merge import merge_rules
from domain.rules.model import Rule, RuleSet

__all__ = [
    "DEFAULT_RULES_FILE",
    "KNOWN_LANGUAGES",
    "REPO_RULES_PATH",
    "Rule",
    "RuleSet",
    "apply_rules",
    "default_rules",
    "glob_match",
    "load_rules",
    "merge_rules",
]

# Where a repository keeps its own rules (overrides and additions), relative to its root.
REPO_RULES_PATH = ".pr-agent/rules.toml"
DEFAULT_RULES_FILE = "house_rules.toml"


def default_rules() -> RuleSet:
    """The house rules shipped with PR Agent (domain/rules/house_rules.toml)."""
    text = resources.files(__package__).joinpath(DEFAULT_RULES_FILE).read_text("utf-8")
    loaded = load_rules(text, f"domain/rules/{DEFAULT_RULES_FILE}")
    # The defaults are a base, not an override: every rule must stand on its own.
    missing = [problem for rule in loaded.rules if (problem := incompleteness(rule))]
    return RuleSet(loaded.rules, [*loaded.errors, *missing])
