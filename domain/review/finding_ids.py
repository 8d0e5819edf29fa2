"""Short ids for the findings of one review ("F1".."Fn"), so people can name them in `/auto-fix F2 F5`.

The ids follow the summary's order (most severe first, then path and line), so the id a reader
sees next to a finding is the one `/auto-fix` resolves; the review stores them with its findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from domain.findings import Finding
from domain.review.markers import finding_hash
from domain.review.report import sorted_findings

_ID = re.compile(r"^[Ff]?(\d{1,4})$")


@dataclass(frozen=True)
class NumberedFinding:
    id: str  # "F3"
    marker: str  # finding_hash: the hidden marker of its inline comment
    finding: Finding


def number_findings(findings: list[Finding]) -> list[NumberedFinding]:
    """Every finding with its id, in the summary's order."""
    return [
        NumberedFinding(f"F{index}", finding_hash(finding), finding)
        for index, finding in enumerate(sorted_findings(findings), start=1)
    ]


def normalise_finding_id(text: str) -> str | None:
    """ "f3", "F3" and "3" all name F3; anything else names no finding."""
    match = _ID.match(text.strip())
    return f"F{int(match.group(1))}" if match else None
