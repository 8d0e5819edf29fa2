"""The investigation benchmark's stand-in model answers from what a prompt shows, and its claim
count reads documents as the product stores them."""

from __future__ import annotations

from activities.investigation_citations import check_citations
from bench.investigate_standin import cited_answer, document_claims, logged
from domain.investigation.briefing import brief_step
from domain.investigation.stepgraph import StepSpec

FILES = {
    "src/orders.service.ts": "export class OrdersService {\n\n  place() {\n    return 1;\n  }\n}\n",
    "src/unused.ts": "export const x = 1;\n",
}
STEP = StepSpec("apis", "APIs", 2, "List the routes.", budget_tokens=3000, sections=("Endpoints", "Gaps"))


def body_for(files: dict[str, str]) -> dict[str, object]:
    shown = {"src/orders.service.ts": files["src/orders.service.ts"]} if files else {}
    brief = brief_step(STEP, "acme/shop", "c0ffee", "", {}, shown, {})
    return {"model": "fake", "messages": brief.messages}


def test_every_section_is_answered_with_citations_of_shown_non_blank_lines() -> None:
    body = body_for(FILES)
    answer = cited_answer(body)
    assert answer.splitlines()[0] == "### Endpoints" and "### Gaps" in answer
    assert answer.count("`src/orders.service.ts:") == 6 and "src/unused.ts" not in answer
    assert "orders.service.ts:2`" not in answer  # a blank line is no evidence
    checked = check_citations(answer, list(FILES), FILES)
    assert (checked.claims, checked.unsupported, checked.bad_citations) == (6, 0, 0)
    assert (logged(body).repository, logged(body).step) == ("acme/shop", "apis")


def test_a_step_shown_no_file_finds_nothing_instead_of_inventing() -> None:
    answer = cited_answer(body_for({}))
    assert answer == "### Endpoints\nNone found in the files shown.\n### Gaps\nNone found in the files shown."


def test_document_claims_skip_front_matter_and_code_and_count_unverified() -> None:
    document = (
        "---\nprompt_versions:\n  - apis@v2\n---\n# acme/shop\n"
        "- GET /orders — `src/orders.ts:3`\n- uses src/db.ts:9 for storage\n"
        "- a guess (unverified)\n- cites `x.ts:99` (unverified: the file has 5 lines)\n"
        "```\n- not a claim `a.ts:1`\n```\n"
    )
    claims = document_claims(document)
    assert (claims.total, claims.cited, claims.unverified) == (4, 2, 2) and claims.cited_share == 0.5
