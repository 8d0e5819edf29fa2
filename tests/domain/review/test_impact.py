"""Impact findings become review findings only on lines the diff shows, one per line and rule."""

from __future__ import annotations

from domain.impact import Evidence, ImpactFinding
from domain.review.impact import SOURCE, impact_review_findings


def _finding(name: str, severity: str = "high", line: int | None = 6, path: str = "src/user.dto.ts") -> ImpactFinding:
    evidence = (Evidence("acme/web", "src/api/users.ts", 12, "calls GET"),)
    return ImpactFinding(
        rule_id="impact.route-changed",
        severity=severity,  # type: ignore[arg-type]
        message=f"Changes `{name}`, called by acme/web `src/api/users.ts:12`.",
        kind="route",
        name=name,
        change="changed",
        path=path,
        line=line or 1,
        line_side="head",
        head_line=line,
        evidence=evidence,
    )


def test_findings_on_shown_lines_become_review_findings_merged_per_line_and_rule() -> None:
    found = [_finding("GET /api/users"), _finding("GET /api/users/:slug", "medium")]
    [finding] = impact_review_findings(found, {"src/user.dto.ts": {5, 6, 7}})
    assert (finding.path, finding.line, finding.severity, finding.source) == ("src/user.dto.ts", 6, "high", SOURCE)
    assert finding.message.splitlines() == [f.message for f in found]


def test_lines_the_diff_does_not_show_and_deleted_files_stay_in_the_summary_only() -> None:
    found = [_finding("GET /a", line=40), _finding("GET /b", line=None), _finding("GET /c", path="src/other.ts")]
    assert impact_review_findings(found, {"src/user.dto.ts": {5, 6, 7}}) == []
