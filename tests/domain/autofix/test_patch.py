"""Hunks apply where their lines are, leniently read from a model, and never rewrite context."""

from __future__ import annotations

import pytest

from domain.autofix.patch import (
    Hunk,
    PatchError,
    apply_hunks,
    changed_lines,
    diff_block,
    parse_diff,
    replace_line,
    unified_diff,
)

SOURCE = "def total(items):\n    result = 0\n    for item in items:\n        result += item\n    return result\n"


def test_a_unified_diff_round_trips_through_parse_and_apply() -> None:
    after = SOURCE.replace("result += item", "result += item.amount")
    diff = unified_diff("app/total.py", SOURCE, after)
    assert diff.startswith("diff --git a/app/total.py b/app/total.py\n--- a/app/total.py\n+++ b/app/total.py\n")
    [patch] = parse_diff(diff)
    assert patch.path == "app/total.py"
    assert apply_hunks(SOURCE, patch.hunks) == after
    assert changed_lines(SOURCE, after) == 2


def test_a_hunk_with_a_wrong_line_number_applies_where_its_lines_are() -> None:
    model = (
        "```diff\n--- a/t.py\n+++ b/t.py\n@@ -40,3 +40,3 @@\n     for item in items:\n"
        "-        result += item\n+        result += item.amount\n     return result\n```"
    )
    [patch] = parse_diff(diff_block(model))
    assert apply_hunks(SOURCE, patch.hunks) == SOURCE.replace("result += item", "result += item.amount")


def test_re_indented_context_matches_loosely_but_the_file_keeps_its_own_context() -> None:
    hunk = Hunk(2, ((" ", "result = 0"), ("-", "for item in items:"), ("+", "    for item in sorted(items):")))
    after = apply_hunks(SOURCE, [hunk])
    assert "    result = 0\n    for item in sorted(items):\n" in after


def test_blank_context_lines_without_their_space_still_count() -> None:
    text = "a = 1\n\nb = 2\n"
    [patch] = parse_diff("@@ -1,3 +1,3 @@\n a = 1\n\n-b = 2\n+b = 3\n")
    assert apply_hunks(text, patch.hunks) == "a = 1\n\nb = 3\n"


def test_lines_that_are_not_in_the_file_are_refused() -> None:
    with pytest.raises(PatchError, match="not in the file"):
        apply_hunks(SOURCE, [Hunk(1, (("-", "print('x')"), ("+", "log('x')")))])


def test_overlapping_hunks_are_refused() -> None:
    first = Hunk(2, (("-", "    result = 0"), ("+", "    result = 1")))
    second = Hunk(2, ((" ", "    result = 0"), ("-", "    for item in items:"), ("+", "    for x in items:")))
    with pytest.raises(PatchError, match="overlaps"):
        apply_hunks(SOURCE, [first, second])


def test_the_nearest_of_several_matches_is_taken() -> None:
    text = "x = 1\ny = 2\nx = 1\ny = 2\n"
    assert apply_hunks(text, [Hunk(3, (("-", "x = 1"), ("+", "x = 9")))]) == "x = 1\ny = 2\nx = 9\ny = 2\n"


def test_replace_line_keeps_crlf_files_crlf() -> None:
    text = "a\r\nb\r\nc\r\n"
    assert apply_hunks(text, [replace_line(2, ["B"], "b")]) == "a\r\nB\r\nc\r\n"


def test_several_files_in_one_diff_are_kept_apart() -> None:
    diff = "--- a/one.py\n+++ b/one.py\n@@ -1 +1 @@\n-a\n+b\n--- a/two.py\n+++ b/two.py\n@@ -1 +1 @@\n-c\n+d\n"
    assert [p.path for p in parse_diff(diff)] == ["one.py", "two.py"]


def test_a_removed_sql_comment_is_not_mistaken_for_a_file_header() -> None:
    [patch] = parse_diff("--- a/q.sql\n+++ b/q.sql\n@@ -1,2 +1,1 @@\n--- old note\n SELECT 1;\n")
    assert patch.hunks[0].lines == (("-", "-- old note"), (" ", "SELECT 1;"))
