"""Rendering the review: the summary comment, inline comments, and the CLI's plain text.

Every posted body carries hidden markers (see `markers`) so that posting is idempotent.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from domain.feedback.mutes import muted_lines
from domain.findings import Finding
from domain.review.finding_ids import NumberedFinding, number_findings
from domain.review.markers import (
    SUMMARY_MARKER,
    extract_finding_markers,
    extract_head_marker,
    finding_hash,
    finding_marker,
    head_marker,
)
from domain.review.report import (
    ReviewReport,
    by_severity,
    counts_line,
    coverage_lines,
    one_line,
    overview_text,
    risk_label,
    scope_label,
    sorted_findings,
)

__all__ = [
    "SUMMARY_MARKER",
    "editor_page_url",
    "extract_finding_markers",
    "extract_head_marker",
    "finding_hash",
    "finding_marker",
    "literal_replacement",
    "render_inline_comment",
    "render_summary",
    "render_terminal_review",
]

# GitHub rejects comment bodies over 65,536 characters; stay well clear of it.
MAX_SUMMARY_CHARS = 60_000
MAX_SUMMARY_FINDINGS = 50


def render_summary(report: ReviewReport) -> str:
    """Markdown for the single summary comment on the pull request."""
    pr = report.pr
    parts = [
        f"{SUMMARY_MARKER} {head_marker(pr.head_sha)}",
        f"## PR Agent review · risk: {risk_label(report)}",
        _subtitle(report),
        "### Overview",
        overview_text(report),
        "### Findings",
        _findings_markdown(report),
        *_impact_markdown(report),
        "### Context",
        _context_markdown(report),
        "### Coverage",
        _coverage_markdown(report),
    ]
    not_posted = _not_posted_markdown(report)
    if not_posted:
        parts += ["### Not posted inline", not_posted]
    if report.muted:
        parts += ["### Muted rules", "\n".join(muted_lines(report.muted, pr.repo_full_name))]
    body = "\n\n".join(parts) + "\n"
    if len(body) > MAX_SUMMARY_CHARS:
        body = body[:MAX_SUMMARY_CHARS] + "\n\n… (summary truncated to fit GitHub's limit)\n"
    return body


def _impact_markdown(report: ReviewReport) -> list[str]:
    """The cross-repository impact section (it brings its own heading), when the change alters an edge."""
    section = (report.context.impact_section or "").strip()
    return [section] if section else []


def _not_posted_markdown(report: ReviewReport) -> str | None:
    lines = []
    if report.head_moved_to:
        lines.append(
            f"The pull request moved on to `{report.head_moved_to[:7]}` before this review was posted: its inline "
            "comments are left to the review of the newer head."
        )
    lines += [
        f"- [`{n.path}:{n.line}`]({blob_url(report, n.path, n.line)}) — {one_line(n.reason)}" for n in report.rejected
    ]
    return "\n".join(lines) or None


def _subtitle(report: ReviewReport) -> str:
    pr = report.pr
    bits = [f"head `{pr.head_sha[:7]}`", f"`{pr.head_ref}` → `{pr.base_ref}`", scope_label(report)]
    bits.append(counts_line(report.findings))
    if report.prompt_version:
        bits.append(f"prompt {report.prompt_version}")
    return " · ".join(bits)


def _findings_markdown(report: ReviewReport) -> str:
    if not report.findings:
        return "No findings."
    numbered = number_findings(report.findings)
    blocks: list[str] = []
    shown = 0
    for severity, group in by_severity(report.findings):
        of_severity = [n for n in numbered if n.finding.severity == severity]
        lines = [f"**{severity.capitalize()} ({len(group)})**"]
        for item in of_severity[: max(0, MAX_SUMMARY_FINDINGS - shown)]:
            lines.append(_finding_bullet(report, item))
            shown += 1
        blocks.append("\n".join(lines))
    hidden = len(report.findings) - shown
    if hidden > 0:
        blocks.append(f"… and {hidden} more, not listed here (see the inline comments).")
    if report.autofix_enabled:
        blocks.append("To have findings fixed, comment `/auto-fix` (all of them) or `/auto-fix F1 F3` (some).")
    return "\n\n".join(blocks)


def _finding_bullet(report: ReviewReport, item: NumberedFinding) -> str:
    finding = item.finding
    where = f"[`{finding.path}:{finding.line}`]({blob_url(report, finding.path, finding.line)})"
    bullet = f"- **{item.id}** {where} — {one_line(finding.message)} _({finding.rule_id}, {finding.source})_"
    link = report.autofix_links.get(item.marker)
    return f"{bullet} · [Auto-fix]({link})" if link else bullet


def blob_url(report: ReviewReport, path: str, line: int) -> str:
    """Link to a line at the reviewed head, on the pull request's own host (GitHub or GHE)."""
    pr = report.pr
    web = pr.url.split("/pull/")[0] if "/pull/" in pr.url else f"https://github.com/{pr.repo_full_name}"
    return f"{web}/blob/{pr.head_sha}/{_quote_path(path)}#L{line}"


