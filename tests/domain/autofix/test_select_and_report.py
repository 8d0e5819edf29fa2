"""Findings are numbered as the summary lists them; requests pick by id, by marker or all; the
commit and the reply say what happened, with their markers."""

from __future__ import annotations

from domain.autofix.report import (
    AutofixOutcome,
    CheckRun,
    FixedFinding,
    SkippedFinding,
    carries_marker,
    commit_message,
    marker_in,
    render_reply,
)
from domain.autofix.select import select_findings
from domain.findings import Finding
from domain.review.finding_ids import normalise_finding_id, number_findings

LOW = Finding("src/a.ts", 3, "low", "ts.let-never-reassigned", "`let x` is never reassigned")
HIGH = Finding("app/db.py", 40, "high", "sql.string-built-query", "SQL built by splicing")
MEDIUM = Finding("app/db.py", 12, "medium", "python.bare-except", "Bare except")


def test_ids_follow_the_summary_order_most_severe_first() -> None:
    numbered = number_findings([LOW, HIGH, MEDIUM])
    assert [(n.id, n.finding) for n in numbered] == [("F1", HIGH), ("F2", MEDIUM), ("F3", LOW)]
    assert normalise_finding_id("f2") == normalise_finding_id("2") == "F2"
    assert normalise_finding_id("x2") is None


def test_requests_pick_by_id_by_marker_or_all_within_the_limit() -> None:
    numbered = number_findings([LOW, HIGH, MEDIUM])
    chosen, skipped = select_findings(
        numbered, ids=["F3", "F9"], marker=None, unknown_words=["x"], limit=5, review_head="abc1234def"
    )
    assert [n.id for n in chosen] == ["F3"]
    assert {s.id for s in skipped} == {"F9", "x"}
    assert "has no finding F9" in next(s.reason for s in skipped if s.id == "F9")
    chosen, _ = select_findings(numbered, ids=[], marker=numbered[1].marker, unknown_words=[], limit=5, review_head="h")
    assert [n.id for n in chosen] == ["F2"]
    chosen, skipped = select_findings(numbered, ids=[], marker=None, unknown_words=[], limit=2, review_head="h")
    assert [n.id for n in chosen] == ["F1", "F2"] and [s.id for s in skipped] == ["F3"]


def test_the_commit_lists_the_fixes_and_carries_the_request_marker() -> None:
    fixed = [FixedFinding(id="F2", path="app/db.py", line=12, rule_id="python.bare-except", how="exact replacement")]
    message = commit_message(fixed, "comment-77", "dev-alice")
    assert message.splitlines()[0] == "PR Agent auto-fix: F2"
    assert "- F2 app/db.py:12 python.bare-except (exact replacement)" in message
    assert "Requested-by: @dev-alice" in message
    assert carries_marker(message, "comment-77") and not carries_marker(message, "comment-7")


def test_the_reply_says_what_was_fixed_what_not_and_why() -> None:
    outcome = AutofixOutcome(
        request_id="comment-77",
        status="pushed",
        requester="dev-alice",
        fixed=[FixedFinding(id="F2", path="app/db.py", line=12, rule_id="python.bare-except", how="exact replacement")],
        skipped=[SkippedFinding(id="F3", reason="the model declined: needs a schema change", path="src/a.ts", line=3)],
        commit_sha="c" * 40,
        commit_url="https://github.example/acme/shop/commit/" + "c" * 40,
        checks=["every changed file still parses: `app/db.py`"],
        check_run=CheckRun(command="pytest -q", exit_code=0, seconds=3.2, isolation="no network, as user nobody"),
    )
    body = render_reply(outcome)
    assert marker_in(body) == "comment-77"
    assert "### PR Agent auto-fix · pushed" in body and "@dev-alice" in body
    assert "**Fixed** in commit [`ccccccc`]" in body and "- F2 `app/db.py:12`" in body
    assert "- F3 `src/a.ts:3`: the model declined: needs a schema change" in body
    assert "`pytest -q` passed (no network, as user nobody)" in body


def test_a_patch_reply_carries_the_patch_and_a_failed_check_its_output() -> None:
    patch = "diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-a\n+b\n"
    body = render_reply(AutofixOutcome(request_id="link-1", status="patch", patch=patch, fixed=[]))
    assert "```diff\n" + patch.rstrip() + "\n```" in body
    failed = AutofixOutcome(
        request_id="r",
        status="failed",
        reason="The repository's own check failed",
        check_run=CheckRun(
            command="npm test", exit_code=1, seconds=1.0, output_tail="1 failing\n", isolation="no network"
        ),
    )
    body = render_reply(failed)
    assert "`npm test` failed (exit 1)" in body and "1 failing" in body
