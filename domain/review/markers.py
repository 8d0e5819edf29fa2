"""Hidden HTML markers in posted comments, so posting again is idempotent.

The summary comment carries SUMMARY_MARKER (find it to edit it instead of adding another) and the
head it describes; each inline comment carries a short hash of its finding's fingerprint, so a
re-run (Temporal may run the posting activity twice) or a new head does not post it again.
"""

from __future__ import annotations

import hashlib
import re

from domain.findings import Finding

SUMMARY_MARKER = "<!-- pr-agent:summary -->"

_FINDING = re.compile(r"<!--\s*pr-agent:finding=([0-9a-f]{8,64})\s*-->")
_HEAD = re.compile(r"<!--\s*pr-agent:head=([0-9a-fA-F]{7,64})\s*-->")


def finding_hash(finding: Finding) -> str:
    """First 16 hex digits of the sha256 of the finding's fingerprint (path, rule, message)."""
    return hashlib.sha256(finding.fingerprint.encode("utf-8")).hexdigest()[:16]


def finding_marker(finding: Finding) -> str:
    """The hidden marker that ends an inline comment for `finding`."""
    return f"<!-- pr-agent:finding={finding_hash(finding)} -->"


def head_marker(head_sha: str) -> str:
    """The hidden marker naming the head commit a summary describes."""
    return f"<!-- pr-agent:head={head_sha} -->"


def extract_finding_markers(body: str) -> set[str]:
    """The finding hashes (as in `finding_hash`) marked in a comment body."""
    return set(_FINDING.findall(body or ""))


def extract_head_marker(body: str) -> str | None:
    """The head SHA a summary comment describes, or None when it has no head marker."""
    match = _HEAD.search(body or "")
    return match.group(1).lower() if match else None