def _context_markdown(report: ReviewReport) -> str:
    used = report.context.used()
    lines = [f"Used: {', '.join(used) if used else 'none'}."]
    if report.context.missing:
        lines.append("Not available:")
        lines.extend(f"- {one_line(reason)}" for reason in report.context.missing)
    return "\n".join(lines)


def _coverage_markdown(report: ReviewReport) -> str:
    lines = coverage_lines(report)
    if report.plan is not None and report.plan.skipped:
        lines.append("Not shown to the LLM:")
        lines.extend(f"- `{item.path}`: {item.reason}" for item in report.plan.skipped)
    return "\n".join(lines)


def render_inline_comment(
    finding: Finding,
    *,
    repo_full_name: str,
    head_sha: str,
    editor_page: str | None,
    suggestion_withheld: str | None = None,
    autofix: bool = False,
    autofix_link: str | None = None,
) -> str:
    """Markdown for one inline comment: message, suggestion, editor links, how to ask for a fix,
    hidden marker.

    `editor_page` is the https page of the API that opens this finding in the reader's editor (see
    `editor_page_url`); GitHub shows `cursor://` and `vscode://` links as plain text, so the comment
    links there. `suggestion_withheld` is the reason a suggestion is not offered as a commit.
    """
    parts = [
        f"**[{finding.severity}] {finding.rule_id}** · {finding.source}{_verified(finding)}",
        finding.message.strip(),
    ]
    if suggestion_withheld:
        parts.append(f"_A suggested change was left out: {suggestion_withheld}._")
    else:
        suggestion = _suggestion_markdown(finding.suggestion)
        if suggestion:
            parts.append(suggestion)
    parts.append(_editor_links(finding, repo_full_name, head_sha, editor_page))
    if autofix_link:
        parts.append(f"[Auto-fix]({autofix_link}) · or reply `/auto-fix` here")
    elif autofix:
        parts.append("Reply `/auto-fix` here to have it fixed.")
    return "\n\n".join(parts) + "\n" + finding_marker(finding)


def _verified(finding: Finding) -> str:
    if finding.verified_score is None:
        return ""
    if finding.source == "llm":
        return f" · verified against the code ({finding.verified_score}/10)"
    return f" · confirmed by the model ({finding.verified_score}/10)"


def editor_page_url(public_base_url: str, repo_full_name: str, number: int, finding: Finding) -> str:
    """The API page that opens `finding` in Cursor or VS Code (served by api/routes/editor.py)."""
    return f"{public_base_url.rstrip('/')}/ide/{repo_full_name}/pull/{number}/{finding_hash(finding)}"


def _suggestion_markdown(suggestion: str | None) -> str | None:
    if suggestion is None or not suggestion.strip():
        return None
    literal = literal_replacement(suggestion)
    if literal is None:
        return f"**Suggestion:** {suggestion.strip()}"
    fence = "````" if "```" in literal else "```"
    return f"{fence}suggestion\n{literal}\n{fence}"


