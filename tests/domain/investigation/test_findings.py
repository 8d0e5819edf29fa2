"""Earlier answers reduced to their cited claims, and detected facts as prompt lines."""

from __future__ import annotations

from domain.investigation.deterministic import collect_facts
from domain.investigation.findings import CLAIM_CHARS, fact_lines, manifest_dependency_lines, summarise_answer


def test_only_cited_claims_travel_on_whatever_the_citation_style() -> None:
    answer = (
        "Intro without evidence.\n"
        "### Purpose\n"
        "- Serves orders (src/main.ts:3)\n"
        "1. **Stack:** NestJS `package.json:5-9`\n"
        "- A claim the model could not back (unverified)\n"
        "- A sentence with no citation at all\n"
        "```ts\nconst x = 1; // `src/x.ts:1`\n```\n"
        "### Gaps\n"
        "None found in the files shown.\n"
    )
    assert summarise_answer(answer) == (
        "Purpose: • Serves orders (src/main.ts:3) • **Stack:** NestJS `package.json:5-9`\nGaps: none found."
    )


def test_a_long_claim_is_cut_but_keeps_its_citations() -> None:
    claim = "- " + "word " * 60 + "`src/a.ts:10` and `src/b.ts:20-22`"
    summary = summarise_answer(f"### Findings\n{claim}\n")
    assert summary.startswith("Findings: • word word")
    assert summary.endswith("… `src/a.ts:10` `src/b.ts:20-22`")
    assert len(summary) < CLAIM_CHARS + 60


def test_summaries_are_bounded_and_say_when_there_is_nothing() -> None:
    many = "\n".join(f"### Section {i}\n- claim `f{i}.ts:1`" for i in range(100))
    assert len(summarise_answer(many, max_chars=300)) <= 300
    assert summarise_answer(None) == "(no answer)" and summarise_answer("  ") == "(no answer)"
    assert summarise_answer("### Purpose\nJust prose.") == "(no cited findings)"


def test_fact_lines_carry_their_locations() -> None:
    files = {
        "src/app.js": "const express = require('express');\nconst app = express();\napp.get('/ping', h);\n"
        "fetch('https://billing.internal/invoices');\n",
    }
    facts = collect_facts(["src/app.js", "migrations/001.sql"], {}, files, None)
    assert fact_lines("routes", facts) == ["- GET /ping (express) — `src/app.js:3`"]
    assert fact_lines("http-calls", facts) == ["- ANY https://billing.internal/invoices — `src/app.js:4`"]
    assert fact_lines("migrations", facts) == ["- `migrations/`"]
    assert fact_lines("tree", facts) == []


def test_dependency_lines_group_by_manifest_and_scope() -> None:
    manifest = '{"dependencies": {"express": "^4", "pg": "^8"}, "devDependencies": {"jest": "^29"}}'
    assert manifest_dependency_lines({"package.json": manifest}) == [
        "- `package.json` (npm) runtime: express, pg",
        "- `package.json` (npm) dev: jest",
    ]
