from __future__ import annotations

import hashlib

import pytest

from domain.findings import Finding
from domain.review.budget import CoveragePlan, SkippedItem
from domain.review.context import ReviewContextBundle
from domain.review.render import (
    SUMMARY_MARKER,
    editor_page_url,
    extract_finding_markers,
    extract_head_marker,
    finding_marker,
    literal_replacement,
    render_inline_comment,
    render_summary,
    render_terminal_review,
)
from domain.review.report import (
    SKIP_BUDGET_EXHAUSTED,
    SKIP_NO_API_KEY,
    ReviewReport,
    skip_provider_failed,
)
from domain.review.schema import LlmReview
from tests.domain.review.helpers import pr_info

SHA = "0123456789abcdef0123456789abcdef01234567"

SQL = Finding(
    "application/models/songsmodel.php",
    58,
    "high",
    "php/sql-concat",
    "SQL built by concatenation",
    suggestion="Use a prepared statement with bound parameters.",
    source="analyzer:php",
)
DEBUG = Finding("app/main.py", 7, "low", "rule/no-print", "Debug print left in", source="rule")
LLM = Finding(
    "src/feed.ts",
    31,
    "medium",
    "llm/bug",
    "Feed ignores pagination",
    suggestion="return this.articleService.findFeed(userId, query, page);",
    source="llm",
)


def _report(**changes: object) -> ReviewReport:
    values: dict[str, object] = {
        "pr": pr_info(head_sha=SHA),
        "findings": [DEBUG, SQL, LLM],
        "context": ReviewContextBundle(
            architecture="Billing API", missing=["no architecture analysis yet for acme/ledger"]
        ),
        "llm_review": LlmReview(summary="Adds a feed endpoint.", risk="medium", dropped=2),
        "plan": CoveragePlan(
            included=[("src/feed.ts", 0), ("src/feed.ts", 1)],
            skipped=[SkippedItem("package-lock.json", "over the token budget (~9000 tokens, 1 hunk)")],
            budget_tokens=6000,
            used_tokens=1200,
        ),
        "prompt_version": "review-v1",
    }
    values.update(changes)
    return ReviewReport(**values)  # type: ignore[arg-type]


def test_summary_starts_with_both_markers_and_the_head_is_extractable() -> None:
    body = render_summary(_report())
    assert body.splitlines()[0].startswith(SUMMARY_MARKER)
    assert extract_head_marker(body) == SHA


def test_summary_uses_the_llm_summary_and_groups_findings_by_severity() -> None:
    body = render_summary(_report())
    assert "risk: medium" in body
    assert "Adds a feed endpoint." in body
    assert body.index("**High (1)**") < body.index("**Medium (1)**") < body.index("**Low (1)**")
    url = f"https://github.com/acme/api/blob/{SHA}/application/models/songsmodel.php#L58"
    assert f"[`application/models/songsmodel.php:58`]({url})" in body
    assert "3 findings (1 high, 1 medium, 1 low; analyzers 1, house rules 1, LLM 1)" in body


def test_summary_reports_context_and_coverage() -> None:
    body = render_summary(_report())
    assert "Used: architecture analysis." in body
    assert "- no architecture analysis yet for acme/ledger" in body
    assert "The LLM saw 2 hunks in 1 of 2 changed files (sent ~1,200 diff tokens of a 6,000-token budget)." in body
    assert "- `package-lock.json`: over the token budget (~9000 tokens, 1 hunk)" in body
    assert "2 LLM comments pointed outside the changed lines and were dropped." in body


@pytest.mark.parametrize(
    ("reason", "statement"),
    [
        (SKIP_NO_API_KEY, "LLM review skipped: no LLM_API key configured."),
        (SKIP_BUDGET_EXHAUSTED, "LLM review skipped: monthly budget exhausted."),
        (skip_provider_failed(3), "LLM review skipped: LLM provider failed after 3 attempts."),
        (None, "LLM review skipped: no reason was recorded."),
    ],
)
def test_skipped_llm_is_stated_plainly(reason: str | None, statement: str) -> None:
    report = _report(llm_review=None, llm_skipped_reason=reason, plan=None, files_changed=4)
    for text in (render_summary(report), render_terminal_review(report)):
        assert statement in text
        assert "Adds a feed endpoint." not in text
        assert "not assessed" in text
    assert "Analyzers and house rules ran on all 4 changed files" in render_summary(report)


def test_summary_links_follow_an_enterprise_host() -> None:
    pr = pr_info(head_sha=SHA, url="https://git.acme.io/acme/api/pull/42")
    body = render_summary(_report(pr=pr))
    assert f"https://git.acme.io/acme/api/blob/{SHA}/app/main.py#L7" in body


def test_summary_without_findings_says_so() -> None:
    assert "No findings." in render_summary(_report(findings=[]))


