"""Muted rules in a review: their findings are held back, and the summary says which rules and why.

`MutedRule` travels in workflow histories (fields only ever added, with defaults).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from domain.findings import Finding


@dataclass(frozen=True)
class MutedRule:
    """A rule muted in a repository, with the numbers that muted it; `held_back`: findings not posted this time."""

    rule_id: str
    precision: float
    accepted: int
    rejected: int
    held_back: int = 0

    @property
    def votes(self) -> int:
        return self.accepted + self.rejected


def hold_back_muted(findings: list[Finding], muted: list[MutedRule]) -> tuple[list[Finding], list[MutedRule]]:
    """The findings of rules that are not muted, and the muted rules that held some back (with how many)."""
    by_rule = {rule.rule_id: rule for rule in muted}
    kept = [f for f in findings if f.rule_id not in by_rule]
    held = [replace(rule, held_back=sum(f.rule_id == rule.rule_id for f in findings)) for rule in muted]
    return kept, [rule for rule in held if rule.held_back]


def muted_lines(muted: list[MutedRule], repository: str) -> list[str]:
    """Markdown bullets for the summary: each muted rule, its numbers, and how to unmute it."""
    return [
        f"- `{rule.rule_id}`: {rule.held_back} finding{'s' if rule.held_back != 1 else ''} held back. Muted in "
        f"{repository} at precision {rule.precision:.2f} over {rule.votes} votes ({rule.accepted} accepted, "
        f"{rule.rejected} rejected); an admin can unmute it (`pr-agent rules unmute {repository} {rule.rule_id}`)."
        for rule in muted
    ]
