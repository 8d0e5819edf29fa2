"""The generated description replaces only its own section of the pull request's body."""

from __future__ import annotations

from domain.describe.body import END, START, authors_text, merge_description


def test_the_section_is_appended_below_the_authors_text() -> None:
    body = merge_description("Fixes the feed.\r\n\r\nSee ticket.", "## What\nnew")
    assert body.startswith("Fixes the feed.\n\nSee ticket.\n\n" + START)
    assert body.rstrip().endswith(END)
    assert "## What\nnew" in body


def test_an_empty_body_gets_just_the_section() -> None:
    assert merge_description(None, "x").startswith(START)


def test_a_second_run_replaces_the_section_and_keeps_edits_around_it() -> None:
    first = merge_description("Intro", "old text")
    edited = "Intro, edited meanwhile\n\n" + first.split("\n\n", 1)[1] + "\nA note the author added after."
    second = merge_description(edited, "new text")
    assert "old text" not in second and "new text" in second
    assert second.startswith("Intro, edited meanwhile")
    assert second.rstrip().endswith("A note the author added after.")
    assert second.count(START) == 1 and second.count(END) == 1
    assert authors_text(second).split() == [
        "Intro,",
        "edited",
        "meanwhile",
        "A",
        "note",
        "the",
        "author",
        "added",
        "after.",
    ]


def test_a_section_without_its_end_marker_is_left_alone_and_a_new_one_appended() -> None:
    broken = f"Intro\n{START}\nhalf a section the author cut"
    merged = merge_description(broken, "fresh")
    assert merged.startswith(broken)
    assert merged.count(END) == 1 and "fresh" in merged


def test_a_section_is_there_only_with_both_markers_in_order() -> None:
    from domain.describe.body import has_section

    assert has_section(f"mine\n{START}\nx\n{END}\n")
    assert not has_section(f"mine\n{START}\nx") and not has_section(f"{END}\n{START}") and not has_section(None)
