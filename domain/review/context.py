"""What a review knows besides the diff: the pull request, its ticket, architecture and code context.

These are plain dataclasses because they travel through workflow histories (activity results and
inputs); new fields are only ever added with defaults so old histories still replay.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PullRequestInfo:
    """The pull request under review, as the provider (GitHub or a local git checkout) reports it."""

    repo_full_name: str
    number: int
    title: str
    body: str
    author: str
    base_ref: str
    head_ref: str
    head_sha: str
    url: str = ""


@dataclass(frozen=True)
class JiraContext:
    """The Jira ticket a change refers to; `acceptance_criteria` is None when the ticket has none."""

    key: str
    summary: str
    status: str
    description: str | None = None
    acceptance_criteria: str | None = None


@dataclass(frozen=True)
class RelatedSnippet:
    """A piece of existing code that retrieval found close to the change (higher score = closer)."""

    path: str
    start_line: int
    end_line: int
    content: str
    score: float


@dataclass
class ReviewContextBundle:
    """Everything the review may use as context, and plainly why any of it is missing.

    `missing` holds human-readable reasons ("no architecture analysis yet for acme/api") that the
    summary comment shows, so a reader knows what the reviewer could not see.
    """

    architecture: str | None = None
    related_repos: str | None = None
    jira: JiraContext | None = None
    related_code: list[RelatedSnippet] = field(default_factory=list)
    house_rules: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    # Cross-repository impact (domain.impact): what the model reads, and the summary's section.
    impact_prompt: str | None = None
    impact_section: str | None = None

    def used(self) -> list[str]:
        """Short names of the context sources this bundle actually holds, in a stable order."""
        sources: list[str] = []
        if _has_text(self.architecture):
            sources.append("architecture analysis")
        if _has_text(self.related_repos):
            sources.append("related repositories")
        if self.jira is not None:
            sources.append(f"Jira {self.jira.key}")
        if self.related_code:
            sources.append(f"related code ({_plural(len(self.related_code), 'snippet')})")
        if self.house_rules:
            sources.append(f"house rules ({_plural(len(self.house_rules), 'rule')})")
        if _has_text(self.impact_prompt):
            sources.append("cross-repository impact")
        return sources


def _has_text(value: str | None) -> bool:
    return value is not None and value.strip() != ""


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# A Jira key is a project key (a letter, then letters, digits or underscores) and an issue number.
# The look-behind keeps "XABC-1" or "v2ABC-1" from yielding a key out of the middle of a word, while
# still allowing "feature/ABC-12-fix" and "feature-ABC-12".
_JIRA_KEY = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_]{1,19})-([1-9][0-9]{0,8})(?![0-9])")

# Prefixes that look like project keys but name standards, hashes and encodings ("UTF-8",
# "ISO-8859-1", "SHA-256", "RFC-7231", "CVE-2024-1234"); an organisation whose Jira project really
# is called "ISO" can pass `projects=` to find_jira_keys.
_NOT_PROJECTS = frozenset(
    {
        "AES",
        "AGPL",
        "BSD",
        "CP",
        "CVE",
        "CWE",
        "ECMA",
        "ES",
        "GPL",
        "HTTP",
        "IEC",
        "IEEE",
        "ISO",
        "LGPL",
        "MD",
        "PEP",
        "RFC",
        "RSA",
        "SHA",
        "SSL",
        "TLS",
        "UCS",
        "UTF",
        "WCAG",
        "WIN",
    }
)


def find_jira_keys(*texts: str | None, projects: Collection[str] | None = None) -> list[str]:
    """Jira issue keys (ABC-123) mentioned in the given texts, de-duplicated, first mention first.

    Texts are typically the PR title, the branch name and the body. Without `projects` only
    upper-case keys count (Jira keys are upper case; "utf-8" or "release-2" in a branch name are
    not tickets) and well-known standards such as UTF-8 or SHA-256 are ignored. With `projects`
    (the organisation's Jira project keys) matching is case-insensitive, so a branch named
    "abc-123-fix-login" still finds ABC-123, and only keys of those projects are returned.
    """
    wanted = {p.upper() for p in projects} if projects is not None else None
    keys: list[str] = []
    for text in texts:
        for match in _JIRA_KEY.finditer(text or ""):
            key = _accept(match.group(1), match.group(2), wanted)
            if key is not None and key not in keys:
                keys.append(key)
    return keys


def _accept(project: str, number: str, wanted: set[str] | None) -> str | None:
    if wanted is not None:
        return f"{project.upper()}-{number}" if project.upper() in wanted else None
    if project != project.upper() or project in _NOT_PROJECTS:
        return None
    return f"{project}-{number}"
