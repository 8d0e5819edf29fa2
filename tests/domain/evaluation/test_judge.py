"""The judge prompt (prompts/eval/judge/v1.md) and reading the judge's verdict."""

from __future__ import annotations

import pytest

from domain.evaluation.cases import GoldenComment
from domain.evaluation.judge import (
    JudgeAnswerError,
    judge_prompt_version,
    load_judge_template,
    parse_judge_answer,
    render_judge_prompt,
)
from domain.evaluation.matching import EvalFinding

FINDING = EvalFinding(
    path="src/a.ts", line=26, severity="high", category="bug", message="verify throws: costs $5 a 500"
)
GOLDEN = GoldenComment(
    text="jwt.verify errors are not caught", severity="high", category="bug", path="src/a.ts", line=26
)


def test_the_versioned_prompt_carries_both_texts_and_their_locations() -> None:
    prompt = render_judge_prompt(load_judge_template(), FINDING, GOLDEN)

    assert "jwt.verify errors are not caught" in prompt
    assert "verify throws: costs $5 a 500" in prompt
    assert "location src/a.ts:26" in prompt
    assert "$" not in prompt.replace("$5", "")  # every placeholder was filled
    assert judge_prompt_version() == "judge-v1"


def test_a_golden_comment_without_location_says_so() -> None:
    unlocated = GoldenComment(text="t", severity="low", category="style")

    assert "location not given" in render_judge_prompt(load_judge_template(), FINDING, unlocated)


@pytest.mark.parametrize(
    ("answer", "same"),
    [
        ('{"same_issue": true, "reason": "both about verify"}', True),
        ('Sure.\n```json\n{"same_issue": false, "reason": "other bug"}\n```', False),
    ],
)
def test_verdicts_are_read_from_plain_or_fenced_json(answer: str, same: bool) -> None:
    assert parse_judge_answer(answer).same_issue is same


@pytest.mark.parametrize("answer", ["yes", '{"same_issue": "yes"}', '{"same_issue": tru}'])
def test_answers_without_a_boolean_verdict_are_refused(answer: str) -> None:
    with pytest.raises(JudgeAnswerError):
        parse_judge_answer(answer)
