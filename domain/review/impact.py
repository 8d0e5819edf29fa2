"""Cross-repository impact findings as review findings, on the lines of the change that cause them.

An impact finding sits on its head line only when the diff shows that line (an added line, or the
context next to removed code): a comment anywhere else would be refused by GitHub. The others
stay in the summary's impact section. Findings of one rule on one line are merged into one, since
a review holds one finding per (path, line, rule).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace

from domain.findings import Finding
from domain.impact import ImpactFinding

SOURCE = "analyzer:impact"


def impact_review_findings(
    findings: Iterable[ImpactFinding], commentable: Mapping[str, Collection[int]]
) -> list[Finding]:
    """Review findings for the impact findings whose head line the diff shows (`commentable`:
    path → new-side line numbers), most severe first as given."""
    merged: dict[tuple[str, int, str], Finding] = {}
    for finding in findings:
        line = finding.head_line
        if line is None or line not in commentable.get(finding.path, ()):
            continue
        key = (finding.path, line, finding.rule_id)
        known = merged.get(key)
        if known is None:
            merged[key] = Finding(finding.path, line, finding.severity, finding.rule_id, finding.message, source=SOURCE)
        else:  # the first is the most severe: impact findings come sorted by severity
            merged[key] = replace(known, message=f"{known.message}\n{finding.message}")
    return list(merged.values())
