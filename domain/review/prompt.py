"""Assembling the review prompt from versioned templates in prompts/review/<version>/.

Templates are `string.Template` files (`$placeholder`), so a prompt change is a reviewed text
diff and the version (the folder name, e.g. "review-v1") can be recorded with every review.
Every context section is capped so that one huge ticket or architecture document cannot crowd
out the diff; the diff itself is already cut to its budget by `budget.plan_coverage`.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from domain.findings import Finding, severity_rank
from domain.review.context import JiraContext, PullRequestInfo, RelatedSnippet, ReviewContextBundle
from domain.review.schema import review_json_schema

PROMPTS_ROOT = Path(__file__).resolve().parents[2] / "prompts" / "review"

# Character caps per section (about a quarter of that in tokens).
MAX_BODY_CHARS = 4_000
MAX_ARCHITECTURE_CHARS = 8_000
MAX_RELATED_REPOS_CHARS = 3_000
MAX_JIRA_TEXT_CHARS = 3_000
MAX_SNIPPET_CHARS = 1_500
MAX_SNIPPETS = 8
MAX_FINDINGS = 60
MAX_IMPACT_CHARS = 3_000

NONE = "(none)"
WHOLE_CHANGE = "The whole change below."


def current_prompt_dir(root: Path = PROMPTS_ROOT) -> Path:
    """The folder of the prompt version in use, named by `root/VERSION` (e.g. "v1")."""
    version = (root / "VERSION").read_text(encoding="utf-8").strip()
    return root / version


def prompt_version(prompt_dir: Path) -> str:
    """The version string recorded with a review, e.g. "review-v1" for prompts/review/v1."""
    return f"review-{prompt_dir.name}"


def build_review_messages(
    pr: PullRequestInfo,
    context: ReviewContextBundle,
    diff_text: str,
    findings: list[Finding],
    prompt_dir: Path,
    scope: str = WHOLE_CHANGE,
) -> list[dict[str, str]]:
    """System and user chat messages for one review call.

    `scope` says what this call reviews: the whole change, one part of a large one, or the commits
    since the last reviewed head (templates before v2 have no place for it and ignore it; nor have
    those before v3 a place for the cross-repository impact).

    To size the diff budget, call this with `diff_text=""` and subtract the estimated tokens of
    the result from the model's context budget.
    """
    system = (prompt_dir / "system.md").read_text(encoding="utf-8").strip()
    template = Template((prompt_dir / "user.md").read_text(encoding="utf-8"))
    user = template.substitute(
        repo=pr.repo_full_name,
        number=pr.number,
        title=pr.title.strip() or "(untitled)",
        author=pr.author,
        base_ref=pr.base_ref,
        head_ref=pr.head_ref,
        head_sha=pr.head_sha,
        body=_cap(pr.body, MAX_BODY_CHARS) or "(no description)",
        jira=render_jira(context.jira),
        architecture=_cap(context.architecture, MAX_ARCHITECTURE_CHARS) or NONE,
        related_repos=_cap(context.related_repos, MAX_RELATED_REPOS_CHARS) or NONE,
        house_rules=_bullets(context.house_rules),
        related_code=render_snippets(context.related_code),
        impact=_cap(context.impact_prompt, MAX_IMPACT_CHARS) or NONE,
        missing=_bullets(context.missing),
        findings=render_findings_for_prompt(findings),
        diff=diff_text.rstrip() or "(no hunks fit the budget)",
        schema=review_json_schema(),
        scope=scope,
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user.strip()}]


def render_jira(jira: JiraContext | None) -> str:
    """The ticket as a few labelled lines, or "(none)"."""
    if jira is None:
        return NONE
    lines = [f"{jira.key}: {jira.summary} (status: {jira.status})"]
    if jira.description and jira.description.strip():
        lines.append("Description:\n" + _cap(jira.description, MAX_JIRA_TEXT_CHARS))
    if jira.acceptance_criteria and jira.acceptance_criteria.strip():
        lines.append("Acceptance criteria:\n" + _cap(jira.acceptance_criteria, MAX_JIRA_TEXT_CHARS))
    return "\n".join(lines)


def render_snippets(snippets: list[RelatedSnippet]) -> str:
    """The best-scoring snippets, each under its path and line range, or "(none)"."""
    best = sorted(snippets, key=lambda s: -s.score)[:MAX_SNIPPETS]
    if not best:
        return NONE
    blocks = [
        f"{s.path} lines {s.start_line}-{s.end_line}:\n```\n{_cap(s.content, MAX_SNIPPET_CHARS)}\n```" for s in best
    ]
    return "\n\n".join(blocks)


def render_findings_for_prompt(findings: list[Finding]) -> str:
    """Analyzer and rule findings, most severe first, one per line, or "(none)"."""
    ordered = sorted(findings, key=lambda f: (severity_rank(f.severity), f.path, f.line))
    lines = [f"- {f.path}:{f.line} [{f.severity}] {f.rule_id}: {_one_line(f.message)}" for f in ordered[:MAX_FINDINGS]]
    if len(ordered) > MAX_FINDINGS:
        lines.append(f"- … and {len(ordered) - MAX_FINDINGS} more")
    return "\n".join(lines) or NONE


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {_one_line(item)}" for item in items if item.strip()) or NONE


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cap(text: str | None, limit: int) -> str:
    """The stripped text, cut at `limit` characters with a visible note when it was longer."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + f"\n… (truncated, {len(text) - limit} more characters)"
