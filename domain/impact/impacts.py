"""Impact findings: an edge change meets the repositories that use it.

Severity by kind of change: a removal or an incompatible change is high; the same reaching
only uncertain uses (`SELECT *`, unknown message fields) or only consumers pinned to an older
package version is medium; a version bump leaving dependants behind is low; an addition, or a
compatible change, that already has users is info. No user in another repository, no finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.impact.consumers import Use, uses_of
from domain.impact.facts import RepositoryFacts
from domain.impact.model import EdgeChange, Severity

_SHOWN_USES = 3
_VERBS = {
    ("route", "removed"): "removes",
    ("route", "added"): "adds",
    ("route", "changed"): "changes",
    ("table", "removed"): "drops table",
    ("table", "added"): "creates table",
    ("column", "removed"): "drops column",
    ("column", "added"): "adds column",
    ("column", "changed"): "alters column",
    ("export", "removed"): "removes export",
    ("export", "added"): "adds export",
    ("export", "changed"): "changes export",
    ("package", "removed"): "removes package",
    ("package", "added"): "adds package",
    ("package", "changed"): "releases",
}


@dataclass(frozen=True)
class Evidence:
    """Where a consumer uses the edge: `repository` `path:line`, and how."""

    repository: str
    path: str
    line: int
    what: str
    certain: bool = True
    pinned: str = ""

    @property
    def location(self) -> str:
        """`acme/web src/api/users.ts:42`."""
        return f"{self.repository} {self.path}:{self.line}"


@dataclass(frozen=True)
class ImpactFinding:
    """One edge change and the consumers it reaches, ready to become a review finding.

    `path`/`line` is the producer's changed line (head side when `line_side` is head);
    `head_line` the head line a comment can sit on (None for a deleted file).
    """

    rule_id: str
    severity: Severity
    message: str
    kind: str
    name: str
    change: str
    path: str
    line: int
    line_side: str
    head_line: int | None
    evidence: tuple[Evidence, ...]

    @property
    def consumers(self) -> tuple[str, ...]:
        """Consumer repositories, in order of first evidence."""
        return tuple(dict.fromkeys(e.repository for e in self.evidence))


def find_impacts(
    changes: Iterable[EdgeChange], facts: Iterable[RepositoryFacts], route_prefixes: Iterable[str] = ()
) -> list[ImpactFinding]:
    """Findings for every change some other repository uses, most severe first.

    `facts` of the producer itself are skipped (its own uses are the change's business);
    `route_prefixes` are prefixes the producer serves routes under, added to those in its facts.
    """
    changes = list(changes)
    producers = {c.repository for c in changes}
    facts = list(facts)
    prefixes = {p for f in facts if f.repository in producers for p in f.route_prefixes} | set(route_prefixes)
    findings = []
    for change in changes:
        uses = [u for f in facts if f.repository != change.repository for u in uses_of(change, f, sorted(prefixes))]
        if uses:
            findings.append(_finding(change, uses))
    order = ("critical", "high", "medium", "low", "info")
    return sorted(findings, key=lambda f: (order.index(f.severity), f.path, f.line, f.name))


def _finding(change: EdgeChange, uses: list[Use]) -> ImpactFinding:
    evidence = tuple(Evidence(u.repository, u.path, u.line, u.what, u.certain, u.pinned) for u in uses)
    return ImpactFinding(
        rule_id=f"impact.{change.kind}-{change.change}",
        severity=_severity(change, uses),
        message=_message(change, evidence),
        kind=change.kind,
        name=change.name,
        change=change.change,
        path=change.path,
        line=change.line,
        line_side=change.side,
        head_line=change.head_line,
        evidence=evidence,
    )


def _severity(change: EdgeChange, uses: list[Use]) -> Severity:
    if change.kind == "package" and change.change == "changed":
        return "low"
    harmful = change.change == "removed" or (change.change == "changed" and change.breaking)
    if not harmful:
        return "info"
    if any(u.certain and not u.pinned for u in uses):
        return "high"
    return "medium"


def _message(change: EdgeChange, evidence: tuple[Evidence, ...]) -> str:
    return f"{_what_changed(change)}, {_who(change, evidence)}."


def _what_changed(change: EdgeChange) -> str:
    if change.kind == "topic":
        publish = change.edge.parts[1] == "publish"
        verb = {
            "removed": "Stops publishing to" if publish else "Stops consuming",
            "added": "Starts publishing to" if publish else "Starts consuming",
            "changed": "Changes the messages published to" if publish else "Changes how it consumes",
        }[change.change]
        text = f"{verb} topic `{change.name}`"
    elif change.kind == "package" and change.change == "changed":
        text = f"Releases `{change.name}` {change.edge.version}"
    else:
        text = f"{_VERBS[(change.kind, change.change)].capitalize()} `{change.name}`"
    return (
        f"{text} ({change.detail})"
        if change.detail and not (change.kind == "package" and change.change == "changed")
        else text
    )


def _who(change: EdgeChange, evidence: tuple[Evidence, ...]) -> str:
    shown = ", ".join(f"{e.repository} `{e.path}:{e.line}`{_note(change, e)}" for e in evidence[:_SHOWN_USES])
    more = len(evidence) - _SHOWN_USES
    tail = f" and {more} more" if more > 0 else ""
    if change.kind == "package" and change.change == "changed":
        return f"which {shown}{tail} does not take yet"
    return {
        "route": "called by",
        "topic": "used by",
        "table": "used by",
        "column": "used by",
        "export": "imported by",
        "package": "a dependency of",
    }[change.kind] + f" {shown}{tail}"


def _note(change: EdgeChange, evidence: Evidence) -> str:
    if evidence.pinned and change.kind == "package":
        return f" (pinned to `{evidence.pinned}`)"
    if evidence.pinned:
        return f" (pinned to `{evidence.pinned}`: breaks when it upgrades)"
    return "" if evidence.certain else f" ({evidence.what})"
