from __future__ import annotations

import json

import pytest

from domain.review.schema import (
    LlmOutputError,
    LlmReview,
    parse_llm_review,
    repair_prompt,
    review_json_schema,
    to_findings,
)

VALID = {"app/db.py": {3, 15, 16}, "src/feed.ts": {31}}


def _answer(comments: list[dict[str, object]] | None = None, **extra: object) -> str:
    body: dict[str, object] = {
        "summary": "Moves connection handling into a dependency.",
        "risk": "medium",
        "comments": comments if comments is not None else [],
    }
    body.update(extra)
    return json.dumps(body, indent=2)


def _comment(path: str = "app/db.py", line: int = 15, **extra: object) -> dict[str, object]:
    comment: dict[str, object] = {
        "path": path,
        "line": line,
        "severity": "high",
        "category": "bug",
        "message": "The connection is released before the repository uses it.",
        "suggestion": None,
    }
    comment.update(extra)
    return comment


def test_plain_json_parses() -> None:
    review = parse_llm_review(_answer([_comment()]), valid_lines=VALID)
    assert review.risk == "medium"
    assert [(c.path, c.line, c.severity) for c in review.comments] == [("app/db.py", 15, "high")]
    assert review.dropped == 0


def test_fenced_json_with_prose_around_it_parses() -> None:
    text = f"Here is my review of {{the change}}:\n\n```json\n{_answer([_comment()])}\n```\nThanks!"
    review = parse_llm_review(text, valid_lines=VALID)
    assert len(review.comments) == 1


def test_unfenced_json_after_prose_parses() -> None:
    text = "Sure. The answer {as requested} follows.\n" + _answer([_comment(line=3)])
    assert parse_llm_review(text, valid_lines=VALID).comments[0].line == 3


def test_suggestion_containing_a_code_fence_survives() -> None:
    text = "```json\n" + _answer([_comment(suggestion="```py\nx = 1\n```")]) + "\n```"
    review = parse_llm_review(text, valid_lines=VALID)
    assert review.comments[0].suggestion == "```py\nx = 1\n```"


def test_comments_outside_the_added_lines_are_dropped_and_counted() -> None:
    comments = [
        _comment(line=15),
        _comment(line=4),  # a context line
        _comment(path="app/other.py", line=15),  # a file not in the diff
        _comment(path="src/feed.ts", line=31),
    ]
    review = parse_llm_review(_answer(comments), valid_lines=VALID)
    assert [(c.path, c.line) for c in review.comments] == [("app/db.py", 15), ("src/feed.ts", 31)]
    assert review.dropped == 2


def test_model_cannot_set_the_dropped_count() -> None:
    review = parse_llm_review(_answer([_comment()], dropped=7), valid_lines=VALID)
    assert review.dropped == 0


def test_git_style_path_prefixes_are_normalised() -> None:
    comments = [_comment(path="b/app/db.py"), _comment(path="./src/feed.ts", line=31)]
    review = parse_llm_review(_answer(comments), valid_lines=VALID)
    assert [c.path for c in review.comments] == ["app/db.py", "src/feed.ts"]


def test_severity_and_risk_words_are_normalised() -> None:
    text = _answer([_comment(severity="Warning", category="Security Issue")], risk="HIGH")
    review = parse_llm_review(text, valid_lines=VALID)
    assert review.risk == "high"
    assert review.comments[0].severity == "medium"
    assert review.comments[0].category == "security-issue"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("I found no problems.", "no JSON object"),
        ('```json\n{"summary": "x", "risk": "low", "comments": [\n```', "invalid JSON"),
        ('{"summary": "x", "risk": "low", "comments": [{"path": "a", "line": 1},]}', "invalid JSON"),
        ('{"summary": "x", "risk": "extreme", "comments": []}', "risk"),
        ('{"summary": "x", "risk": "low", "comments": [{"path": "app/db.py"}]}', "comments.0.line"),
        ('{"risk": "low", "comments": []}', "summary"),
    ],
)
def test_invalid_answers_raise_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(LlmOutputError) as caught:
        parse_llm_review(text, valid_lines=VALID)
    assert reason in caught.value.reason


def test_repair_prompt_carries_the_error_the_raw_answer_and_the_schema() -> None:
    messages = repair_prompt("{broken", "invalid JSON: Expecting value (line 1, column 2)")
    assert [m["role"] for m in messages] == ["system", "user"]
    user = messages[1]["content"]
    assert "invalid JSON: Expecting value" in user
    assert "{broken" in user
    assert review_json_schema() in user


def test_schema_for_the_prompt_hides_the_dropped_counter() -> None:
    schema = json.loads(review_json_schema())
    assert set(schema["required"]) >= {"summary", "risk"}
    assert "dropped" not in schema["properties"]
    assert "comments" in schema["properties"]


def test_to_findings_marks_llm_as_the_source() -> None:
    review = LlmReview.model_validate({"summary": "s", "risk": "low", "comments": [_comment(suggestion="return conn")]})
    (finding,) = to_findings(review)
    assert finding.source == "llm"
    assert finding.rule_id == "llm/bug"
    assert (finding.path, finding.line, finding.suggestion) == ("app/db.py", 15, "return conn")


def test_suggestions_keep_their_indentation_and_other_fields_are_stripped() -> None:
    answer = {
        "summary": "  s  ",
        "risk": "low",
        "comments": [
            {
                "path": " src/a.ts ",
                "line": 3,
                "severity": "high",
                "category": "bug",
                "message": " m ",
                "suggestion": "\n    if (a && b) {\n      go();\n    }\n\n",
            }
        ],
    }
    review = parse_llm_review(json.dumps(answer), valid_lines={"src/a.ts": {1, 2, 3}})
    comment = review.comments[0]
    assert comment.suggestion == "    if (a && b) {\n      go();\n    }"
    assert (comment.path, comment.message, review.summary) == ("src/a.ts", "m", "s")


def test_a_multi_line_comment_keeps_its_range_inside_the_change() -> None:
    base = {"path": "a.py", "severity": "low", "category": "bug", "message": "m", "suggestion": "    x = 1"}
    answer = {
        "summary": "s",
        "risk": "low",
        "comments": [
            {**base, "start_line": 2, "line": 4},
            {**base, "start_line": 1, "line": 4, "message": "reaches outside"},
            {**base, "start_line": 4, "line": 4, "message": "one line"},
        ],
    }
    review = parse_llm_review(json.dumps(answer), valid_lines={"a.py": {2, 3, 4}})
    ranges = [(c.start_line, c.line, c.suggestion) for c in review.comments]
    assert ranges == [(2, 4, "    x = 1"), (None, 4, None), (None, 4, "    x = 1")]
    assert [f.start_line for f in to_findings(review)] == [2, None, None]