def test_inline_comment_links_to_the_editor_page_and_carries_its_marker() -> None:
    page = editor_page_url("https://pr-agent.example.com/", "acme/api", 12, LLM)
    digest = hashlib.sha256(LLM.fingerprint.encode()).hexdigest()[:16]
    assert page == f"https://pr-agent.example.com/ide/acme/api/pull/12/{digest}"
    body = render_inline_comment(LLM, repo_full_name="acme/api", head_sha=SHA, editor_page=page)
    assert f"[Fix in Cursor]({page}?editor=cursor)" in body
    assert f"[Open in VS Code]({page}?editor=vscode)" in body
    assert f"(https://vscode.dev/github/acme/api/blob/{SHA}/src/feed.ts#L31)" in body
    assert "cursor://" not in body and "vscode://" not in body  # GitHub shows those as plain text
    assert body.rstrip().endswith(f"<!-- pr-agent:finding={digest} -->")
    assert extract_finding_markers(body) == {digest}


def test_without_an_editor_page_only_the_web_editor_is_linked() -> None:
    body = render_inline_comment(LLM, repo_full_name="acme/api", head_sha=SHA, editor_page=None)
    assert "Fix in Cursor" not in body and "vscode.dev" in body


def test_a_withheld_suggestion_is_not_offered_as_a_commit() -> None:
    body = render_inline_comment(LLM, repo_full_name="a/b", head_sha=SHA, editor_page=None, suggestion_withheld="x")
    assert "```suggestion" not in body
    assert "A suggested change was left out: x." in body


def test_code_suggestion_becomes_a_suggestion_block_and_prose_stays_prose() -> None:
    code = render_inline_comment(LLM, repo_full_name="a/b", head_sha=SHA, editor_page=None)
    assert "```suggestion\nreturn this.articleService.findFeed(userId, query, page);\n```" in code
    prose = render_inline_comment(SQL, repo_full_name="a/b", head_sha=SHA, editor_page=None)
    assert "```suggestion" not in prose
    assert "**Suggestion:** Use a prepared statement with bound parameters." in prose


@pytest.mark.parametrize(
    ("suggestion", "literal"),
    [
        ("```php\n$stmt->execute([$id]);\n```", "$stmt->execute([$id]);"),
        ("    yield conn", "    yield conn"),
        ("Add a guard for empty follows", None),
        ("    return repo_type(conn)", "    return repo_type(conn)"),
        ("import os", "import os"),
        ("Consider using `findFeed()` here", None),
        ("escape the output.", None),
        ("", None),
    ],
)
def test_literal_replacement(suggestion: str, literal: str | None) -> None:
    assert literal_replacement(suggestion) == literal


def test_markers_differ_per_finding_and_ignore_the_line() -> None:
    moved = Finding(DEBUG.path, 99, DEBUG.severity, DEBUG.rule_id, DEBUG.message, source="rule")
    assert finding_marker(moved) == finding_marker(DEBUG)
    assert finding_marker(SQL) != finding_marker(DEBUG)
    bodies = "\n".join(
        render_inline_comment(f, repo_full_name="a/b", head_sha=SHA, editor_page=None) for f in (SQL, DEBUG)
    )
    assert len(extract_finding_markers(bodies)) == 2


def test_bodies_without_markers_yield_nothing() -> None:
    assert extract_head_marker("a human comment") is None
    assert extract_finding_markers("<!-- something else -->") == set()


def test_terminal_review_is_plain_text_with_every_finding() -> None:
    text = render_terminal_review(_report())
    assert "<!--" not in text and "```" not in text
    assert "Risk: medium" in text
    lines = text.splitlines()
    ordered = [next(i for i, ln in enumerate(lines) if f.path in ln) for f in (SQL, LLM, DEBUG)]
    assert ordered == sorted(ordered), "most severe first"
    assert "skipped package-lock.json: over the token budget" in text


IMPACT = (
    "### Impact on other repositories\n\n- **high** Removes `DELETE /api/users/:slug`, called by acme/web "
    "`src/api/users.ts:22`. (`src/users/users.controller.ts:31`)\n\nData missing or old, so this list may be "
    "incomplete:\n- acme/admin is not indexed: its uses of this change are unknown.\n"
)


def test_the_impact_section_follows_the_findings_with_its_freshness_notes() -> None:
    bundle = ReviewContextBundle(impact_section=IMPACT, impact_prompt="Cross-repository impact: ...")
    body = render_summary(_report(context=bundle))
    assert body.index("### Findings") < body.index("### Impact on other repositories") < body.index("### Context")
    assert "acme/web `src/api/users.ts:22`" in body and "acme/admin is not indexed" in body
    assert "cross-repository impact" in body.split("### Context", 1)[1]
    text = render_terminal_review(_report(context=bundle))
    assert "Impact on other repositories" in text and "**" not in text.split("Impact on other repositories")[1]


def test_no_impact_section_when_the_change_alters_no_edge() -> None:
    assert "Impact on other repositories" not in render_summary(_report())
