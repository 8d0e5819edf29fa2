from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.findings import Finding
from domain.review.budget import plan_coverage, render_diff_for_prompt
from domain.review.context import JiraContext, RelatedSnippet, ReviewContextBundle
from domain.review.prompt import (
    MAX_ARCHITECTURE_CHARS,
    PROMPTS_ROOT,
    build_review_messages,
    current_prompt_dir,
    prompt_version,
)
from domain.review.schema import review_json_schema
from tests.domain.review.helpers import fixture_files, pr_info


def _context() -> ReviewContextBundle:
    return ReviewContextBundle(
        architecture="Billing API; publishes charge events to acme/ledger.",
        related_repos="acme/ledger consumes charge.created",
        jira=JiraContext(
            key="PAY-12",
            summary="Customers charged twice",
            status="In Progress",
            description="Retries re-send the charge.",
            acceptance_criteria="A retried request charges once.",
        ),
        related_code=[
            RelatedSnippet("app/retry.py", 10, 20, "def retry(fn): ...", 0.5),
            RelatedSnippet("app/charge.py", 1, 9, "def charge(amount): ...", 0.9),
        ],
        house_rules=["Money amounts are integers in cents"],
        missing=["no related code index yet for acme/api"],
        impact_prompt="Cross-repository impact:\n- [high] Removes `DELETE /charges/:id`, called by acme/ledger",
    )


def _user_message(**overrides: object) -> str:
    files = fixture_files("python__")
    diff = render_diff_for_prompt(files, plan_coverage(files, [], 10_000))
    kwargs: dict[str, object] = {
        "pr": pr_info(),
        "context": _context(),
        "diff_text": diff,
        "findings": [Finding("app/api/dependencies/database.py", 3, "low", "py/unused", "Unused")],
        "prompt_dir": current_prompt_dir(),
    }
    kwargs.update(overrides)
    messages = build_review_messages(**kwargs)  # type: ignore[arg-type]
    assert [m["role"] for m in messages] == ["system", "user"]
    return messages[1]["content"]


def test_current_prompt_version_is_read_from_the_version_file() -> None:
    folder = current_prompt_dir()
    assert folder.parent == PROMPTS_ROOT
    assert prompt_version(folder) == f"review-{(PROMPTS_ROOT / 'VERSION').read_text().strip()}"


def test_user_message_carries_every_context_section() -> None:
    user = _user_message()
    for expected in [
        "acme/api#42",
        "PAY-12: Customers charged twice (status: In Progress)",
        "A retried request charges once.",
        "publishes charge events to acme/ledger",
        "acme/ledger consumes charge.created",
        "- Money amounts are integers in cents",
        "app/charge.py lines 1-9",
        "- no related code index yet for acme/api",
        "- app/api/dependencies/database.py:3 [low] py/unused: Unused",
        "## Impact on other repositories\nCross-repository impact:\n- [high] Removes `DELETE /charges/:id`",
        "+from asyncpg.connection import Connection",
        review_json_schema(),
    ]:
        assert expected in user
    assert "$" not in re.sub(r"\$(defs|ref)", "", user), "every placeholder is filled"


def test_best_related_code_comes_first() -> None:
    user = _user_message()
    assert user.index("app/charge.py") < user.index("app/retry.py")


def test_absent_context_is_stated_not_invented() -> None:
    user = _user_message(context=ReviewContextBundle(), findings=[])
    assert user.count("(none)") >= 6


def test_long_architecture_is_capped_visibly() -> None:
    huge = ReviewContextBundle(architecture="x" * (MAX_ARCHITECTURE_CHARS + 500))
    user = _user_message(context=huge)
    assert "x" * (MAX_ARCHITECTURE_CHARS + 1) not in user
    assert "truncated, 500 more characters" in user


def test_dollar_signs_in_pr_text_are_kept_literally() -> None:
    user = _user_message(pr=pr_info(title="Charge $amount twice", body="costs $5"))
    assert "Charge $amount twice" in user and "costs $5" in user


def test_unknown_placeholder_in_a_template_fails_loudly(tmp_path: Path) -> None:
    folder = tmp_path / "v9"
    folder.mkdir()
    (folder / "system.md").write_text("system")
    (folder / "user.md").write_text("$title $no_such_placeholder")
    with pytest.raises(KeyError):
        _user_message(prompt_dir=folder)
    assert prompt_version(folder) == "review-v9"
