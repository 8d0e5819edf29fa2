"""Suggestions are checked against the head file before they are posted as committable blocks."""

from __future__ import annotations

from domain.review.suggestions import apply_suggestion, check_suggestion

TS = """export function allowed(a: boolean, b: boolean): boolean {
  if (a || b) {
    return true;
  }
  return false;
}
"""


def test_replacement_keeps_its_indentation_byte_for_byte() -> None:
    patched = apply_suggestion(TS, 2, 2, "  if (a && b) {")
    assert patched is not None
    assert patched.splitlines()[1] == "  if (a && b) {"
    assert patched.replace("  if (a && b) {", "  if (a || b) {") == TS


def test_multi_line_range_is_replaced_by_any_number_of_lines() -> None:
    patched = apply_suggestion(TS, 2, 4, "  return a && b;")
    assert (
        patched == "export function allowed(a: boolean, b: boolean): boolean {\n  return a && b;\n  return false;\n}\n"
    )


def test_empty_replacement_deletes_the_range() -> None:
    assert apply_suggestion("a\nb\nc\n", 2, 2, "") == "a\nc\n"


def test_crlf_files_keep_their_line_endings() -> None:
    assert apply_suggestion("a\r\nb\r\nc\r\n", 2, 2, "B1\nB2") == "a\r\nB1\r\nB2\r\nc\r\n"


def test_last_line_without_newline_stays_without() -> None:
    assert apply_suggestion("a\nb", 2, 2, "c") == "a\nc"


def test_range_outside_the_file_is_refused() -> None:
    assert apply_suggestion("a\n", 2, 2, "x") is None
    assert check_suggestion("x.ts", "a\n", 3, 4, "x").verdict == "out_of_range"


def test_a_valid_change_is_ok() -> None:
    check = check_suggestion("src/auth.ts", TS, 2, 2, "  if (a && b) {")
    assert check.ok and check.patched is not None


def test_a_suggestion_that_breaks_parsing_is_caught() -> None:
    check = check_suggestion("src/auth.ts", TS, 2, 2, "  if (a && b {")
    assert check.verdict == "breaks_parsing"
    assert "no longer parse" in check.reason


def test_python_indentation_errors_are_caught() -> None:
    source = "def f(x):\n    if x:\n        return 1\n    return 2\n"
    assert check_suggestion("m.py", source, 3, 3, "        return 3").ok
    assert check_suggestion("m.py", source, 2, 2, "    if x").verdict == "breaks_parsing"


def test_a_suggestion_identical_to_the_code_is_unchanged() -> None:
    assert check_suggestion("src/auth.ts", TS, 2, 2, "  if (a || b) {").verdict == "unchanged"


def test_files_without_a_grammar_are_checked_for_change_only() -> None:
    assert check_suggestion("README.md", "# T\n\ntext\n", 3, 3, "better text (").ok


def test_an_already_broken_file_does_not_block_a_good_suggestion() -> None:
    broken = "function f( {\n  return 1;\n}\nconst x = 1;\n"
    assert check_suggestion("a.js", broken, 4, 4, "const x = 2;").ok
