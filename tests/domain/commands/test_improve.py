"""/improve's suggestions: parsed on the change's lines, self-checked, ranked, and never repeated."""

from __future__ import annotations

import json

import pytest

from domain.improve.render import extract_improve_keys, render_improve_summary, render_suggestion_comment
from domain.improve.suggestions import (
    ImproveSuggestion,
    SelfCheckScore,
    is_moot,
    parse_improve_answer,
    parse_self_check,
    rank,
    suggestion_key,
)
from domain.llm_json import LlmOutputError


def _suggestion(**over: object) -> dict[str, object]:
    base = {
        "path": "src/a.ts",
        "start_line": 2,
        "line": 3,
        "existing_code": "  if (a) {\n    go();",
        "improved_code": "  if (a && ready) {\n    go();",
        "summary": "Only go when ready.",
        "importance": "High",
        "category": "correctness",
    }
    return {**base, **over}


def test_suggestions_outside_the_added_lines_or_changing_nothing_are_dropped() -> None:
    answer = {
        "suggestions": [
            _suggestion(),
            _suggestion(start_line=1),
            _suggestion(improved_code="  if (a) {\n    go();"),
            _suggestion(path="other.ts"),
        ]
    }
    kept, dropped = parse_improve_answer(
        "Here:\n```json\n" + json.dumps(answer) + "\n```", valid_lines={"src/a.ts": {2, 3}}
    )
    assert [(s.start_line, s.line, s.importance) for s in kept] == [(2, 3, "high")]
    assert kept[0].improved_code == "  if (a && ready) {\n    go();"  # indentation kept
    assert dropped == 3


def test_an_answer_without_the_schema_is_an_output_error() -> None:
    with pytest.raises(LlmOutputError):
        parse_improve_answer('{"suggestions": [{"path": "x"}]}', valid_lines={})


def test_ranking_drops_low_scores_and_unscored_and_orders_by_importance_then_score() -> None:
    suggestions = [
        ImproveSuggestion.model_validate(_suggestion(importance="low", summary="low one")),
        ImproveSuggestion.model_validate(_suggestion(importance="high", summary="high 6")),
        ImproveSuggestion.model_validate(_suggestion(importance="high", summary="high 9")),
        ImproveSuggestion.model_validate(_suggestion(importance="medium", summary="too weak")),
        ImproveSuggestion.model_validate(_suggestion(importance="high", summary="never scored")),
    ]
    raw = {
        "scores": [
            {"index": 0, "score": 8},
            {"index": 1, "score": 6},
            {"index": 2, "score": 9},
            {"index": 3, "score": 2},
            {"index": 99, "score": 10},
        ]
    }
    scores = parse_self_check(json.dumps(raw), len(suggestions))
    kept, dropped = rank(suggestions, scores, threshold=5, limit=2)
    assert [s.summary for s, _ in kept] == ["high 9", "high 6"]
    assert dropped == 3
    kept_all, _ = rank(suggestions, scores, threshold=5, limit=10)
    assert [s.summary for s, _ in kept_all] == ["high 9", "high 6", "low one"]


def test_identity_ignores_line_numbers_and_whitespace_and_moot_follows_the_head() -> None:
    one = ImproveSuggestion.model_validate(_suggestion())
    moved = ImproveSuggestion.model_validate(_suggestion(start_line=12, line=13, existing_code="  if (a)  {\n go();"))
    assert suggestion_key(one) == suggestion_key(moved)
    head = "x\n  if (a) {\n    go();\n  }\n"
    assert not is_moot(one, head)
    assert is_moot(one, head.replace("if (a)", "if (b)"))
    assert is_moot(one, None)


def test_comment_carries_a_committable_block_and_its_key() -> None:
    suggestion = ImproveSuggestion.model_validate(_suggestion())
    key = suggestion_key(suggestion)
    body = render_suggestion_comment(suggestion, SelfCheckScore(index=0, score=8, reason="right"), key)
    assert "```suggestion\n  if (a && ready) {\n    go();\n```" in body
    assert extract_improve_keys(body) == {key}
    summary = render_improve_summary(
        [(suggestion, SelfCheckScore(index=0, score=8))], head_sha="abcdef0123", already_posted=2, moot=1, dropped=0
    )
    assert "**High (1)**" in summary and "`src/a.ts:3`" in summary
    assert "2 suggestions already posted" in summary and "1 suggestion not repeated" in summary


def test_a_suggestion_must_name_the_lines_that_hold_its_code() -> None:
    from domain.improve.suggestions import replaces_what_it_says

    head = "function f() {\n  if (a) {\n    go();\n  }\n}\n"
    right = ImproveSuggestion.model_validate(_suggestion(start_line=2, line=3, existing_code="  if (a) {\n      go();"))
    shifted = ImproveSuggestion.model_validate(_suggestion(start_line=3, line=4, existing_code="  if (a) {\n    go();"))
    beyond = ImproveSuggestion.model_validate(_suggestion(start_line=5, line=9))
    assert replaces_what_it_says(right, head)  # whitespace aside
    assert not replaces_what_it_says(shifted, head) and not replaces_what_it_says(beyond, head)
