"""Who may run commands, the replies to those who may not, and the /help reply."""

from __future__ import annotations

import pytest

from domain.commands.access import locked_refusal, may_run_commands, permission_refusal
from domain.commands.help import HelpFacts, render_help


@pytest.mark.parametrize(
    ("permission", "role", "allowed"),
    [
        ("admin", "admin", True),
        ("write", "maintain", True),
        ("write", "write", True),
        ("read", "triage", True),  # triage reads as `read` in the legacy field
        ("read", "read", False),
        ("none", None, False),
        ("read", "security-reviewer", False),  # a custom role based on read
        (None, None, False),
    ],
)
def test_write_or_triage_may_run_commands(permission: str | None, role: str | None, allowed: bool) -> None:
    assert may_run_commands(permission, role) is allowed


def test_refusals_are_short_and_say_what_would_help() -> None:
    assert permission_refusal("rey", "acme/api", "improve", "read") == (
        "@rey sorry, `/improve` can only be run by people with write or triage access to acme/api "
        "(your access is `read`). A maintainer can run it for you."
    )
    assert "(you have no access)" in permission_refusal("rey", "acme/api", "ask", "none")
    assert locked_refusal("dana", "describe").startswith("@dana this conversation is locked")


def test_help_lists_every_command_with_an_example_and_the_settings() -> None:
    facts = HelpFacts(
        model="openai/gpt-4o-mini", improve_max_suggestions=5, improve_min_score=7, permission_cache_seconds=60
    )
    text = render_help(facts, "dana")
    assert text.startswith("@dana here is what I can do")
    assert "| `/ask QUESTION` |" in text and "`/ask why does the retry loop not back off?`" in text
    assert "`IMPROVE_MAX_SUGGESTIONS` = 5" in text and "`IMPROVE_MIN_SCORE` = 7" in text
    assert "`COMMAND_PERMISSION_CACHE_SECONDS` = 60" in text and "model `openai/gpt-4o-mini`" in text
    without = render_help(HelpFacts(None, 8, 6, 600))
    assert "no LLM key is configured, so /improve and /ask skip the model part" in without
