"""The /ask reply: the answer and where it looked, or the evidence alone when the model part was skipped."""

from __future__ import annotations

from domain.ask.answer import Evidence, ThreadLine, lines_around, render_ask_reply

HEAD = "a\nb\n  if (x) {\n    go();\n  }\nz\n"


def test_the_line_asked_about_is_numbered_and_marked() -> None:
    found = lines_around("src/a.ts", HEAD, 3, radius=1)
    assert found is not None and found.where == "src/a.ts:2-4"
    assert found.text == "    2   b\n    3 >   if (x) {\n    4       go();"
    assert lines_around("src/a.ts", HEAD, 99) is None


def test_an_answer_cites_the_evidence_it_was_given() -> None:
    evidence = [Evidence("code", "src/b.ts", 10, 14, "code"), Evidence("finding", "src/a.ts", 3, 3, "risky")]
    text = render_ask_reply(
        "why?", "Because `src/b.ts:12` retries.", evidence=evidence, login="dana", thread=ThreadLine("src/a.ts", 3)
    )
    assert text.startswith("> why?\n\n@dana Because `src/b.ts:12` retries.")
    assert "<sub>Looked at about `src/a.ts:3`: `src/b.ts:10-14`, `src/a.ts:3`.</sub>" in text


def test_without_a_model_the_evidence_is_the_reply() -> None:
    evidence = [
        Evidence("change", "src/a.ts", 1, 6, "  1 +a"),
        Evidence("finding", "src/a.ts", 3, 3, "Any   action\npasses"),
    ]
    text = render_ask_reply("what?", None, evidence=evidence, skipped_reason="no LLM_API key configured")
    assert "the model part was skipped: no LLM_API key configured. Here is the evidence I found:" in text
    assert "- `src/a.ts:1-6` (changed):\n\n```\n  1 +a\n```" in text
    assert "- `src/a.ts:3` (finding): Any action passes" in text
    nothing = render_ask_reply("what?", None, evidence=[], skipped_reason="x")
    assert "(nothing related was found)" in nothing
