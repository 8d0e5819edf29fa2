"""Markdown helpers: headings move as a block and code is never touched."""

from __future__ import annotations

from domain.investigation.markdown import fenced, language_of, numbered, shift_headings


def test_shift_headings_keeps_relative_levels_and_skips_code() -> None:
    text = "# Title\ntext\n## Sub\n```bash\n# a comment\n```\n~~~\n## still code\n~~~\n#hashtag"
    assert shift_headings(text, 3) == (
        "### Title\ntext\n#### Sub\n```bash\n# a comment\n```\n~~~\n## still code\n~~~\n#hashtag"
    )
    assert shift_headings("#### Deep\n###### Deeper", 1) == "# Deep\n### Deeper"
    assert shift_headings("no headings", 3) == "no headings"


def test_numbered_pads_to_the_widest_number() -> None:
    lines = numbered("\n".join(f"l{i}" for i in range(1, 11))).splitlines()
    assert lines[0] == " 1 | l1" and lines[9] == "10 | l10"
    assert numbered("") == "1 | "


def test_fence_and_language() -> None:
    assert fenced("a ``` b", "ts") == "````ts\na ``` b\n````"
    assert language_of("Dockerfile.prod") == "dockerfile" and language_of("x.unknown") == "text"
