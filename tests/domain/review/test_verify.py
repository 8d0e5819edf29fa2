"""The verification pass's pure parts: the evidence an item is shown with, reading the scores, and what the
scores do to the review (drop under the threshold, keep and mark the rest)."""

from __future__ import annotations

import pytest

from domain.findings import Finding
from domain.review.context import RelatedSnippet
from domain.review.schema import LlmComment, LlmReview, to_findings
from domain.review.verify import (
    Verdict,
    VerificationSummary,
    apply_verdicts,
    mark_confirmed,
    skipped,
    verification_lines,
)
from domain.review.verify_prompt import (
    VerifyItem,
    VerifyOutputError,
    build_verify_messages,
    hunk_for_line,
    named_definitions,
    parse_verdicts,
    window,
)

PATCH = "@@ -1,3 +1,4 @@\n a = 1\n-b = 2\n+b = 3\n+c = b\n d = 4\n@@ -20,2 +21,3 @@ def f():\n x\n+y\n z\n"


def comment(line: int, message: str = "m") -> LlmComment:
    return LlmComment(path="a.py", line=line, severity="high", category="bug", message=message)


def review(*comments: LlmComment) -> LlmReview:
    return LlmReview(summary="s", risk="low", comments=list(comments))


ANALYZER = Finding("a.py", 3, "high", "python.bare-except", "bare except", source="analyzer:python")


def test_comments_under_the_threshold_are_dropped_and_the_rest_keep_their_score() -> None:
    verdicts = {"c1": Verdict("c1", 2, "handled above"), "c2": Verdict("c2", 5, "right"), "a1": Verdict("a1", 9, "y")}

    kept, summary = apply_verdicts(review(comment(2, "wrong"), comment(3), comment(4)), [ANALYZER], verdicts, 5)

    assert [(c.line, c.verified_score) for c in kept.comments] == [(3, 5), (4, None)]  # c3 got no score: kept
    assert (summary.checked, summary.unscored, summary.threshold) == (2, 1, 5)
    assert [(d.line, d.score, d.reason, d.message) for d in summary.dropped] == [(2, 2, "handled above", "wrong")]
    assert summary.confirmed == {ANALYZER.fingerprint: 9}
    assert [f.verified_score for f in to_findings(kept)] == [5, None]


def test_an_analyzer_finding_scored_low_is_kept_but_not_confirmed() -> None:
    _, summary = apply_verdicts(review(), [ANALYZER], {"a1": Verdict("a1", 1, "no")}, 5)

    assert summary.confirmed == {} and summary.doubted == 1
    assert mark_confirmed([ANALYZER], summary) == [ANALYZER]


def test_a_confirmed_analyzer_finding_carries_the_models_score() -> None:
    other = Finding("b.py", 1, "low", "python.mutable-default", "x")
    summary = VerificationSummary(threshold=5, confirmed={ANALYZER.fingerprint: 8})

    assert [f.verified_score for f in mark_confirmed([ANALYZER, other], summary)] == [8, None]
    assert mark_confirmed([ANALYZER], None) == [ANALYZER]


def test_the_coverage_lines_count_what_was_dropped_or_say_why_nothing_was_checked() -> None:
    _, summary = apply_verdicts(review(comment(2), comment(3)), [], {"c1": Verdict("c1", 1, "not so")}, 4)

    lines = verification_lines(summary)

    assert (
        lines[0]
        == "Verification: 1 model comment checked against the code; 1 scored under 4/10 and was dropped, 0 passed."
    )
    assert lines[1] == "- dropped `a.py:2` (1/10): not so"
    assert "1 model comment(s) got no score" in lines[2]
    assert verification_lines(skipped(5, "the verifying model failed after 3 attempts")) == [
        "Verification skipped: the verifying model failed after 3 attempts; the model's comments are posted unverified."
    ]
    assert verification_lines(None) == []


def test_scores_are_read_from_prose_and_fences_clamped_and_only_for_known_items() -> None:
    text = 'Sure:\n```json\n{"verdicts": [{"id": "c1", "score": "12", "reason": "  yes \\n indeed "},\n'
    text += '{"id": "c2", "score": -3}, {"id": "c9", "score": 5}, {"id": "c3", "score": true}, "junk"]}\n```'

    verdicts = parse_verdicts(text, {"c1", "c2", "c3"})

    assert verdicts == {"c1": Verdict("c1", 10, "yes indeed"), "c2": Verdict("c2", 0, "no reason given")}


@pytest.mark.parametrize(
    ("text", "problem"),
    [("no json here", "no JSON object"), ('{"verdicts": 3}', "not a list"), ("{nope}", "does not parse")],
)
def test_an_answer_without_scores_is_an_error_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(VerifyOutputError, match=problem):
        parse_verdicts(text, {"c1"})


def test_the_evidence_is_the_hunk_the_numbered_window_and_the_definitions_named() -> None:
    head = "".join(f"line {n}\n" for n in range(1, 41))
    snippets = [
        RelatedSnippet("src/user.service.ts", 10, 20, "async findById(id: string) {\n  return db.get(id);\n}", 0.4),
        RelatedSnippet("src/other.ts", 1, 2, "const unrelated = 1;", 0.9),
    ]

    assert hunk_for_line(PATCH, "a.py", 22) == "@@ -20,2 +21,3 @@ def f():\n x\n+y\n z"
    assert hunk_for_line(PATCH, "a.py", 3).startswith("@@ -1,3 +1,4 @@\n a = 1\n-b = 2\n+b = 3")
    assert hunk_for_line(PATCH, "a.py", 10) == "" and hunk_for_line(None, "a.py", 3) == ""
    lines = window(head, 20, radius=2).splitlines()
    assert lines == ["    18 line 18", "    19 line 19", ">   20 line 20", "    21 line 21", "    22 line 22"]
    assert window(None, 3) == "(the file could not be read at the head)"
    found = named_definitions("`userService.findById` returns null for a missing user", snippets)
    assert found == ("src/user.service.ts lines 10-20:\nasync findById(id: string) {\n  return db.get(id);\n}",)


def test_the_messages_carry_each_item_its_evidence_and_the_threshold() -> None:
    item = VerifyItem(key="c1", path="a.py", line=3, severity="high", label="model comment, category bug",
                      message="b is wrong", hunk="@@ -1 +1 @@\n+b = 3", around=">    3 b = 3")  # fmt: skip

    system, user = build_verify_messages([item], threshold=6)

    assert system["role"] == "system" and '"verdicts"' in system["content"]
    assert "Comments scored under 6 will not be posted" in user["content"]
    assert "### c1: model comment, category bug, high, a.py:3" in user["content"]
    assert "<<<\nb is wrong\n>>>" in user["content"] and ">    3 b = 3" in user["content"]
