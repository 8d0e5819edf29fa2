"""House rules as data: one Rule per `[[rule]]` table, a RuleSet per file or merge."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.findings import Severity

# Keys a `[[rule]]` table may hold.
RULE_KEYS = frozenset(
    {
        "id",
        "languages",
        "paths",
        "exclude_paths",
        "pattern",
        "query",
        "severity",
        "message",
        "suggestion",
        "enabled",
    }
)


@dataclass(frozen=True)
class Rule:
    """One house rule. `fields` names the keys its file actually set: what an override replaces.

    A rule read from an override file may be partial (say, only `id` and `enabled = false`);
    it becomes usable once merged over a base rule with the same id.
    """

    id: str
    message: str | None = None
    severity: Severity | None = None
    languages: tuple[str, ...] | None = None
    paths: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()
    pattern: str | None = None
    query: str | None = None
    suggestion: str | None = None
    enabled: bool = True
    source: str = ""
    fields: frozenset[str] = frozenset()

    @property
    def complete(self) -> bool:
        """True when the rule can report: it has a message, a severity and a matcher."""
        return bool(self.message) and self.severity is not None and self.matcher_count == 1

    @property
    def matcher_count(self) -> int:
        """How many of `pattern` and `query` are set (a usable rule has exactly one)."""
        return (self.pattern is not None) + (self.query is not None)


@dataclass(frozen=True)
class RuleSet:
    """Rules plus the problems met while loading or merging them (never raised)."""

    rules: list[Rule] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this id, if any."""
        return next((rule for rule in self.rules if rule.id == rule_id), None)
