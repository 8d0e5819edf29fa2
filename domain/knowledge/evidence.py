"""What the Knowledge Assistant retrieves and cites: evidence items and the citations an answer makes.

Plain dataclasses, because they travel through AskKnowledge's event history (contracts/knowledge.py
carries them); fields are only ever added, with defaults, so recorded histories still replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EvidenceKind = Literal["code", "architecture", "ticket", "pull_request", "commit"]


@dataclass(kw_only=True)
class Evidence:
    """One retrieved item. `ref` is how an answer cites it: `owner/repo:path:line`, `KEY-12`,
    `owner/repo#42` (pull request), `owner/repo@abc1234` (commit), `owner/repo:architecture#section`."""

    kind: EvidenceKind
    ref: str
    title: str
    excerpt: str
    repository: str | None = None
    url: str | None = None
    score: float = 0.0
    path: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    commit_sha: str | None = None
    repo_url: str | None = None  # the repository's web address, for links to cited lines


@dataclass(kw_only=True)
class Citation:
    """A citation found in the answer; `known` when it points at retrieved evidence."""

    text: str
    kind: EvidenceKind
    known: bool
    url: str | None = None
