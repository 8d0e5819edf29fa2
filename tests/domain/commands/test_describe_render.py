"""The generated description: the model's part when there is one, the facts always."""

from __future__ import annotations

import pytest

from domain.describe.render import DescriptionFacts, TicketLine, WalkthroughFile, analyzers_risk, render_description
from domain.describe.schema import DescribeAnswer, parse_describe_answer
from domain.llm_json import LlmOutputError

FACTS = DescriptionFacts(
    head_sha="0123456789abcdef",
    files=[WalkthroughFile("src/a|b.ts", "modified", 3, 1), WalkthroughFile("docs/x.md", "added", 9, 0)],
    ticket=TicketLine("SHOP-42", "Orders by customer", "In Progress", "https://acme.atlassian.net/browse/SHOP-42"),
    findings_by_severity={"high": 1, "low": 2},
)


def test_without_a_model_the_facts_are_written_and_the_skip_is_said() -> None:
    text = render_description(FACTS, None, "no LLM_API key configured")
    assert text.startswith("## Description · head `0123456`")
    assert "_The model's part (what and why, file notes, labels) was skipped: no LLM_API key configured._" in text
    assert "| `src/a\\|b.ts` | modified | +3 −1 |" in text  # a pipe in a path does not break the table
    assert "[SHOP-42](https://acme.atlassian.net/browse/SHOP-42): Orders by customer (status: In Progress)" in text
    assert "Analyzers and house rules: **high** (3 finding(s): 1 high, 2 low)." in text
    assert "### What" not in text and "### Labels" not in text


def test_the_models_part_fills_what_why_notes_risk_and_labels() -> None:
    answer = DescribeAnswer(
        what="Adds a filter.",
        why="Support asked.",
        files=[{"path": "src/a|b.ts", "summary": "The filter."}],
        risk="Slow on big tables.",
        labels=["API", "Needs Review!", "api"],
    )
    text = render_description(FACTS, answer, None)
    assert "### What\nAdds a filter.\n\n### Why\nSupport asked." in text
    assert (
        "| `src/a\\|b.ts` | modified | +3 −1 | The filter. |" in text and "| `docs/x.md` | added | +9 −0 |  |" in text
    )
    assert "Model: Slow on big tables." in text and "### Labels suggested\n`api`, `needs-review`" in text


def test_the_answer_keeps_notes_only_for_changed_files() -> None:
    answer = parse_describe_answer(
        '```json\n{"what": "x", "files": [{"path": "a", "summary": "s"}, {"path": "b", "summary": "t"}]}\n```', {"a"}
    )
    assert [n.path for n in answer.files] == ["a"]
    with pytest.raises(LlmOutputError):
        parse_describe_answer('{"files": []}', {"a"})


@pytest.mark.parametrize(("counts", "risk"), [({}, "low"), ({"medium": 2}, "medium"), ({"critical": 1}, "high")])
def test_analyzers_risk(counts: dict[str, int], risk: str) -> None:
    assert analyzers_risk(counts) == risk
