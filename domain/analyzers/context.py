"""What analyzers may know beyond the diff itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.analyzers.source import SourceView, build_source
from domain.diff import FileDiff
from domain.findings import Finding, Severity


@dataclass(frozen=True)
class InternalPackageInfo:
    """The newest published state of one of the organisation's own npm packages."""

    latest_version: str
    deprecated: bool = False
    deprecation_message: str | None = None


@dataclass
class AnalyzerContext:
    """Optional knowledge for analyzers; every analyzer also works with an empty context.

    `file_contents`: full new-side text per path, when the caller has it.
    `internal_packages`: npm name → newest published state.
    `known_topics`: "published" and "subscribed" → Pub/Sub topic names seen in indexed
    repositories; an empty set means unknown, not "none".
    """

    file_contents: dict[str, str] = field(default_factory=dict)
    internal_packages: dict[str, InternalPackageInfo] = field(default_factory=dict)
    known_topics: dict[str, set[str]] = field(default_factory=dict)

    def source(self, file: FileDiff) -> SourceView:
        """The aligned new-side view of `file`, from its full text when known."""
        return build_source(file, self.file_contents.get(file.path))


def make_finding(
    analyzer: str,
    view: SourceView,
    line: int,
    severity: Severity,
    rule_id: str,
    message: str,
    suggestion: str | None = None,
) -> Finding:
    """A Finding from analyzer `analyzer` on `line` of the viewed file."""
    return Finding(
        path=view.path,
        line=line,
        severity=severity,
        rule_id=rule_id,
        message=message,
        suggestion=suggestion,
        source=f"analyzer:{analyzer}",
    )
