"""The generated section of a pull-request body: what and why (the model's), a walkthrough table of
the changed files, the linked ticket, the analyzers' risk and suggested labels.

The table, the ticket and the analyzers' risk are facts and are always written; without a model
the section says plainly that the model's part was skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.describe.schema import DescribeAnswer
from domain.findings import SEVERITY_ORDER

MAX_TABLE_ROWS = 60


@dataclass(frozen=True)
class WalkthroughFile:
    path: str
    status: str  # added, modified, deleted, renamed
    additions: int
    deletions: int


@dataclass(frozen=True)
class TicketLine:
    key: str
    summary: str
    status: str
    url: str | None = None


@dataclass
class DescriptionFacts:
    head_sha: str
    files: list[WalkthroughFile] = field(default_factory=list)
    ticket: TicketLine | None = None
    ticket_missing: str | None = None  # why there is no ticket, in words
    findings_by_severity: dict[str, int] = field(default_factory=dict)


def analyzers_risk(by_severity: Mapping[str, int]) -> str:
    """high with any critical or high finding, medium with a medium one, else low."""
    if by_severity.get("critical", 0) or by_severity.get("high", 0):
        return "high"
    return "medium" if by_severity.get("medium", 0) else "low"


def render_description(facts: DescriptionFacts, answer: DescribeAnswer | None, skipped_reason: str | None) -> str:
    parts = [f"## Description · head `{facts.head_sha[:7]}`", ""]
    if answer is not None:
        parts += ["### What", answer.what, ""]
        if answer.why:
            parts += ["### Why", answer.why, ""]
    else:
        parts += [f"_The model's part (what and why, file notes, labels) was skipped: {skipped_reason}._", ""]
    parts += _walkthrough(facts.files, answer)
    parts += ["### Ticket", _ticket(facts), ""]
    parts += _risk(facts.findings_by_severity, answer)
    if answer is not None and answer.labels:
        parts += ["### Labels suggested", ", ".join(f"`{label}`" for label in answer.labels), ""]
    return "\n".join(parts).rstrip() + "\n"


def _walkthrough(files: list[WalkthroughFile], answer: DescribeAnswer | None) -> list[str]:
    notes = {n.path: n.summary for n in answer.files} if answer else {}
    header = "| file | change | +/- | what changed |" if answer else "| file | change | +/- |"
    rows = [header, "|---|---|---|---|" if answer else "|---|---|---|"]
    for f in files[:MAX_TABLE_ROWS]:
        cells = [f"`{_cell(f.path)}`", f.status, f"+{f.additions} −{f.deletions}"]
        if answer:
            cells.append(_cell(notes.get(f.path, "")))
        rows.append("| " + " | ".join(cells) + " |")
    if len(files) > MAX_TABLE_ROWS:
        rows.append(f"\n… and {len(files) - MAX_TABLE_ROWS} more files.")
    return ["### Walkthrough", *rows, ""]


def _ticket(facts: DescriptionFacts) -> str:
    ticket = facts.ticket
    if ticket is None:
        return facts.ticket_missing or "No ticket linked."
    key = f"[{ticket.key}]({ticket.url})" if ticket.url else ticket.key
    return f"{key}: {ticket.summary} (status: {ticket.status})"


def _risk(by_severity: Mapping[str, int], answer: DescribeAnswer | None) -> list[str]:
    counts = [f"{by_severity[s]} {s}" for s in SEVERITY_ORDER if by_severity.get(s)]
    found = f"{sum(by_severity.values())} finding(s): {', '.join(counts)}" if counts else "no findings"
    lines = ["### Risk", f"Analyzers and house rules: **{analyzers_risk(by_severity)}** ({found})."]
    if answer is not None and answer.risk:
        lines.append(f"Model: {answer.risk}")
    return [*lines, ""]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")