_FENCED = re.compile(r"^\s*```[A-Za-z0-9_+-]*[ \t]*\n(.*?)\n\s*```\s*$", re.DOTALL)
_PROSE_START = re.compile(r"^(?:[A-Z][a-z]+|[A-Z]) [a-z'’]+\b")
_CODE_CHARS = re.compile(r"[=(){}\[\];<>$]|->|::|\w\.\w")
_CODE_START = re.compile(
    r"^\s*(?:(?:import|from|return|yield|pass|break|continue|raise|throw|const|let|var|def)\b"
    r"|#|//|/\*)"
)


def literal_replacement(suggestion: str) -> str | None:
    """The replacement code when `suggestion` is one, None when it may be prose.

    GitHub applies a suggestion block verbatim, so only clear code qualifies: a fenced block, or a
    short text that does not open like an English sentence ("Use a parameterised query") and has
    the punctuation or opening keyword of code. Anything else is shown as prose.
    """
    fenced = _FENCED.match(suggestion)
    if fenced:
        return fenced.group(1)
    text = suggestion.strip("\n")
    lines = text.splitlines()
    if not text.strip() or len(lines) > 20 or _PROSE_START.match(lines[0].strip()):
        return None
    if _CODE_CHARS.search(text) or _CODE_START.match(text):
        return text
    return None


def _editor_links(finding: Finding, repo_full_name: str, head_sha: str, editor_page: str | None) -> str:
    web = f"https://vscode.dev/github/{repo_full_name}/blob/{head_sha}/{_quote_path(finding.path)}#L{finding.line}"
    links = [f"[Open on vscode.dev]({web})"]
    if editor_page:
        links[:0] = [f"[Fix in Cursor]({editor_page}?editor=cursor)", f"[Open in VS Code]({editor_page}?editor=vscode)"]
    return " · ".join(links)


def _quote_path(path: str) -> str:
    return quote(path, safe="/:~._-@+")


def render_terminal_review(report: ReviewReport) -> str:
    """Plain text of the review for `pr-agent review` (no markdown, no markers)."""
    pr = report.pr
    lines = [
        f"PR Agent review: {pr.repo_full_name}#{pr.number} {pr.title}".rstrip(),
        f"head {pr.head_sha[:7]} ({pr.head_ref} -> {pr.base_ref}), {scope_label(report)}, "
        f"{counts_line(report.findings)}",
        f"Risk: {risk_label(report)}",
        "",
        overview_text(report),
        "",
    ]
    lines.extend(_terminal_findings(report.findings))
    impact = (report.context.impact_section or "").strip()
    if impact:
        lines += ["", impact.replace("### ", "", 1).replace("**", "")]
    used = report.context.used()
    lines += ["", f"Context used: {', '.join(used) if used else 'none'}"]
    lines.extend(f"Context missing: {one_line(reason)}" for reason in report.context.missing)
    lines += ["", *coverage_lines(report)]
    if report.plan is not None:
        lines.extend(f"  skipped {item.path}: {item.reason}" for item in report.plan.skipped)
    if report.muted:
        lines += [
            "",
            "Muted rules:",
            *(line.removeprefix("- ") for line in muted_lines(report.muted, pr.repo_full_name)),
        ]
    return "\n".join(lines) + "\n"


def _terminal_findings(findings: list[Finding]) -> list[str]:
    if not findings:
        return ["No findings."]
    lines = [f"Findings ({len(findings)}):"]
    for f in sorted_findings(findings):
        lines.append(f"  {f.severity.upper():<8} {f.path}:{f.line}  [{f.rule_id}] {one_line(f.message)}")
        if f.suggestion and f.suggestion.strip():
            lines.append(f"           suggestion: {one_line(f.suggestion)}")
    return lines
