"""The impact report as text: a summary section for people and a context block for the model."""

from __future__ import annotations

from domain.impact.assess import ImpactReport

SECTION_TITLE = "Impact on other repositories"


def impact_section(report: ImpactReport) -> str:
    """Markdown for the review summary; "" when the change alters no edge at all."""
    if not report.changes:
        return ""
    lines = [f"### {SECTION_TITLE}", ""]
    if report.findings:
        for finding in report.findings:
            lines.append(f"- **{finding.severity}** {finding.message} (`{finding.path}:{finding.line}`)")
    else:
        count = len(report.changes)
        lines.append(f"No other indexed repository uses what this change alters ({count} edge change(s) checked).")
    if report.notes:
        lines += ["", "Data missing or old, so this list may be incomplete:"]
        lines += [f"- {note.message}" for note in report.notes]
    return "\n".join(lines) + "\n"


def impact_prompt_context(report: ImpactReport, max_chars: int = 3000) -> str:
    """Plain lines for the model: what the change alters and who uses it, with evidence."""
    if not report.changes:
        return ""
    lines = ["Cross-repository impact (deterministic, from indexed repositories):"]
    for finding in report.findings:
        lines.append(f"- [{finding.severity}] {finding.message}")
        lines += [f"    {e.location}: {e.what}" for e in finding.evidence]
    affected = {(f.kind, f.name) for f in report.findings}
    quiet = [c for c in report.changes if (c.kind, c.name) not in affected]
    if quiet:
        lines.append(
            "Edge changes with no known user elsewhere: " + "; ".join(f"{c.change} {c.kind} `{c.name}`" for c in quiet)
        )
    lines += [f"- Note: {note.message}" for note in report.notes]
    text = "\n".join(lines)
    return text if len(text) <= max_chars else text[: max_chars - 20].rsplit("\n", 1)[0] + "\n- (truncated)"
