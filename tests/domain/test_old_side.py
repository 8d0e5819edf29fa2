"""Undoing a pull request's per-file patch on the head text gives the merge-base text."""

from __future__ import annotations

import difflib

import pytest

from domain.diff import parse_patch
from domain.old_side import old_text

BASE = "".join(f"line {n}\n" for n in range(1, 41))


def _patch(old: str, new: str, context: int = 3) -> str:
    """GitHub's per-file patch: the hunks of a unified diff, without file headers."""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), n=context)
    return "".join(line if line.endswith("\n") else line + "\n" for line in list(lines)[2:])


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("edit in the middle", BASE.replace("line 20\n", "line twenty\nline 20b\n")),
        ("insert at the top", "header\n" + BASE),
        ("append at the end", BASE + "footer\n"),
        ("delete a block", BASE.replace("".join(f"line {n}\n" for n in range(10, 16)), "")),
        ("several hunks", BASE.replace("line 3\n", "").replace("line 30\n", "thirty\n")),
        ("delete everything but one line", "line 7\n"),
    ],
)
@pytest.mark.parametrize("context", [0, 3])
def test_the_base_text_comes_back_from_head_and_patch(name: str, head: str, context: int) -> None:
    diff = parse_patch("src/a.ts", _patch(BASE, head, context))
    assert old_text(head, diff) == BASE, name


def test_a_deleted_file_comes_back_from_its_patch_alone() -> None:
    diff = parse_patch("src/a.ts", _patch(BASE, ""), status="removed")
    assert old_text("", diff) == BASE


def test_a_patch_made_against_other_content_gives_none() -> None:
    head = BASE.replace("line 20\n", "line twenty\n")
    diff = parse_patch("src/a.ts", _patch(BASE, head))
    assert old_text(head.replace("line 19\n", "line nineteen\n"), diff) is None
    assert old_text("short\n", diff) is None
