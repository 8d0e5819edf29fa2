"""arch.md and the structured form: front matter, order, honest "Skipped:" lines, summaries."""

from __future__ import annotations

import json
from pathlib import Path

from domain.investigation.deterministic import collect_facts, deterministic_sections
from domain.investigation.document import (
    parse_front_matter,
    related_repos_summary,
    render_arch_md,
    review_context_summary,
    structured_form,
)
from domain.investigation.promptsets import changed_steps, load_prompt_set
from tests.domain.investigation.test_deterministic import PACKAGE_JSON, REPO_FILES, REPO_PATHS, FakeProfile

SHIPPED = Path(__file__).resolve().parents[3] / "prompts" / "investigate"
PROMPT_SET = load_prompt_set("backend-nestjs", SHIPPED)
MANIFESTS = {"package.json": PACKAGE_JSON}
OVERVIEW = "## Purpose\n\nServes articles (`src/main.ts:1`).\n\n```python\n# not a heading\n```"


def render(answers: dict[str, str | None], skipped: dict[str, str]) -> str:
    sections = deterministic_sections(REPO_PATHS, MANIFESTS, REPO_FILES, FakeProfile())
    return render_arch_md(
        "acme/articles", "abc123", "2024-05-01T10:00:00Z", "openai/gpt-4o", PROMPT_SET, sections, answers, skipped
    )


def test_front_matter_records_versions_and_round_trips() -> None:
    meta = parse_front_matter(render({"overview": OVERVIEW}, {}))
    assert meta["repository"] == "acme/articles" and meta["commit"] == "abc123"
    assert meta["date"] == "2024-05-01T10:00:00Z" and meta["model"] == "openai/gpt-4o"
    assert meta["prompt_set"] == "backend-nestjs" and meta["prompt_set_version"] == PROMPT_SET.version
    assert meta["prompt_versions"] == PROMPT_SET.step_keys()
    assert "overview" not in meta["skipped_steps"] and "security" in meta["skipped_steps"]
    assert changed_steps(meta["prompt_versions"], PROMPT_SET) == set()


def test_deterministic_sections_come_first_then_steps_in_order() -> None:
    doc = render({"overview": OVERVIEW}, {})
    headings = [line for line in doc.splitlines() if line.startswith("## ")]
    assert headings[:2] == ["## Repository type and evidence", "## Structure"]
    assert headings[7:] == [f"## {s.title}" for s in PROMPT_SET.steps]
    assert "### Purpose\n\nServes articles (`src/main.ts:1`)." in doc
    assert "```python\n# not a heading\n```" in doc


def test_skipped_steps_say_why_and_nothing_else() -> None:
    steps = PROMPT_SET.steps
    skipped = {s.id: "no LLM configured" for s in steps}
    doc = render({s.id: None for s in steps}, skipped)
    assert doc.count("Skipped: no LLM configured") == len(steps)
    for spec in steps:
        assert f"## {spec.title}\n\nSkipped: no LLM configured\n" in doc
    blank = render({"overview": "   "}, {})
    assert "## Overview\n\nSkipped: no answer was recorded for this step" in blank
    assert "## Monitoring and operations\n\nSkipped: no answer was recorded for this step" in blank


def structured(repo: str, paths: list[str], files: dict[str, str], answers: dict[str, str | None]) -> dict:
    facts = collect_facts(paths, MANIFESTS, files, FakeProfile())
    return structured_form(repo, "abc123", facts, answers, PROMPT_SET, {"security": "no LLM configured"})


def test_structured_form_is_json_and_complete() -> None:
    form = structured("acme/articles", REPO_PATHS, REPO_FILES, {"overview": OVERVIEW, "security": None})
    assert json.loads(json.dumps(form)) == form
    assert form["type"] == "backend" and form["frameworks"] == ["nestjs"]
    assert form["topics"]["published"] == ["orders.created"] and form["topics"]["subscribed"] == []
    assert {
        "method": "GET",
        "path": "/api/articles/feed",
        "framework": "nestjs",
        "location": "src/article/article.controller.ts:8",
    } in form["apis"]
    assert {d["name"] for d in form["dependencies"]} >= {"@nestjs/core", "jest"}
    assert form["steps"] == {"overview": OVERVIEW, "security": None}
    assert form["prompt_set"]["steps"]["overview"] == "overview@v2"


def test_review_summary_is_compact_and_leads_with_identity() -> None:
    form = structured("acme/articles", REPO_PATHS, REPO_FILES, {"overview": "\n".join([OVERVIEW] * 200)})
    summary = review_context_summary(form, max_chars=600)
    assert len(summary) <= 600
    lines = summary.splitlines()
    assert lines[0] == "acme/articles: backend/nestjs; typescript; frameworks nestjs; databases postgresql."
    assert lines[1] == "Publishes: orders.created."
    assert lines[2].startswith("HTTP routes (5): GET /api/articles, GET /api/articles/feed")
    assert "Overview: Serves articles (`src/main.ts:1`). Serves articles" in summary
    assert "## Purpose" not in summary and "not a heading" not in summary
    assert len(review_context_summary(form)) <= 2500


def test_related_repositories_by_topics_calls_and_names() -> None:
    articles = structured("acme/articles", REPO_PATHS, REPO_FILES, {})
    payments_code = {
        "src/pay.js": "const { PubSub } = require('@google-cloud/pubsub');\n"
        "pubsub.topic('payments.settled').publishMessage({ json: p });\n"
    }
    payments = structured("acme/payments", list(payments_code), payments_code, {})
    mailer_code = "const { PubSub } = require('@google-cloud/pubsub');\npubsub.subscription('orders.created-mailer');\n"
    mailer_files = {"src/subscriber.js": mailer_code}
    mailer = structured(
        "acme/mailer", list(mailer_files), mailer_files, {"service-dependencies": "Reads from articles."}
    )
    web_files = {"src/api.ts": "export const feed = () => fetch('/api/articles/feed');\nfetch('/health');\n"}
    web = structured("acme/web", list(web_files), web_files, {"overview": "Talks to the Articles API."})
    known = {"acme/articles": articles, "acme/payments": payments, "acme/mailer": mailer, "acme/web": web}

    summary = related_repos_summary("acme/articles", known)
    assert summary.splitlines() == [
        "Related repositories of acme/articles:",
        "- acme/mailer consumes `orders.created` (through `orders.created-mailer`), which this repository publishes.",
        "- acme/mailer names this repository in its service-dependencies answer.",
        "- acme/web calls `ANY /api/articles/feed` (src/api.ts:1), which matches "
        "`GET /api/articles/feed (src/article/article.controller.ts:8)` here.",
        "- acme/web names this repository in its overview answer.",
    ]
    # Nobody consumes payments.settled, calls payments or names it.
    assert related_repos_summary("acme/payments", known).startswith("No known repository publishes")
    assert related_repos_summary("acme/unknown", known) == "No architecture data is known for acme/unknown."
