"""The finding: what an analyzer, a house rule or the LLM says about one line of a change.

Findings travel through workflow histories, so they are plain dataclasses whose fields are only
ever added as optional (old histories must still replay).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["critical", "high", "medium", "low", "info"]

# Most severe first: the order reviews list findings in and budgets keep them in.
SEVERITY_ORDER: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")


@dataclass(frozen=True)
class Finding:
    """One problem on one line of the new side of a change.

    `line` is the 1-based line number in the file at the head commit; only added or changed lines
    are ever reported. `source` says who found it: "analyzer:<name>", "rule" or "llm".
    """

    path: str
    line: int
    severity: Severity
    rule_id: str
    message: str
    suggestion: str | None = None
    source: str = "analyzer"
    # First line of a multi-line comment (GitHub's `start_line`); its suggestion replaces start_line..line.
    start_line: int | None = None
    # The verification pass's 0-10 score: a kept model comment's, or an analyzer finding the model confirmed.
    verified_score: int | None = None

    @property
    def fingerprint(self) -> str:
        """Identity of a finding across heads: same file, rule and message, whatever the line."""
        return f"{self.path}|{self.rule_id}|{self.message}"


def severity_rank(severity: Severity) -> int:
    """0 for the most severe; used to sort findings most severe first."""
    return SEVERITY_ORDER.index(severity)
