"""Commands are read from the first line of a comment, and nothing else is mistaken for one."""

from __future__ import annotations

import pytest

from domain.commands.parse import Command, UnknownCommand, finding_ids, is_full_review, parse_command


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("/review", Command("review")),
        ("  /Review full \n", Command("review", "full")),
        ("/improve", Command("improve")),
        ("/describe\r\nplease", Command("describe")),
        ("/help", Command("help")),
        ("/autofix F1 F3", Command("auto-fix", "F1 F3")),
        ("/auto_fix", Command("auto-fix")),
        ("/ask why is this safe?", Command("ask", "why is this safe?")),
        ("/ask\nWhat does this do\nto the cache?", Command("ask", "What does this do\nto the cache?")),
        ("/deploy prod", UnknownCommand("/deploy")),
        ("> /review\nI ran /review above", None),
        ("LGTM, /review later", None),
        ("", None),
        (None, None),
        ("/ ", None),
        ("/tmp/file is wrong", None),
    ],
)
def test_commands_are_read_from_the_first_line(body: str | None, expected: object) -> None:
    assert parse_command(body) == expected


def test_review_full_and_auto_fix_ids() -> None:
    assert is_full_review(Command("review", "full"))
    assert not is_full_review(Command("review", "fully"))
    assert finding_ids(Command("auto-fix", "f3, F7 and 12")) == ["F3", "F7", "12"]
    assert finding_ids(Command("auto-fix")) == []


def test_a_very_long_argument_is_cut() -> None:
    parsed = parse_command("/ask " + "x" * 10_000)
    assert isinstance(parsed, Command) and len(parsed.argument) == 2_000
