"""The aligned new-side view analyzers and rules parse."""

from __future__ import annotations

from domain.analyzers.source import build_source
from tests.domain.analyzers.helpers import added, changed


def test_hunks_sit_on_their_real_line_numbers_with_blank_gaps() -> None:
    file = changed("a.ts", ". one();\n+ two();", start=4)
    view = build_source(file)
    assert view.lines == ("", "", "", "one();", "two();")
    assert view.added == {5} and view.known == {4, 5} and not view.complete
    assert view.tree() is not None


def test_full_contents_are_used_only_when_they_agree_with_the_diff() -> None:
    file = changed("a.ts", ". one();\n+ two();", start=2)
    good = build_source(file, "zero();\none();\ntwo();\nthree();\n")
    assert good.complete and good.lines[3] == "three();"
    stale = build_source(file, "zero();\none();\nTWO();\n")
    assert not stale.complete and stale.lines == ("", "one();", "two();")


def test_new_file_is_complete_and_unknown_languages_have_no_tree() -> None:
    assert build_source(added("a.py", "x = 1\n")).complete
    assert build_source(added("notes.md", "# hi\n")).tree() is None


def test_php_hunk_inside_code_gets_an_opening_tag_but_views_do_not() -> None:
    code = build_source(changed("a.php", ".     $a = 1;\n+     echo $a;", start=10))
    tree = code.tree()
    assert tree is not None and "echo_statement" in str(tree.root_node)
    view = build_source(changed("v.php", ". <div>\n+ <p><?= $a ?></p>", start=10))
    view_tree = view.tree()
    # Read as a template: HTML text plus a PHP island, not HTML parsed as PHP code.
    assert view_tree is not None and not view_tree.root_node.has_error
    assert "text" in str(view_tree.root_node) and "php_tag" in str(view_tree.root_node)
